using System.Diagnostics;
using AmuroChar.Model;
using Xunit;

namespace AmuroChar.Tests.Model;

/// <summary>
/// The numeric path is pinned: a CPU-capability setting in the user's environment (how another CPU looks to libtorch)
/// changes no bit, while the same setting with the pins turned off does change them (the positive control: without it,
/// a pin that did nothing would pass). Each case is a fresh `amurochar logprobs` process, because libtorch reads these
/// settings once per process.
/// </summary>
public sealed class NumericPathTests
{
    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "amurochar.dll");

    // What other CPUs look like to libtorch on this one: ATen's scalar kernels, MKL's generic branch, oneDNN's SSE4.1.
    static readonly (string, string)[] OtherCpu = [("ATEN_CPU_CAPABILITY", "default"), ("MKL_CBWR", "COMPATIBLE"), ("ONEDNN_MAX_CPU_ISA", "SSE41")];

    [Fact]
    public void This_process_is_pinned_on_x86_64()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Skip("the pins exist for x86-64 only");
        Assert.Equal(NumericPath.PinnedX64, NumericPath.Profile);
        foreach (var (name, value) in NumericPath.Caps) Assert.Equal(value, Environment.GetEnvironmentVariable(name));
    }

    [Fact]
    public void Capability_settings_in_the_environment_change_no_bit_unless_the_pins_are_off()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.Skip("needs an x86-64 CPU with AVX2, the pinned path");
        string dir = Directory.CreateTempSubdirectory("amurochar-numerics-").FullName;
        try
        {
            string model = Path.Combine(dir, "m");
            Run([], "init", "--preset", "tiny", "--out", model, "--seed", "5");
            var rng = new Random(7);
            string ids = string.Join(",", Enumerable.Range(0, 160).Select(_ => rng.Next(1000)));
            string[] logprobs = ["logprobs", "--model", model, "--ids", ids];

            string pinned = Run([], logprobs);
            Assert.Equal(pinned, Run(OtherCpu, logprobs));

            var native = OtherCpu.Append((NumericPath.OptOutVariable, "native")).ToArray();
            Assert.NotEqual(pinned, Run(native, logprobs));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static string Run((string Name, string Value)[] environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host is pinned itself, and children inherit its environment: clear the caps so each child starts
        // from the environment a user's shell would give it.
        foreach (var (name, _) in NumericPath.Caps) start.Environment.Remove(name);
        start.Environment.Remove(NumericPath.OptOutVariable);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"amurochar {string.Join(' ', args.Take(1))} exited {p.ExitCode}: {stderr}");
        return stdout.Result;
    }
}
