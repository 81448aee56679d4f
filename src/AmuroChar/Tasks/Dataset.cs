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
}

/// <summary>A set of datasets looked up by name and split, with errors that list what exists.</summary>
public sealed class DatasetCatalog(IEnumerable<Dataset> datasets)
{
    readonly Dictionary<string, Dataset> _byKey = datasets.ToDictionary(d => d.Key);

    public IEnumerable<Dataset> All => _byKey.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Split, StringComparer.Ordinal);

    public Dataset Get(string name, string split) =>
        _byKey.TryGetValue($"{name}/{split}", out var d)
            ? d
            : throw new ArgumentException(_byKey.Values.Any(x => x.Name == name)
                ? $"dataset '{name}' has no split '{split}'; its splits: {string.Join(", ", _byKey.Values.Where(x => x.Name == name).Select(x => x.Split))}"
                : $"unknown dataset '{name}'; valid datasets: {string.Join(", ", _byKey.Values.Select(x => x.Name).Distinct().Order(StringComparer.Ordinal))}");

    /// <summary>"name/split" or just "name" when the dataset has one evaluation split.</summary>
    public Dataset Resolve(string nameOrKey)
    {
        int slash = nameOrKey.IndexOf('/');
        if (slash >= 0) return Get(nameOrKey[..slash], nameOrKey[(slash + 1)..]);
        var splits = _byKey.Values.Where(d => d.Name == nameOrKey).ToList();
        var eval = splits.Where(d => d.Split is not ("train" or "fewshot")).ToList();
        if (eval.Count == 1) return eval[0];
        if (splits.Count == 1) return splits[0];
        return Get(nameOrKey, splits.Count == 0 ? "test" : "<split>");
    }
}
