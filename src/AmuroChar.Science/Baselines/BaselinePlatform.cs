using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Model;
using Precision = AmuroChar.Model.Precision;

namespace AmuroChar.Baselines;

/// <summary>
/// The numeric platform a folder of baselines was made on (<c>baselines/&lt;scale&gt;/platform.json</c>), and so which
/// comparison rule applies to a run here.
/// <para>
/// The rule is decided by measurement, not by CPU flags: the file records the <see cref="NumericFingerprint"/> of the
/// machine that made the numbers. A run whose own fingerprint is the same computes the same bits, so every metric must
/// equal its baseline to the stored 4 decimals (<see cref="ToleranceRule.Exact"/>) and any change at all is a diff to
/// review. A run whose fingerprint differs (another CPU vendor or generation, other caps, a GPU) trains a different
/// model from the same seed; the comparison is then statistical (<see cref="ToleranceRule.CrossPlatform"/>), and the
/// test output says so and names the kernel families that differ. Why not the CPU flags: an Intel Xeon and an AMD EPYC
/// under the same AVX2 caps were measured to compute different bits (docs/numerics.md).
/// </para>
/// <para>
/// A run that writes received baselines also writes <c>platform.received.json</c> beside them (its own platform);
/// <c>amurochar baselines accept</c> promotes it with them, so a folder's baselines and its platform always come from
/// one machine.
/// </para>
/// </summary>
/// <param name="Precision">The precision the numbers were computed in, resolved for the device (fp32, bf16-mixed; never
/// "auto"); empty in files written before it was recorded.</param>
public sealed record BaselinePlatform(
    string Fingerprint, IReadOnlyDictionary<string, string> Families, string Machine, string Numerics, string Threads, string Torch, string Device, string Note,
    string Precision = "")
{
    public const string FileName = "platform.json";
    public const string ReceivedFileName = "platform.received.json";

    /// <summary>The record of this process's platform.</summary>
    public static BaselinePlatform Of(NumericPlatform p, Precision precision, string note = "") =>
        new(p.Fingerprint.Digest, p.Fingerprint.Families, p.Cpu, p.Numerics, p.Threads, p.Torch, p.Device, note,
            precision == AmuroChar.Model.Precision.Auto ? throw new ArgumentException("record the resolved precision, not auto") : precision.Name());

    /// <summary>The platform file of a scale's baseline folder, or null when it has none (e.g. the paper's numbers).</summary>
    public static BaselinePlatform? Read(string scaleDirectory) => ReadFile(Path.Combine(scaleDirectory, FileName));

    /// <summary>A platform file, or null when it does not exist; a malformed one is an error naming it.</summary>
    public static BaselinePlatform? ReadFile(string path) => File.Exists(path) ? Parse(File.ReadAllText(path), path) : null;

    /// <summary>A platform file's text; <paramref name="source"/> names it in errors.</summary>
    public static BaselinePlatform Parse(string text, string source)
    {
        try
        {
            var o = JsonNode.Parse(text)?.AsObject() ?? throw new InvalidDataException("not a JSON object");
            string Field(string name) => o[name]?.GetValue<string>() is { Length: > 0 } v ? v : throw new InvalidDataException($"missing string field '{name}'");
            string Optional(string name) => o[name]?.GetValue<string>() ?? "";
            // Files written before fingerprints have none: they are read (as "no fingerprint") so the rule can say so.
            string fingerprint = Optional("fingerprint");
            if (fingerprint.Length > 0 && (fingerprint.Length != 64 || !fingerprint.All(Uri.IsHexDigit)))
                throw new InvalidDataException($"'fingerprint' must be 64 hex digits, not '{fingerprint}'");
            var families = o["families"] is JsonObject f
                ? f.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? throw new InvalidDataException($"family '{p.Key}' has no hash"))
                : new Dictionary<string, string>();
            if (fingerprint.Length > 0 && NumericFingerprint.FromFamilies(families).Digest != fingerprint)
                throw new InvalidDataException("'fingerprint' is not the digest of 'families' (edited by hand, or from another workload version)");
            string precision = Optional("precision");
            if (precision is not ("" or "fp32" or "bf16-mixed")) throw new InvalidDataException($"'precision' must be fp32 or bf16-mixed (resolved), not '{precision}'");
            return new BaselinePlatform(fingerprint, families, Optional("machine"), Field("numerics"), Field("threads"), Optional("torch"),
                Optional("device"), Optional("note"), precision);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidDataException or FormatException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    public void Write(string scaleDirectory) => WriteFile(Path.Combine(scaleDirectory, FileName));

    public void WriteFile(string path)
    {
        var o = new JsonObject
        {
            ["fingerprint"] = Fingerprint,
            ["families"] = new JsonObject(Families.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["machine"] = Machine, ["numerics"] = Numerics, ["threads"] = Threads, ["torch"] = Torch, ["device"] = Device, ["precision"] = Precision, ["note"] = Note,
        };
        AtomicFile.WriteAllText(path, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Same platform: the same fingerprint, thread class (the fingerprint is measured at one thread count),
    /// device, Torch packages and resolved precision (a bf16 run on the same machine computes other bits). A field an
    /// older file lacks is not held against it.</summary>
    public bool SameAs(BaselinePlatform other) => Fingerprint.Length > 0 && Fingerprint == other.Fingerprint && Threads == other.Threads
        && Agree(Device, other.Device) && Agree(Torch, other.Torch) && Agree(Precision, other.Precision);

    static bool Agree(string a, string b) => a.Length == 0 || b.Length == 0 || a == b;

    /// <summary>The rule for a run on <paramref name="run"/> against baselines made on <paramref name="platform"/>, and why.</summary>
    public static (ToleranceRule Rule, string Why) RuleFor(BaselinePlatform? platform, BaselinePlatform run)
    {
        if (platform is null) return (ToleranceRule.Default, "baselines without a recorded platform: one CI half-width");
        string statistical = $"a different model is trained from the same seed here, so the comparison is statistical ({ToleranceRule.CrossPlatform})";
        if (platform.Fingerprint.Length == 0)
            return (ToleranceRule.CrossPlatform, $"the baselines' {FileName} records no numeric fingerprint (made under {platform.Numerics}, threads {platform.Threads}): " +
                    $"whether this machine computes their bits is unknown; {statistical}");
        if (platform.SameAs(run))
            return (ToleranceRule.Exact, $"this machine's numeric fingerprint {run.Fingerprint[..16]} (threads {run.Threads}) is the baselines': " +
                    "it computes their bits, so the comparison is exact to 4 decimals, mean and interval");
        if (platform.Fingerprint == run.Fingerprint && platform.Threads == run.Threads)
            return (ToleranceRule.CrossPlatform, $"this machine's numeric fingerprint {Short(run.Fingerprint)} is the baselines', but " +
                    string.Join(", ", new[] { ("device", platform.Device, run.Device), ("Torch", platform.Torch, run.Torch), ("precision", platform.Precision, run.Precision) }
                        .Where(f => !Agree(f.Item2, f.Item3)).Select(f => $"{f.Item1} {f.Item3} is not {f.Item2}")) + $": {statistical}");
        string differing = run.Fingerprint.Length == 0 ? "" : $"; kernel families that differ: {string.Join(", ", Differing(platform, run))}";
        return (ToleranceRule.CrossPlatform,
            $"this machine's numeric fingerprint {Short(run.Fingerprint)} ({run.Machine}, {run.Numerics}, threads {run.Threads}) is not the baselines' " +
            $"{Short(platform.Fingerprint)} ({platform.Machine}, {platform.Numerics}, threads {platform.Threads}){differing}: {statistical}");
    }

    static string Short(string fingerprint) => fingerprint.Length >= 16 ? fingerprint[..16] : "(none)";

    static IEnumerable<string> Differing(BaselinePlatform a, BaselinePlatform b) =>
        NumericFingerprint.Differing(a.Families, b.Families) is { Count: > 0 } differing ? differing : ["threads only"];
}
