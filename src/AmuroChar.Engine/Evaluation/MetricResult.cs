using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Evaluation;

/// <summary>
/// One reported metric: its name, the mean with a 95% interval, and optional extra values (label shares, mean
/// precision and recall, …). JSON keys come in a fixed order, name, mean, ci95, n, then the extras in insertion
/// order, so result files diff cleanly between runs.
/// </summary>
public sealed record MetricResult(string Name, Estimate Estimate)
{
    static readonly string[] Reserved = ["name", "mean", "ci95", "n"];

    /// <summary>Extra values, written after the fixed keys in the order they were added.</summary>
    public JsonObject Extra { get; init; } = [];

    public void WriteTo(Utf8JsonWriter w)
    {
        foreach (var key in Reserved)
            if (Extra.ContainsKey(key)) throw new InvalidOperationException($"metric '{Name}': extra key '{key}' clashes with a fixed key");

        w.WriteStartObject();
        w.WriteString("name", Name);
        Estimate.WriteFields(w);
        foreach (var (key, value) in Extra)
        {
            w.WritePropertyName(key);
            if (value is null) w.WriteNullValue();
            else value.WriteTo(w);
        }
        w.WriteEndObject();
    }

    public string ToJson(bool indented = false) => Json.Write(w => WriteTo(w), indented);
}

/// <summary>Small helpers for writing JSON with a hand-fixed key order.</summary>
public static class Json
{
    public static string Write(Action<Utf8JsonWriter> write, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            write(w);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
