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
/// <para>
/// Two optional top-level fields serve baselines that were not measured by this code (the paper's own numbers, written
/// by <c>tools/paper_baselines.py</c>); they are written only when set, so a normal file never has them:
/// <list type="bullet">
/// <item><c>"partial": true</c>: the file holds only some of the metrics a finding measures. A measured metric absent
/// from the file is reported as "not in baseline" and does not fail; every metric in the file must still be measured
/// and match (see <see cref="Snapshot.Compare"/>).</item>
/// <item><c>"source": "…"</c>: where the numbers come from, shown in reports.</item>
/// </list>
/// A third, <c>"scored_items"</c>, maps each evaluation the metrics were computed from to a digest of its per-item
/// predictions and scores (16 hex digits); under the exact rule those must match too (see <see cref="Snapshot"/>).
/// It is written only when there are digests.
/// A metric with <c>"n": 0</c> has no recorded sample size: its n is not compared, and such files give it the zero-width
/// interval <c>[mean, mean]</c>, so the tolerance comes from the measured interval alone (<see cref="ToleranceRule"/>
/// takes the larger half-width).
/// </para>
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
    public static string Format(IReadOnlyDictionary<string, Estimate> metrics) => Format(metrics, partial: false, source: null);

    /// <summary>The file text of measured metrics with the digests of the evaluations behind them.</summary>
    public static string Format(IReadOnlyDictionary<string, Estimate> metrics, IReadOnlyDictionary<string, string>? scoredItems) =>
        Format(metrics, partial: false, source: null, scoredItems);

    /// <summary>The file text of a whole baseline, with its optional fields.</summary>
    public static string Format(Baseline baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return Format(baseline.Metrics, baseline.Partial, baseline.Source, baseline.ScoredItems);
    }

    /// <summary>
    /// The file text; <c>"partial"</c> is written only when true and <c>"source"</c> only when not null, after
    /// <c>"metrics"</c> (top-level keys in sorted order).
    /// </summary>
    public static string Format(IReadOnlyDictionary<string, Estimate> metrics, bool partial, string? source, IReadOnlyDictionary<string, string>? scoredItems = null)
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
        sb.Append(first ? "}" : "\n  }");
        if (partial) sb.Append(",\n  \"partial\": true");
        if (scoredItems is { Count: > 0 })
        {
            sb.Append(",\n  \"scored_items\": {");
            bool firstItem = true;
            foreach (var (name, digest) in scoredItems.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                ValidateDigest(name, digest);
                sb.Append(firstItem ? "\n" : ",\n").Append("    ").Append(JsonSerializer.Serialize(name, NameOptions)).Append(": \"").Append(digest).Append('"');
                firstItem = false;
            }
            sb.Append("\n  }");
        }
        if (source is not null) sb.Append(",\n  \"source\": ").Append(JsonSerializer.Serialize(source, NameOptions));
        sb.Append("\n}\n");
        return sb.ToString();
    }

    /// <summary>Writes the file atomically (a reader never sees half of it).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Estimate> metrics) =>
        AtomicFile.WriteAllText(path, Format(metrics));

    /// <summary>Writes a whole baseline, with its optional fields, atomically.</summary>
    public static void Write(string path, Baseline baseline) => AtomicFile.WriteAllText(path, Format(baseline));

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

    /// <summary>Reads a baseline file's metrics; a malformed one gives <see cref="InvalidDataException"/> naming the file and problem.</summary>
    public static SortedDictionary<string, Estimate> Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses file text and returns its metrics; <paramref name="source"/> names the file in error messages.</summary>
    public static SortedDictionary<string, Estimate> Parse(string text, string source) => ParseFile(text, source).Metrics;

    /// <summary>Reads a whole baseline file: its metrics and the optional <c>"partial"</c> and <c>"source"</c>.</summary>
    public static Baseline ReadBaseline(string path) => ParseBaseline(File.ReadAllText(path), path);

    /// <summary>Parses a whole baseline file; <paramref name="source"/> names the file in error messages.</summary>
    public static Baseline ParseBaseline(string text, string source)
    {
        var (metrics, partial, origin, items) = ParseFile(text, source);
        return new Baseline(metrics, partial, origin, items);
    }

    static (SortedDictionary<string, Estimate> Metrics, bool Partial, string? Source, SortedDictionary<string, string>? ScoredItems) ParseFile(string text, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException ex) { throw Bad(source, $"not valid JSON ({ex.Message})"); }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(source, $"the top level is {Kind(root)}, expected an object with \"metrics\"");
            JsonElement? metrics = null;
            bool? partial = null;
            string? origin = null;
            bool originSeen = false;
            SortedDictionary<string, string>? items = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "metrics" when metrics is null:
                        metrics = p.Value;
                        break;
                    case "partial" when partial is null:
                        if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                            throw Bad(source, $"\"partial\" is {Kind(p.Value)}, expected true or false");
                        partial = p.Value.GetBoolean();
                        break;
                    case "source" when !originSeen:
                        if (p.Value.ValueKind != JsonValueKind.String) throw Bad(source, $"\"source\" is {Kind(p.Value)}, expected a string");
                        origin = p.Value.GetString();
                        originSeen = true;
                        break;
                    case "scored_items" when items is null:
                        if (p.Value.ValueKind != JsonValueKind.Object) throw Bad(source, $"\"scored_items\" is {Kind(p.Value)}, expected an object");
                        items = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        foreach (var item in p.Value.EnumerateObject())
                        {
                            if (item.Value.ValueKind != JsonValueKind.String || item.Value.GetString() is not { Length: 16 } digest || !digest.All(Uri.IsHexDigit))
                                throw Bad(source, $"scored item \"{item.Name}\": {Kind(item.Value)}, expected 16 hex digits");
                            if (!items.TryAdd(item.Name, digest)) throw Bad(source, $"scored item \"{item.Name}\" appears twice");
                        }
                        break;
                    case "metrics" or "partial" or "source" or "scored_items":
                        throw Bad(source, $"\"{p.Name}\" appears twice");
                    default:
                        throw Bad(source, $"unexpected top-level field \"{p.Name}\" (allowed: \"metrics\", \"partial\", \"scored_items\", \"source\")");
                }
            }
            if (metrics is not { } m) throw Bad(source, "no \"metrics\" field");
            if (m.ValueKind != JsonValueKind.Object) throw Bad(source, $"\"metrics\" is {Kind(m)}, expected an object");

            var result = new SortedDictionary<string, Estimate>(StringComparer.Ordinal);
            foreach (var metric in m.EnumerateObject())
            {
                if (result.ContainsKey(metric.Name)) throw Bad(source, $"metric \"{metric.Name}\" appears twice");
                result[metric.Name] = ParseMetric(metric.Value, source, metric.Name);
            }
            return (result, partial ?? false, origin, items);
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

    static void ValidateDigest(string name, string digest)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a scored-items name must not be empty");
        if (digest is not { Length: 16 } || !digest.All(Uri.IsHexDigit)) throw new ArgumentException($"scored items '{name}': '{digest}' is not 16 hex digits");
    }

    internal static void Validate(string name, Estimate e)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a metric name must not be empty");
        if (!double.IsFinite(e.Mean) || !double.IsFinite(e.Lo) || !double.IsFinite(e.Hi))
            throw new ArgumentException($"metric '{name}': {e} has a non-finite value; a baseline needs numbers");
        if (e.Lo > e.Hi) throw new ArgumentException($"metric '{name}': interval [{e.Lo}, {e.Hi}] has its lower bound above its upper bound");
        if (e.N < 0) throw new ArgumentException($"metric '{name}': n = {e.N} is negative");
    }
}

/// <summary>
/// A baseline file's content. <see cref="Partial"/>: metrics measured but absent here are reported, not failed.
/// <see cref="Source"/>: where the numbers come from (null for baselines accepted from this code's own measurements).
/// <see cref="ScoredItems"/>: per evaluation behind the metrics, a digest of its per-item predictions and scores (null
/// when the file has none).
/// </summary>
public sealed record Baseline(IReadOnlyDictionary<string, Estimate> Metrics, bool Partial = false, string? Source = null,
    IReadOnlyDictionary<string, string>? ScoredItems = null);
