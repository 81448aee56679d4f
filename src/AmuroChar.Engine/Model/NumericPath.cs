using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AmuroChar.Model;

/// <summary>
/// Caps libtorch's CPU kernels at AVX2, so that machines of one CPU vendor run the same kernels whatever their
/// generation. It does not make CPUs of different vendors compute the same bits, and nothing here assumes it does:
/// whether a machine computes the baselines' bits is measured (<see cref="NumericFingerprint"/>), and that decides
/// between the exact and the statistical baseline rule.
/// <para>
/// What the caps change, measured with <c>amurochar fingerprint</c> per kernel family (docs/numerics.md):
/// <c>ATEN_CPU_CAPABILITY</c> picks ATen's vectorised kernels (layer norm, softmax, attention, AdamW, reductions); on an
/// AVX-512 CPU uncapped ATen runs its AVX-512 kernels, whose sums round differently. <c>MKL_CBWR=AVX2</c> picks MKL's AVX2
/// GEMM branch on Intel; an AMD EPYC computes the same GEMM bits with or without it, and an Intel Xeon under it still
/// computes other GEMM bits than the EPYC (MKL's vendor-neutral <c>COMPATIBLE</c> branch agrees across the two in a
/// forward pass, but costs ~40% of the speed and pre-training still diverged). <c>ONEDNN_MAX_CPU_ISA</c> changed nothing the study
/// runs in fp32. So the caps buy one kernel set per vendor; their price is the wider kernels of an AVX-512 machine
/// (measured: 8% of training and scoring speed on the AMD EPYC, ~20% and ~40% on an Intel Xeon).
/// </para>
/// <para>
/// How: the three libraries read the variables from the native process environment when they first run a kernel.
/// .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native environment on
/// Unix, so this calls the C library's <c>setenv</c> (and <c>_putenv_s</c> on Windows) before the first Torch operation:
/// <see cref="Pin"/> runs from this assembly's module initialiser and from every entry point (the CLI's first line, the
/// test assemblies' initialisers). The caps override the user's environment, because a stray
/// <c>ATEN_CPU_CAPABILITY=default</c> would silently change every number; set <c>AMUROCHAR_NUMERICS=native</c> to let
/// libtorch choose (the environment's variables then apply, and the fingerprint says what they compute).
/// </para>
/// </summary>
public static class NumericPath
{
    public const string OptOutVariable = "AMUROCHAR_NUMERICS";

    /// <summary>The profile of pinned x86-64 runs (a name for the kernel choice, not a promise of bits: see the fingerprint).</summary>
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
