using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

/// <summary>
/// The baseline file format: named metrics, each with mean, 95% interval and item count, sorted by name (ordinal), every
/// number rounded to <see cref="Decimals"/> decimals, one metric per line, <c>\n</c> line ends. The same metrics
/// always give the same bytes, and a changed metric shows up in a pull request as a one-line JSON diff:
/// <code>
/// {
///   "metrics": {
///     "mnli_matched/ft/acc": {"mean": 0.7312, "ci95": [0.6891, 0.7710], "n": 420},
///     "xsum/ft/rougeL": {"mean": 0.4123, "ci95": [0.3970, 0.4281], "n": 200}
///   }
/// }
/// </code>
/// The reader accepts any whitespace (a hand-edited file is fine) but is strict about the shape.
/// </summary>
public static class BaselineFile
{
    /// <summary>Decimals kept in the file: finer than any CI of a few hundred items, coarse enough to read.</summary>
    public const int Decimals = 4;

    /// <summary>
    /// Half a unit in the last stored decimal: how far a stored value may lie from the exact one. The comparison adds it
    /// to the tolerance so that an unchanged measurement always matches its own rounded baseline.
    /// </summary>
    public static double RoundingSlack { get; } = 0.5 * Math.Pow(10, -Decimals);

    static readonly string NumberFormat = "F" + Decimals.ToString(CultureInfo.InvariantCulture);

    // Relaxed escaping keeps names like "mnli/ft/acc" or "ρ" readable; quotes, backslashes and controls are still escaped.
    static readonly JsonSerializerOptions NameOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file text for these metrics. Throws <see cref="ArgumentException"/> for values JSON can't hold.</summary>
    public static string Format(IReadOnlyDictionary<string, Estimate> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var sb = new StringBuilder();
        sb.Append("{\n  \"metrics\": {");
        bool first = true;
        foreach (var (name, e) in metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Validate(name, e);
            sb.Append(first ? "\n" : ",\n");
            first = false;
            sb.Append("    ").Append(JsonSerializer.Serialize(name, NameOptions))
              .Append(": {\"mean\": ").Append(Number(e.Mean))
              .Append(", \"ci95\": [").Append(Number(e.Lo)).Append(", ").Append(Number(e.Hi))
              .Append("], \"n\": ").Append(e.N.ToString(CultureInfo.InvariantCulture)).Append('}');
        }
        sb.Append(first ? "}\n}\n" : "\n  }\n}\n");
        return sb.ToString();
    }

    /// <summary>Writes the file atomically (a reader never sees half of it).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Estimate> metrics) =>
        AtomicFile.WriteAllText(path, Format(metrics));

    /// <summary>
    /// A value as it is stored: rounded to <see cref="Decimals"/> decimals, always with all of them ("0.7710", not
    /// "0.771") so columns line up, and never "-0.0000".
    /// </summary>
    public static string Number(double value)
    {
        string text = value.ToString(NumberFormat, CultureInfo.InvariantCulture);
        return text.StartsWith('-') && text.AsSpan(1).Trim("0.").IsEmpty ? text[1..] : text;
    }

    /// <summary>A short form of a small setting for messages: "0.05", "5e-5", "1e-9".</summary>
    internal static string Short(double value) => value == 0 || Math.Abs(value) >= 1e-3
        ? value.ToString("G4", CultureInfo.InvariantCulture)
        : value.ToString("0.###e-0", CultureInfo.InvariantCulture);

    /// <summary>The value a number turns into once written and read back.</summary>
    public static double Rounded(double value) => double.Parse(Number(value), CultureInfo.InvariantCulture);

    /// <summary>The estimate as it is stored.</summary>
    public static Estimate Rounded(Estimate e) => new(Rounded(e.Mean), Rounded(e.Lo), Rounded(e.Hi), e.N);

