namespace AmuroChar.Tasks;

/// <summary>
/// One split of one dataset: its items and where they come from. <see cref="StandsFor"/> names the paper's dataset
/// (e.g. "EdinburghNLP/xsum test"); <see cref="Source"/> is "tiny-world (seed N)" or the file it was loaded from.
/// </summary>
public sealed record Dataset(
    string Name,
    string Split,
    TaskDefinition Task,
    string Domain,
    string Source,
    string StandsFor,
    IReadOnlyList<TaskExample> Examples)
{
    public string Key => $"{Name}/{Split}";
    public int Count => Examples.Count;

    /// <summary>What reading the source file left out or found twice; null for generated data. Subsets made from the
    /// file (subsample, few-shot pool) keep the counts of the whole file.</summary>
    public SourceCounts? Counts { get; init; }
}

/// <summary>
/// Records read from a file, records dropped because they carry no label (-1, or HellaSwag's empty label), and
/// duplicates: records whose example (inputs and target, ids aside) equals an earlier one. Duplicates are kept, as the
/// reference evaluations score every row; they are counted so that a user sees them.
/// </summary>
public sealed record SourceCounts(long Rows, long DroppedUnlabeled, long Duplicates)
{
    public override string ToString() => $"{Rows} rows, {DroppedUnlabeled} dropped (unlabeled), {Duplicates} duplicates";
}

/// <summary>A dataset split that could not be read, and why (the message names the file and, where it applies, the
/// line or row). The catalog keeps it instead of failing, so the datasets that don't need that file stay usable.</summary>
public sealed record DatasetProblem(string Name, string Split, string Message)
{
    public string Key => $"{Name}/{Split}";
}

/// <summary>A set of datasets looked up by name and split, with errors that list what exists. Splits that failed to
/// load are <see cref="Problems"/>: asking for one throws its error.</summary>
/// <param name="missing">Splits the catalog knows of but found no file for ("name/split" → where it looked), so that
/// asking for one names the files, not "unknown dataset".</param>
public sealed class DatasetCatalog(IEnumerable<Dataset> datasets, IEnumerable<DatasetProblem>? problems = null, IReadOnlyDictionary<string, string>? missing = null)
{
    readonly Dictionary<string, Dataset> _byKey = datasets.ToDictionary(d => d.Key);
    readonly Dictionary<string, DatasetProblem> _problems = (problems ?? []).ToDictionary(p => p.Key);
    readonly IReadOnlyDictionary<string, string> _missing = missing ?? new Dictionary<string, string>();

    public IEnumerable<Dataset> All => _byKey.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Split, StringComparer.Ordinal);

    public IEnumerable<DatasetProblem> Problems => _problems.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Split, StringComparer.Ordinal);

    /// <summary>The splits known but with no file found ("name/split"), in order.</summary>
    public IEnumerable<string> Absent => _missing.Keys.Order(StringComparer.Ordinal);

    public Dataset Get(string name, string split) =>
        _byKey.TryGetValue($"{name}/{split}", out var d)
            ? d
            : _problems.TryGetValue($"{name}/{split}", out var problem)
            ? throw new InvalidDataException($"dataset {problem.Key} could not be read: {problem.Message}")
            : _missing.TryGetValue($"{name}/{split}", out var searched)
            ? throw new FileNotFoundException($"dataset {name}/{split}: no file for it; {searched}")
            : throw new ArgumentException(Names.Contains(name)
                ? $"dataset '{name}' has no split '{split}'; its splits: {string.Join(", ", Splits(name))}"
                : $"unknown dataset '{name}'; valid datasets: {string.Join(", ", Names)}");

    /// <summary>Every dataset name the catalog knows: loaded, failed to load, or with no file found.</summary>
    IEnumerable<string> Names => _byKey.Values.Select(x => x.Key).Concat(_problems.Keys).Concat(_missing.Keys)
        .Select(k => k[..k.IndexOf('/')]).Distinct().Order(StringComparer.Ordinal);

    IEnumerable<string> Splits(string name) => _byKey.Keys.Concat(_problems.Keys).Concat(_missing.Keys)
        .Where(k => k.StartsWith(name + "/", StringComparison.Ordinal)).Select(k => k[(name.Length + 1)..]).Distinct().Order(StringComparer.Ordinal);

    /// <summary>"name/split" or just "name" when the dataset has one evaluation split.</summary>
    public Dataset Resolve(string nameOrKey)
    {
        int slash = nameOrKey.IndexOf('/');
        if (slash >= 0) return Get(nameOrKey[..slash], nameOrKey[(slash + 1)..]);
        var splits = _byKey.Values.Where(d => d.Name == nameOrKey).ToList();
        var eval = splits.Where(d => d.Split is not ("train" or "fewshot")).ToList();
        var failed = _problems.Values.Where(p => p.Name == nameOrKey).ToList();
        if (eval.Count == 1) return eval[0];
        if (splits.Count == 1 && failed.Count == 0) return splits[0];
        if (failed.Count > 0) return Get(nameOrKey, (failed.FirstOrDefault(p => p.Split is not ("train" or "fewshot")) ?? failed[0]).Split);
        // A known dataset whose file is missing: name its evaluation split's files (else its training split's).
        var absent = Splits(nameOrKey).Where(sp => _missing.ContainsKey($"{nameOrKey}/{sp}")).ToList();
        if (splits.Count == 0 && absent.Count > 0) return Get(nameOrKey, absent.FirstOrDefault(sp => sp is not ("train" or "fewshot")) ?? absent[0]);
        return Get(nameOrKey, splits.Count == 0 ? "test" : "<split>");
    }
}
