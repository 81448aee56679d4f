using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;

namespace AmuroChar.Model;

/// <summary>
/// The numeric platform this process computes on: its measured <see cref="NumericFingerprint"/> and what describes the
/// machine (CPU, Torch packages, numeric path, thread class, device), for baselines' <c>platform.json</c>, result keys
/// and messages.
/// <para>
/// The fingerprint is computed once per machine identity and cached in the temp folder
/// (<c>amurochar-fingerprints/&lt;identity hash&gt;.json</c>): the identity is this build's workload (its version and
/// the engine's source hash) and everything else that could change the bits: the CPU as /proc/cpuinfo names it (vendor, model, stepping,
/// flags), the OS and architecture, the Torch packages, the numeric environment variables, the thread count and the
/// device. A cache file is read only when its identity text and its digest both check out; anything else is recomputed.
/// </para>
/// </summary>
public sealed record NumericPlatform(NumericFingerprint Fingerprint, string Cpu, string Numerics, string Threads, string Torch, string Device)
{
    /// <summary>The variables libtorch's libraries read to choose kernels, and ours (see <see cref="NumericPath"/>).</summary>
    public static IReadOnlyList<string> EnvironmentVariables { get; } =
        ["ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA", NumericPath.OptOutVariable, "MKL_NUM_THREADS", "OMP_NUM_THREADS", "MKL_ENABLE_INSTRUCTIONS"];

    static readonly Lock Gate = new();
    static NumericPlatform? _current;

    /// <summary>This process's platform on the CPU at the current thread count (measured, or read from the cache).</summary>
    public static NumericPlatform Current
    {
        get
        {
            lock (Gate) return _current ??= Measure(torch.CPU, cacheDirectory: DefaultCacheDirectory);
        }
    }

    /// <summary>The Torch packages this build runs on, as the build recorded them (e.g. "TorchSharp 0.107.0, libtorch-cpu-linux-x64 2.10.0").</summary>
    public static string TorchPackages { get; } =
        typeof(NumericPlatform).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AmuroChar.TorchPackages")?.Value
        is { Length: > 0 } packages ? packages : "unknown Torch packages";

    /// <summary>The engine's source hash (the build's "AmuroChar.SourceHash"): in the cache identity, so a cached
    /// fingerprint never outlives a change to the workload's code, even one that forgot to bump its version.</summary>
    static string EngineSourceHash { get; } =
        typeof(NumericPlatform).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AmuroChar.SourceHash")?.Value ?? "";

    static string DefaultCacheDirectory => Path.Combine(Path.GetTempPath(), "amurochar-fingerprints");

    /// <summary>Measures (or reads from <paramref name="cacheDirectory"/>, when given) the platform of <paramref name="device"/>.</summary>
    public static NumericPlatform Measure(torch.Device device, string? cacheDirectory)
    {
        NumericPath.Pin();
        string threads = TorchRuntime.ThreadClass;
        string cpu = CpuDescription();
        string identity = string.Join("\n",
            NumericFingerprint.WorkloadVersion, EngineSourceHash, RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture,
            CpuIdentity(), $"processors {Environment.ProcessorCount}", $"torch threads {torch.get_num_threads()}",
            TorchPackages, $"device {device}", $"numerics {NumericPath.Profile}",
            string.Join(";", EnvironmentVariables.Select(v => $"{v}={Environment.GetEnvironmentVariable(v)}")));
        var fingerprint = cacheDirectory is null ? null : ReadCache(cacheDirectory, identity);
        if (fingerprint is null)
        {
            fingerprint = NumericFingerprint.Compute(device);
            if (cacheDirectory is not null) WriteCache(cacheDirectory, identity, fingerprint);
        }
        return new NumericPlatform(fingerprint, cpu, NumericPath.Profile, threads, TorchPackages, device.ToString());
    }

    /// <summary>One line for messages: "AMD EPYC, x86-64-avx2, threads 1|2|4, cpu, TorchSharp …".</summary>
    public override string ToString() => $"{Cpu}, {Numerics}, threads {Threads}, {Device}, {Torch}";

    static string CacheFile(string directory, string identity) =>
        Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32] + ".json");

    static NumericFingerprint? ReadCache(string directory, string identity)
    {
        try
        {
            string path = CacheFile(directory, identity);
            if (!File.Exists(path)) return null;
            var o = JsonNode.Parse(File.ReadAllText(path))?.AsObject();
            if (o?["identity"]?.GetValue<string>() != identity) return null;
            var families = o["families"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
            var fingerprint = NumericFingerprint.FromFamilies(families);
            return fingerprint.Digest == o["fingerprint"]?.GetValue<string>() ? fingerprint : null;
        }
        // A damaged or foreign cache file is never trusted: the fingerprint is measured again (seconds).
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }

    static void WriteCache(string directory, string identity, NumericFingerprint fingerprint)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var o = new JsonObject
            {
                ["identity"] = identity, ["fingerprint"] = fingerprint.Digest,
                ["families"] = new JsonObject(fingerprint.Families.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            };
            AtomicFile.WriteAllText(CacheFile(directory, identity), o.ToJsonString() + "\n");
        }
        // The cache only saves seconds: a read-only or full temp folder costs a recomputation next time, nothing else.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The CPU as /proc/cpuinfo describes its first processor (every field that names the silicon and its
    /// instruction sets), or the architecture where there is no such file.</summary>
    static string CpuIdentity()
    {
        var fields = CpuInfo();
        return fields.Count == 0 ? RuntimeInformation.ProcessArchitecture.ToString()
            : string.Join("; ", new[] { "vendor_id", "model name", "cpu family", "model", "stepping", "microcode", "flags" }
                .Select(f => $"{f}={fields.GetValueOrDefault(f, "")}"));
    }

    static string CpuDescription()
    {
        var fields = CpuInfo();
        string model = fields.GetValueOrDefault("model name", RuntimeInformation.ProcessArchitecture.ToString());
        var flags = fields.GetValueOrDefault("flags", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        string isa = flags.Contains("amx_tile") ? "AVX-512 + AMX" : flags.Contains("avx512f") ? "AVX-512" : flags.Contains("avx2") ? "AVX2" : "";
        return isa.Length == 0 ? model : $"{model} ({isa})";
    }

    static Dictionary<string, string> CpuInfo()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return fields;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.Trim().Length == 0) break;   // the first processor's block only
                int colon = line.IndexOf(':');
                if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return fields;
    }
}