    /// <summary>Reads a baseline file; a malformed one gives <see cref="InvalidDataException"/> naming the file and problem.</summary>
    public static SortedDictionary<string, Estimate> Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses file text; <paramref name="source"/> names the file in error messages.</summary>
    public static SortedDictionary<string, Estimate> Parse(string text, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException ex) { throw Bad(source, $"not valid JSON ({ex.Message})"); }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(source, $"the top level is {Kind(root)}, expected an object with \"metrics\"");
            JsonElement? metrics = null;
            foreach (var p in root.EnumerateObject())
            {
                if (p.Name != "metrics") throw Bad(source, $"unexpected top-level field \"{p.Name}\" (only \"metrics\" is allowed)");
                if (metrics is not null) throw Bad(source, "\"metrics\" appears twice");
                metrics = p.Value;
            }
            if (metrics is not { } m) throw Bad(source, "no \"metrics\" field");
            if (m.ValueKind != JsonValueKind.Object) throw Bad(source, $"\"metrics\" is {Kind(m)}, expected an object");

            var result = new SortedDictionary<string, Estimate>(StringComparer.Ordinal);
            foreach (var metric in m.EnumerateObject())
            {
                if (result.ContainsKey(metric.Name)) throw Bad(source, $"metric \"{metric.Name}\" appears twice");
                result[metric.Name] = ParseMetric(metric.Value, source, metric.Name);
            }
            return result;
        }
    }

    static Estimate ParseMetric(JsonElement e, string source, string name)
    {
        InvalidDataException BadMetric(string problem) => Bad(source, $"metric \"{name}\": {problem}");

        if (e.ValueKind != JsonValueKind.Object) throw BadMetric($"is {Kind(e)}, expected an object with mean, ci95 and n");
        double? mean = null, lo = null, hi = null;
        int? n = null;
        foreach (var p in e.EnumerateObject())
        {
            switch (p.Name)
            {
                case "mean" when mean is null:
                    mean = Finite(p.Value, "mean", BadMetric);
                    break;
                case "ci95" when lo is null:
                    if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() != 2)
                        throw BadMetric($"ci95 is {Kind(p.Value)}, expected an array of two numbers [lo, hi]");
                    lo = Finite(p.Value[0], "ci95[0]", BadMetric);
                    hi = Finite(p.Value[1], "ci95[1]", BadMetric);
                    if (lo > hi) throw BadMetric($"ci95 lower bound {lo} is above upper bound {hi}");
                    break;
                case "n" when n is null:
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int count) || count < 0)
                        throw BadMetric($"n is {Kind(p.Value)}, expected a non-negative integer");
                    n = count;
                    break;
                case "mean" or "ci95" or "n":
                    throw BadMetric($"\"{p.Name}\" appears twice");
                default:
                    throw BadMetric($"unexpected field \"{p.Name}\" (expected mean, ci95, n)");
            }
        }
        if (mean is null) throw BadMetric("no \"mean\"");
        if (lo is null || hi is null) throw BadMetric("no \"ci95\"");
        if (n is null) throw BadMetric("no \"n\"");
        return new Estimate(mean.Value, lo.Value, hi.Value, n.Value);
    }

    static double Finite(JsonElement e, string what, Func<string, InvalidDataException> bad)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !double.IsFinite(d))
            throw bad($"{what} is {Kind(e)}, expected a number");
        return d;
    }

    /// <summary>What a JSON value is, for messages: "the string \"abc\"", "an array of 3", "null".</summary>
    static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => $"an array of {e.GetArrayLength()}",
        JsonValueKind.String => $"the string {Shorten(e.GetRawText())}",
        JsonValueKind.Number => $"the number {Shorten(e.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };

    static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    static InvalidDataException Bad(string source, string problem) => new($"Malformed baseline file {source}: {problem}.");

    internal static void Validate(string name, Estimate e)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a metric name must not be empty");
        if (!double.IsFinite(e.Mean) || !double.IsFinite(e.Lo) || !double.IsFinite(e.Hi))
            throw new ArgumentException($"metric '{name}': {e} has a non-finite value; a baseline needs numbers");
        if (e.Lo > e.Hi) throw new ArgumentException($"metric '{name}': interval [{e.Lo}, {e.Hi}] has its lower bound above its upper bound");
        if (e.N < 0) throw new ArgumentException($"metric '{name}': n = {e.N} is negative");
    }
}
