using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Evaluation;

/// <summary>ROUGE-L of every item of a file, and the mean F with its bootstrap interval.</summary>
public sealed record RougeFileResult(Estimate RougeL, IReadOnlyList<RougeScore> Items)
{
    /// <summary><c>{"rougeL": {"mean": m, "ci95": [lo, hi], "n": n}, "items": [{"precision": p, "recall": r, "f": f}, …]}</c></summary>
    public string ToJson(bool indented = false) => Json.Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("rougeL");
        RougeL.WriteFields(w);
        w.WriteEndObject();
        w.WriteStartArray("items");
        foreach (var s in Items)
        {
            w.WriteStartObject();
            w.WriteNumber("precision", s.Precision);
            w.WriteNumber("recall", s.Recall);
            w.WriteNumber("f", s.F);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }, indented);

    /// <summary>As a <see cref="MetricResult"/> named "rougeL", with mean precision and recall as extras.</summary>
    public MetricResult ToMetric() => new("rougeL", RougeL)
    {
        Extra = new JsonObject
        {
            ["precision_mean"] = Bootstrap.Mean(Items.Select(s => s.Precision).ToArray()),
            ["recall_mean"] = Bootstrap.Mean(Items.Select(s => s.Recall).ToArray()),
        },
    };
}

/// <summary>
/// Scores a JSONL file of <c>{"prediction": "…", "reference": "…"}</c> lines (other keys are ignored, blank lines
/// skipped). Anything else — a missing file, a line that is not a JSON object, a missing or non-string field, a
/// file with no items — is an <see cref="InvalidDataException"/> that names the file and, where there is one, the
/// line (1-based).
/// </summary>
public static class RougeFile
{
    public static RougeFileResult Score(string path, bool stem, int seed)
    {
        var items = Read(path).Select(p => RougeL.Score(p.Prediction, p.Reference, stem)).ToList();
        var f = items.Select(s => s.F).ToArray();
        return new RougeFileResult(Bootstrap.MeanCi(f, seed), items);
    }

    public static IReadOnlyList<(string Prediction, string Reference)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: file not found");

        var pairs = new List<(string, string)>();
        int lineNumber = 0;
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{lineNumber}: malformed JSON: {e.Message}", e); }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException($"{path}:{lineNumber}: expected a JSON object, got {doc.RootElement.ValueKind}");
                pairs.Add((Field(doc.RootElement, "prediction", path, lineNumber), Field(doc.RootElement, "reference", path, lineNumber)));
            }
        }
        if (pairs.Count == 0)
            throw new InvalidDataException($"{path}: no items ({(lineNumber == 0 ? "the file is empty" : $"all {lineNumber} lines are blank")})");
        return pairs;
    }

    static string Field(JsonElement obj, string name, string path, int line)
    {
        if (!obj.TryGetProperty(name, out var v))
            throw new InvalidDataException($"{path}:{line}: missing \"{name}\"");
        if (v.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{path}:{line}: \"{name}\" must be a string, got {v.ValueKind}");
        return v.GetString()!;
    }
}
