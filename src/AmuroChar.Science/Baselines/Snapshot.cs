using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

/// <summary>
/// Tolerance-aware snapshots of named metrics. A finding test measures its metrics at a checkpoint and calls
/// <see cref="Verify"/> against <c>baselines/&lt;scale&gt;/&lt;finding&gt;/&lt;checkpoint&gt;.json</c>:
/// <code>
/// var result = Snapshot.Verify(dir, "step-1000", metrics, ToleranceRule.Default, Snapshot.AcceptFromEnvironment());
/// Assert.True(result.Passed, result.Diff);
/// </code>
/// On a mismatch (or a missing baseline) the measurements go to <c>&lt;name&gt;.received.json</c> beside the baseline
/// and the result carries a per-metric table; <c>amurochar baselines accept</c> (<see cref="AcceptAll"/>) or a rerun
/// with <c>AMUROCHAR_ACCEPT_BASELINES=1</c> turns them into the new baseline. A missing baseline never passes on its
/// own: creating one is always an explicit accept, so a typo in a path can't turn a test green.
/// The comparison rule is documented on <see cref="ToleranceRule"/>; a baseline may be partial, or leave n unrecorded
/// (<see cref="Compare"/>).
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "AMUROCHAR_ACCEPT_BASELINES";
    public const string VerifiedSuffix = ".json";
    public const string ReceivedSuffix = ".received.json";

    const string AcceptHint =
        "Every change as a Markdown table (old and new means, intervals, the rule): `amurochar baselines diff`.\n" +
        "To accept: run `amurochar baselines accept` (promotes every *.received.json), or rerun with " + AcceptVariable + "=1; then commit the baseline.";

    public static string VerifiedPath(string directory, string name) => Path.Combine(directory, CheckName(name) + VerifiedSuffix);
    public static string ReceivedPath(string directory, string name) => Path.Combine(directory, CheckName(name) + ReceivedSuffix);

    /// <summary>
    /// True when <c>AMUROCHAR_ACCEPT_BASELINES</c> is "1" or "true". Tests pass their own lookup instead of setting the
    /// process environment, which every test running in parallel would see.
    /// </summary>
    public static bool AcceptFromEnvironment(Func<string, string?>? getVariable = null)
    {
        string? value = (getVariable ?? Environment.GetEnvironmentVariable)(AcceptVariable)?.Trim();
        return value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Compares <paramref name="measured"/> with <c>&lt;directory&gt;/&lt;name&gt;.json</c>.
    /// <list type="bullet">
    /// <item>Match (every metric within tolerance, same n, none new or missing; for a partial baseline, measured metrics
    /// absent from it are allowed, but at least one metric must be compared): any stale received file is deleted.</item>
    /// <item>Mismatch or no baseline: <c>&lt;name&gt;.received.json</c> is written; <see cref="SnapshotResult.Passed"/> is false.</item>
    /// <item><paramref name="accept"/>: the baseline is written from the measurements (a malformed old one is replaced),
    /// the received file removed, and the rows still show what changed against the previous baseline.</item>
    /// </list>
    /// Without accepting, a malformed baseline throws <see cref="InvalidDataException"/> (after writing the received file).
    /// </summary>
    /// <param name="scoredItems">Digests of the evaluations behind the metrics (<see cref="Baseline.ScoredItems"/>):
    /// stored with them, and compared (every digest equal, none new or missing) under a rule that
    /// <see cref="ToleranceRule.ComparesIntervals"/>, where the same bits must score the same items the same.</param>
    public static SnapshotResult Verify(
        string directory, string name, IReadOnlyDictionary<string, Estimate> measured, ToleranceRule rule, bool accept,
        IReadOnlyDictionary<string, string>? scoredItems = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(rule);
        // An empty measurement matching an empty baseline would be a test that checks nothing.
        if (measured.Count == 0) throw new ArgumentException("no metrics to compare", nameof(measured));
        foreach (var (metric, e) in measured) BaselineFile.Validate(metric, e);

        string verified = VerifiedPath(directory, name);
        string received = ReceivedPath(directory, name);
        string text = BaselineFile.Format(measured, scoredItems);

        Baseline? baseline = null;
        string? unreadable = null;
        if (File.Exists(verified))
        {
            try { baseline = BaselineFile.ReadBaseline(verified); }
            catch (InvalidDataException ex) when (accept) { unreadable = ex.Message; }
            catch (InvalidDataException ex)
            {
                AtomicFile.WriteAllText(received, text);
                throw new InvalidDataException($"{ex.Message}\nThe measurements were written to {received}.\n{AcceptHint}", ex);
            }
        }

        var rows = Compare(baseline?.Metrics, measured, rule, baseline?.Partial ?? false);
        bool itemsCompared = baseline is not null && rule.ComparesIntervals && scoredItems is { Count: > 0 };
        if (itemsCompared) rows = [.. rows, .. CompareScoredItems(baseline!.ScoredItems, scoredItems!)];
        // A partial baseline that shares no metric with the measurement would check nothing: that is a mismatch.
        bool matched = baseline is not null && rows.All(r => r.Status is MetricStatus.Ok or MetricStatus.NotInBaseline)
                       && rows.Any(r => r.Status == MetricStatus.Ok);
        string table = DiffTable.Render(rows);
        string ruleLine = $"Tolerance: {rule} + {BaselineFile.Short(BaselineFile.RoundingSlack)} (rounding of the stored baseline).\n" +
                          (baseline is { Partial: true } ? $"Partial baseline{(baseline.Source is { } src ? $" ({src})" : "")}: measured metrics absent from it are reported, not compared.\n" : "") +
                          (scoredItems is not { Count: > 0 } || baseline is null ? ""
                              : itemsCompared ? $"Per-item digests of {scoredItems.Count} evaluations compared too (same numeric path: the same items must score the same).\n"
                              : "Per-item digests not compared (statistical rule: another platform scores other items).\n");

        if (accept)
        {
            // Skip an identical rewrite so an accept run leaves unchanged baselines untouched.
            if (baseline is null || File.ReadAllText(verified) != text) AtomicFile.WriteAllText(verified, text);
            File.Delete(received);
            string before = baseline is not null ? $"{Differing(rows)} vs. the previous baseline"
                : unreadable is not null ? $"replacing an unreadable baseline ({unreadable})"
                : "new baseline";
            return new(verified, null, matched, Accepted: true, baseline is not null, rows,
                $"Accepted {verified}: {measured.Count} metrics, {before}.\n{ruleLine}\n{table}");
        }

        if (matched)
        {
            File.Delete(received);
            int compared = rows.Count(r => r.Status == MetricStatus.Ok), extra = rows.Count - compared;
            string notIn = extra == 0 ? "" : $"; {extra} measured metrics not in the baseline";
            return new(verified, null, Matched: true, Accepted: false, BaselineFound: true, rows,
                $"Baseline {verified} matches: {compared} metrics within tolerance{notIn}.\n{ruleLine}\n{table}");
        }

        AtomicFile.WriteAllText(received, text);
        string summary = baseline is null
            ? $"Baseline {verified} does not exist; the {measured.Count} measured metrics were written to {received}.\n" +
              "Check them, then create the baseline by accepting.\n"
            : $"Baseline mismatch for {verified}: {Differing(rows)}.\n{ruleLine}";
        return new(verified, received, Matched: false, Accepted: false, baseline is not null, rows,
            $"{summary}\n{table}\nReceived: {received}\n{AcceptHint}\n");
    }

    /// <summary>
    /// Every metric of either side, sorted by name (ordinal), with its status:
    /// <list type="bullet">
    /// <item>in both: <see cref="MetricStatus.Ok"/> when |measured − baseline| ≤ tolerance + rounding slack and the n agree
    /// (and, under a rule that <see cref="ToleranceRule.ComparesIntervals"/>, both bounds as well), else <see
    /// cref="MetricStatus.Changed"/>. A baseline n of 0 means "not recorded": n is then not compared.</item>
    /// <item>only measured: <see cref="MetricStatus.New"/>, or <see cref="MetricStatus.NotInBaseline"/> (not a failure)
    /// when the baseline is <paramref name="partial"/>.</item>
    /// <item>only in the baseline: <see cref="MetricStatus.Missing"/>, partial or not.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<SnapshotRow> Compare(
        IReadOnlyDictionary<string, Estimate>? baseline, IReadOnlyDictionary<string, Estimate> measured, ToleranceRule rule,
        bool partial = false)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(rule);
        baseline ??= new Dictionary<string, Estimate>();
        var names = baseline.Keys.Union(measured.Keys).Order(StringComparer.Ordinal);
        var rows = new List<SnapshotRow>();
        foreach (string metric in names)
        {
            bool inBaseline = baseline.TryGetValue(metric, out var b), inMeasured = measured.TryGetValue(metric, out var m);
            if (!inBaseline) { rows.Add(new(metric, partial ? MetricStatus.NotInBaseline : MetricStatus.New, null, m, null, null)); continue; }
            if (!inMeasured) { rows.Add(new(metric, MetricStatus.Missing, b, null, null, null)); continue; }
            double difference = m.Mean - b.Mean;
            double tolerance = rule.For(b, m) + BaselineFile.RoundingSlack;
            // A different n means a different evaluation set: a change even if the mean happens to agree. A baseline
            // n of 0 was not recorded (numbers taken from elsewhere, e.g. the paper), so there is nothing to compare.
            bool ok = Math.Abs(difference) <= tolerance && (b.N == 0 || m.N == b.N)
                      && (!rule.ComparesIntervals || (Math.Abs(m.Lo - b.Lo) <= tolerance && Math.Abs(m.Hi - b.Hi) <= tolerance));
            rows.Add(new(metric, ok ? MetricStatus.Ok : MetricStatus.Changed, b, m, difference, tolerance));
        }
        return rows;
    }

    /// <summary>
    /// The evaluations whose per-item digest differs (<see cref="MetricStatus.Changed"/>), that are new, or that are
    /// no longer read (<see cref="MetricStatus.Missing"/>), as rows named "scored items: &lt;evaluation&gt;"; equal ones
    /// give no row. A baseline without digests makes every measured one new.
    /// </summary>
    public static IReadOnlyList<SnapshotRow> CompareScoredItems(IReadOnlyDictionary<string, string>? baseline, IReadOnlyDictionary<string, string> measured)
    {
        baseline ??= new Dictionary<string, string>();
        var rows = new List<SnapshotRow>();
        foreach (string evaluation in baseline.Keys.Union(measured.Keys).Order(StringComparer.Ordinal))
        {
            bool inBaseline = baseline.TryGetValue(evaluation, out var b), inMeasured = measured.TryGetValue(evaluation, out var m);
            var status = !inBaseline ? MetricStatus.New : !inMeasured ? MetricStatus.Missing : b == m ? MetricStatus.Ok : MetricStatus.Changed;
            if (status != MetricStatus.Ok) rows.Add(new($"{ScoredItemsPrefix}{evaluation}", status, null, null, null, null));
        }
        return rows;
    }

    /// <summary>The name prefix of a per-item digest row.</summary>
    public const string ScoredItemsPrefix = "scored items: ";

    /// <summary>Every <c>*.received.json</c> under <paramref name="baselinesRoot"/>, sorted.</summary>
    public static IReadOnlyList<string> Pending(string baselinesRoot)
    {
        if (!Directory.Exists(baselinesRoot)) throw new DirectoryNotFoundException($"baselines directory {baselinesRoot} does not exist");
        return Directory.EnumerateFiles(baselinesRoot, "*" + ReceivedSuffix, SearchOption.AllDirectories)
            .Where(p => p.EndsWith(ReceivedSuffix, StringComparison.Ordinal) && Path.GetFileName(p) != BaselinePlatform.ReceivedFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Promotes every pending received file to its baseline (what <c>amurochar baselines accept</c> does) and returns
    /// the baselines written. All received files are parsed first, so a malformed one stops the run before anything
    /// changes; each baseline is rewritten in the canonical format (a hand-edited received file comes out tidy).
    /// </summary>
    public static IReadOnlyList<string> AcceptAll(string baselinesRoot)
    {
        var parsed = Pending(baselinesRoot).Select(p => (Received: p, Baseline: BaselineFile.ReadBaseline(p))).ToList();
        var platforms = PlatformsToPromote(parsed.Select(p => p.Received).ToList());
        foreach (var (scaleDirectory, platform) in platforms) platform.Write(scaleDirectory);
        foreach (var scaleDirectory in platforms.Keys) File.Delete(Path.Combine(scaleDirectory, BaselinePlatform.ReceivedFileName));
        var promoted = new List<string>();
        foreach (var (receivedPath, baseline) in parsed)
        {
            string verified = receivedPath[..^ReceivedSuffix.Length] + VerifiedSuffix;
            BaselineFile.Write(verified, baseline);
            File.Delete(receivedPath);
            promoted.Add(verified);
        }
        return promoted;
    }

    /// <summary>
    /// The platform.received.json of each scale folder (the parent of a finding folder) that has received files, checked
    /// before anything is written: baselines of two platforms can't share one platform.json, so a received platform that
    /// differs from the folder's may be promoted only with every baseline of that folder (a full re-baseline).
    /// </summary>
    static Dictionary<string, BaselinePlatform> PlatformsToPromote(IReadOnlyList<string> received)
    {
        var result = new Dictionary<string, BaselinePlatform>(StringComparer.Ordinal);
        foreach (var group in received.GroupBy(r => Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(r)))!, StringComparer.Ordinal))
        {
            string scaleDirectory = group.Key;
            if (BaselinePlatform.ReadFile(Path.Combine(scaleDirectory, BaselinePlatform.ReceivedFileName)) is not { } platform) continue;
            var current = BaselinePlatform.Read(scaleDirectory);
            if (current is not null && !current.SameAs(platform))
            {
                var replaced = group.Select(r => r[..^ReceivedSuffix.Length] + VerifiedSuffix).ToHashSet(StringComparer.Ordinal);
                var kept = Directory.EnumerateFiles(scaleDirectory, "*" + VerifiedSuffix, SearchOption.AllDirectories)
                    .Where(p => !p.EndsWith(ReceivedSuffix, StringComparison.Ordinal) && Path.GetDirectoryName(p) != scaleDirectory && !replaced.Contains(p))
                    .Order(StringComparer.Ordinal).ToList();
                if (kept.Count > 0)
                    throw new InvalidOperationException(
                        $"{Path.Combine(scaleDirectory, BaselinePlatform.ReceivedFileName)}: the received numbers were made on another numeric platform " +
                        $"(fingerprint {platform.Fingerprint[..Math.Min(16, platform.Fingerprint.Length)]}) than {BaselinePlatform.FileName} records, and " +
                        $"{kept.Count} baselines of that folder (e.g. {kept[0]}) were not received, so they would be left from the old platform. " +
                        $"Re-baseline the whole folder on one machine: rerun the findings suite with {AcceptVariable}=1.");
            }
            result[scaleDirectory] = platform;
        }
        return result;
    }

    static string Differing(IReadOnlyList<SnapshotRow> rows)
    {
        static bool Fails(SnapshotRow r) => r.Status is not (MetricStatus.Ok or MetricStatus.NotInBaseline);
        var counts = rows.Where(Fails).GroupBy(r => r.Status).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToUpperInvariant()}").ToList();
        int compared = rows.Count(r => r.Status != MetricStatus.NotInBaseline), extra = rows.Count - compared;
        string notIn = extra == 0 ? "" : $"; {extra} measured metrics not in the partial baseline";
        return counts.Count == 0
            ? compared == 0 ? $"the partial baseline shares no metric with the {extra} measured ones, so nothing was compared"
                : $"all {compared} metrics within tolerance{notIn}"
            : $"{rows.Count(Fails)} of {compared} metrics differ ({string.Join(", ", counts)}){notIn}";
    }

    /// <summary>A checkpoint name is one file name without extension; anything else is a caller's mistake.</summary>
    static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{name}' is not a plain file name", nameof(name));
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".received", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"pass the name without extension ('{name}' would give '{name}.json')", nameof(name));
        return name;
    }
}
