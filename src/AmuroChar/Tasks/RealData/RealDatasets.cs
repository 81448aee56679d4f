using System.Globalization;
using AmuroChar.Randomness;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// Loads the paper's datasets from local files in their Hugging Face schemas, so the tasks run at paper scale:
/// JSON Lines (<c>.jsonl</c>/<c>.json</c>, as <c>datasets</c>' <c>to_json</c> writes) or Parquet (<c>.parquet</c>, as
/// the hub serves), nested columns included. A load returns a complete <see cref="Dataset"/> or throws: an
/// <see cref="InvalidDataException"/> naming the file, the record and the problem; a <see cref="FileNotFoundException"/>;
/// or an <see cref="ArgumentException"/> for an unknown schema name or file extension.
/// </summary>
public static class RealDatasets
{
    /// <summary>The schema names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> SchemaNames => [.. HfSchemas.All.Select(s => s.Name)];

    public static IReadOnlyList<HfSchema> Schemas => HfSchemas.All;

    public static HfSchema Schema(string schemaName) => HfSchemas.Get(schemaName);

    /// <summary>
    /// Reads <paramref name="path"/> as the hub dataset <paramref name="schemaName"/> stands for. The dataset is named
    /// after the schema unless <paramref name="name"/> is given; it stands for "{hub dataset} {split}".
    /// Records with label -1 (or HellaSwag's empty label) are unlabeled: an error, unless
    /// <paramref name="dropUnlabeled"/> skips them (a file with nothing else is still an error).
    /// </summary>
    public static Dataset Load(string schemaName, string path, string split, bool dropUnlabeled = false, string? name = null)
    {
        var schema = HfSchemas.Get(schemaName);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        var examples = new List<TaskExample>();
        long index = 0, unlabeled = 0;
        foreach (var row in TableReader.Open(path))
        {
            var missing = schema.Columns.Where(c => !row.HasColumn(c)).ToList();
            if (missing.Count > 0)
                throw row.Error($"missing column(s) {string.Join(", ", missing)} of {schema.HfDataset} (schema '{schema.Name}'); "
                    + $"columns found: {string.Join(", ", row.Columns)}");
            string id = schema.IdColumn is { } idColumn ? row.Id(idColumn)
                : row.Has("id") ? row.Id("id")
                : index.ToString(CultureInfo.InvariantCulture);
            index++;
            if (schema.ToExample(row, id) is { } example) examples.Add(example);
            else if (dropUnlabeled) unlabeled++;
            else throw row.Error($"unlabeled record (label -1 or empty): {schema.UnlabeledNote}; or pass dropUnlabeled to skip such records");
        }
        if (examples.Count == 0)
            throw new InvalidDataException($"{path}: all {unlabeled} records are unlabeled, nothing is left ({schema.UnlabeledNote})");
        return new Dataset(name ?? schema.Name, split, schema.Task, schema.Domain, Path.GetFullPath(path), $"{schema.HfDataset} {split}", examples);
    }

    /// <summary>
    /// The paper's training subsample: shuffle with <paramref name="seed"/>, keep the first <paramref name="count"/>
    /// (all of them, shuffled, when there are fewer). The procedure and size match the authors'
    /// <c>datasets</c> <c>shuffle(seed=42).select(range(6000))</c>, but not the items: <c>datasets</c> permutes with
    /// numpy's PCG64 generator (<c>np.random.default_rng(seed).permutation</c>), which is not reproduced here. This is
    /// a Fisher–Yates shuffle (from the last position down, each swapped with a uniform position at or before it)
    /// driven by SplitMix64 seeded with <paramref name="seed"/>, bounded by rejection sampling, so the selection is the
    /// same on every platform and .NET version.
    /// </summary>
    public static IReadOnlyList<TaskExample> Subsample(IReadOnlyList<TaskExample> examples, int seed = 42, int count = 6000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var items = examples.ToArray();
        var rng = new SplitMix64((ulong)(long)seed);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)rng.Below((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items.Length <= count ? items : items[..count];
    }

    /// <summary><see cref="Subsample(IReadOnlyList{TaskExample}, int, int)"/> of a whole dataset, which then says so.</summary>
    public static Dataset Subsample(Dataset dataset, int seed = 42, int count = 6000) => dataset with
    {
        Examples = Subsample(dataset.Examples, seed, count),
        StandsFor = $"{dataset.StandsFor}, shuffled (seed {seed}), first {count}",
    };
}
