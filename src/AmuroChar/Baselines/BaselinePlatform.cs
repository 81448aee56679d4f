using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Baselines;

/// <summary>
/// The numeric platform a folder of baselines was made on (<c>baselines/&lt;scale&gt;/platform.json</c>), and so which
/// comparison rule applies to a run here.
/// <para>
/// Under the same numeric path (<see cref="AmuroChar.Model.NumericPath.Profile"/>) a seed is bitwise reproducible:
/// every metric must equal its baseline to the stored 4 decimals (<see cref="ToleranceRule.Exact"/>), so any change at
/// all, a 4-point drop included, is shown as a diff. On another platform (arm64, a CPU without AVX2, the pins turned
/// off, a GPU) the same seed trains a different model; the comparison is then statistical
/// (<see cref="ToleranceRule.CrossPlatform"/>), and the test output says so.
/// </para>
/// </summary>
public sealed record BaselinePlatform(string Numerics, string Threads, string Note)
{
    public const string FileName = "platform.json";

    /// <summary>The platform file of a scale's baseline folder, or null when it has none (e.g. the paper's numbers).</summary>
    public static BaselinePlatform? Read(string scaleDirectory)
    {
        string path = Path.Combine(scaleDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException("not a JSON object");
            string Field(string name) => o[name]?.GetValue<string>() is { Length: > 0 } v ? v : throw new InvalidDataException($"missing string field '{name}'");
            return new BaselinePlatform(Field("numerics"), Field("threads"), o["note"]?.GetValue<string>() ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public void Write(string scaleDirectory)
    {
        var o = new JsonObject { ["numerics"] = Numerics, ["threads"] = Threads, ["note"] = Note };
        AtomicFile.WriteAllText(Path.Combine(scaleDirectory, FileName), o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The rule for a run under <paramref name="numerics"/> and <paramref name="threads"/>, and why.</summary>
    public static (ToleranceRule Rule, string Why) RuleFor(BaselinePlatform? platform, string numerics, string threads)
    {
        if (platform is null) return (ToleranceRule.Default, "baselines without a recorded platform: one CI half-width");
        if (platform.Numerics == numerics && platform.Threads == threads)
            return (ToleranceRule.Exact, $"same numeric path as the baselines ({numerics}, threads {threads}): exact to 4 decimals");
        return (ToleranceRule.CrossPlatform,
            $"baselines made under {platform.Numerics} (threads {platform.Threads}), this run under {numerics} (threads {threads}): " +
            "a different model is trained, so the comparison is statistical");
    }
}
