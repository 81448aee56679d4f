using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AmuroChar.Model;

/// <summary>
/// Pins libtorch's CPU numeric path so that one seed gives the same bits on every x86-64 CPU with AVX2.
/// <para>
/// Why: libtorch picks its kernels by the CPU it runs on. ATen's vectorised kernels (softmax, layer norm, reductions)
/// use AVX-512 where the CPU has it, MKL's GEMM picks a code branch per CPU, and oneDNN may use AVX-512 or AMX. Each
/// changes the rounding of a sum, and over hundreds of training steps that grows into different models: a clone of
/// this repository on an AVX-512 machine measured up to 0.13 away from baselines made on an AVX2 one. Capping all
/// three at AVX2 makes every x86-64 CPU from 2013 on run the same kernels. On the AVX2 machine the baselines were made
/// on, the capped path is the path it already took (logprobs bitwise equal with and without the caps), so the caps cost
/// nothing there; an AVX-512 machine gives up its wider kernels (measured there: ~20% slower training).
/// </para>
/// <para>
/// How: the three libraries read <c>ATEN_CPU_CAPABILITY</c>, <c>MKL_CBWR</c> and <c>ONEDNN_MAX_CPU_ISA</c> from the
/// native process environment when they first run a kernel. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not reach the native environment on Unix, so this calls the C library's <c>setenv</c> (and <c>_putenv_s</c> on
/// Windows) before the first Torch operation: <see cref="Pin"/> runs from this assembly's module initialiser and from
/// every entry point (the CLI's first line, the test assemblies' initialisers). The caps override whatever the user's
/// environment says, because a stray <c>ATEN_CPU_CAPABILITY=default</c> would silently change every number; set
/// <c>AMUROCHAR_NUMERICS=native</c> to let libtorch choose (then results are reproducible only on the same CPU).
/// </para>
/// <para>
/// Limits: arm64 (Apple silicon) runs other kernels and cannot be bitwise equal to x86-64; a CPU without AVX2 falls back
/// to slower kernels with other rounding. <see cref="Profile"/> names the path taken, baselines record the profile they
/// were made under, and the findings compare exactly only under the same profile.
/// </para>
/// </summary>
public static class NumericPath
{
    public const string OptOutVariable = "AMUROCHAR_NUMERICS";

    /// <summary>The profile of pinned x86-64 runs: the one the committed tiny baselines were made under.</summary>
    public const string PinnedX64 = "x86-64-avx2";

    /// <summary>The caps, as libtorch 2.10's libraries spell them.</summary>
    public static IReadOnlyList<(string Name, string Value)> Caps { get; } =
    [
        ("ATEN_CPU_CAPABILITY", "avx2"),   // ATen's own vectorised kernels
        ("MKL_CBWR", "AVX2"),              // MKL conditional numerical reproducibility: the AVX2 code branch
        ("ONEDNN_MAX_CPU_ISA", "AVX2"),    // oneDNN's primitives (no AVX-512, no AMX)
    ];

    static readonly Lock Gate = new();
    static string? _profile;

    /// <summary>The numeric path of this process: <see cref="PinnedX64"/>, or a name saying why it is not pinned.</summary>
    public static string Profile { get { Pin(); return _profile!; } }

    /// <summary>Sets the caps once per process, before libtorch runs anything. Safe to call from anywhere, repeatedly.</summary>
    public static void Pin()
    {
        if (_profile is not null) return;
        lock (Gate)
        {
            if (_profile is not null) return;
            _profile = Decide();
        }
    }

    static string Decide()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string? optOut = Environment.GetEnvironmentVariable(OptOutVariable)?.Trim();
        if (string.Equals(optOut, "native", StringComparison.OrdinalIgnoreCase)) return $"{arch}-native (AMUROCHAR_NUMERICS=native)";
        // Runs from a module initialiser, where an exception would take the whole assembly down: a bad value pins
        // (the safe default) and says so.
        if (optOut is { Length: > 0 })
            Console.Error.WriteLine($"amurochar: {OptOutVariable}='{optOut}' is not understood (only 'native' is); pinning the numeric path");
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return $"{arch}-native";
        // Without AVX2 and FMA the caps can't be met: libtorch falls back to other kernels, and says so in the profile.
        if (!Avx2.IsSupported || !Fma.IsSupported) return "x86-64-without-avx2";
        foreach (var (name, value) in Caps) SetNative(name, value);
        return PinnedX64;
    }

    static void SetNative(string name, string value)
    {
        // The managed copy too, so child processes started from .NET inherit the caps.
        Environment.SetEnvironmentVariable(name, value);
        int rc = OperatingSystem.IsWindows() ? PutEnvWindows(name, value) : SetEnvUnix(name, value, 1);
        if (rc != 0) throw new InvalidOperationException($"could not set {name}={value} in the process environment (error {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    static extern int SetEnvUnix([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("ucrtbase", EntryPoint = "_putenv_s", SetLastError = true)]
    static extern int PutEnvWindows([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

#pragma warning disable CA2255 // A library module initialiser, on purpose: any use of this assembly pins before Torch runs.
    [ModuleInitializer]
    internal static void PinOnLoad() => Pin();
#pragma warning restore CA2255
}
