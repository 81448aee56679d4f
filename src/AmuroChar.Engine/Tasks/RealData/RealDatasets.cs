using System.Globalization;
using AmuroChar.Randomness;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// Loads the paper's datasets from local files in their Hugging Face schemas, so the tasks run at paper scale:
/// JSON Lines (<c>.jsonl</c>/<c>.json</c>, as <c>datasets</c>' <c>to_json</c> writes), Parquet (<c>.parquet</c>, as
/// the hub serves) or <c>save_to_disk</c> folders (Arrow), nested columns included. A load returns a complete
/// <see cref="Dataset"/> or throws: an <see cref="InvalidDataException"/> naming the file, the record and the problem;
/// a <see cref="FileNotFoundException"/>; or an <see cref="ArgumentException"/> for an unknown schema name or file
/// extension.
/// </summary>
public static class RealDatasets
{
    /// <summary>The schema names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> SchemaNames => [.. HfSchemas.All.Select(s => s.Name)];

    public static IReadOnlyList<HfSchema> Schemas => HfSchemas.All;

    public static HfSchema Schema(string schemaName) => HfSchemas.Get(schemaName);

    /// <summary>
    /// Reads <paramref name="path"/> (a file, or a <c>save_to_disk</c> folder) as the hub dataset
    /// <paramref name="schemaName"/> stands for; see <see cref="Load(IReadOnlyList{string}, string, string, bool, string?, string?)"/>.
    /// </summary>
    public static Dataset Load(string schemaName, string path, string split, bool dropUnlabeled = false, string? name = null) =>
        Load([schemaName], path, split, dropUnlabeled, name);

    /// <summary>
    /// Reads <paramref name="path"/> as one of <paramref name="schemaNames"/>, the variants one dataset has on the Hub
    /// (super_glue's boolq with idx/label, or google/boolq with a boolean answer): the first whose columns the first
    /// record has. The dataset is named after that schema unless <paramref name="name"/> is given; it stands for
    /// "{hub dataset} {split}", where the split is the one a save_to_disk folder says it holds, else
    /// <paramref name="sourceSplit"/> (default: <paramref name="split"/>). Records with label -1 (or HellaSwag's empty
    /// label) are unlabeled: an error, unless <paramref name="dropUnlabeled"/> skips them (a file with nothing else is
    /// still an error). A folder whose ClassLabel names differ from those the schema reads its integers as is refused.
    /// </summary>
    public static Dataset Load(IReadOnlyList<string> schemaNames, string path, string split, bool dropUnlabeled = false,
        string? name = null, string? sourceSplit = null)
    {
        var schemas = schemaNames.Select(HfSchemas.Get).ToList();
        if (schemas.Count == 0) throw new ArgumentException("no schema given", nameof(schemaNames));
        if (schemas.Select(s => s.Task.Name).Distinct().Count() > 1)
            throw new ArgumentException($"schema variants must hold one task: {string.Join(", ", schemas)}", nameof(schemaNames));
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        var folder = Directory.Exists(path) ? ArrowDatasetFolder.Open(path) : null;
        var rows = folder?.Rows() ?? TableReader.Open(path);

        HfSchema? schema = null;
        var examples = new List<TaskExample>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long index = 0, unlabeled = 0, duplicates = 0;
        foreach (var row in rows)
        {
            if (schema is null)
            {
                schema = Pick(schemas, row);
                if (folder is not null) CheckClassLabels(schema, folder);
            }
            var missing = schema.Columns.Where(c => !row.HasColumn(c)).ToList();
            if (missing.Count > 0)
                throw row.Error($"missing column(s) {string.Join(", ", missing)} of {schema.HfDataset} (schema '{schema.Name}'); "
                    + $"columns found: {string.Join(", ", row.Columns)}");
            string id = schema.IdColumn is { } idColumn ? row.Id(idColumn)
                : row.Has("id") ? row.Id("id")
                : index.ToString(CultureInfo.InvariantCulture);
            index++;
            if (schema.ToExample(row, id) is { } example)
            {
                examples.Add(example);
                if (!seen.Add(ContentKey(example))) duplicates++;
            }
            else if (dropUnlabeled) unlabeled++;
            else throw row.Error($"unlabeled record (label -1 or empty): {schema.UnlabeledNote}; or pass dropUnlabeled to skip such records");
        }
        if (examples.Count == 0)
            throw new InvalidDataException($"{path}: all {unlabeled} records are unlabeled, nothing is left ({schema!.UnlabeledNote})");
        string held = folder?.Split ?? sourceSplit ?? split;
        string standsFor = $"{schema!.HfDataset} {held}" + (folder?.Split is { } s && s != (sourceSplit ?? split) ? $" (read as {sourceSplit ?? split})" : "");
        return new Dataset(name ?? schema.Name, split, schema.Task, schema.Domain, Path.GetFullPath(path), standsFor, examples)
        {
            Counts = new SourceCounts(index, unlabeled, duplicates),
        };
    }

    /// <summary>The first variant whose columns the record has; otherwise an error that says what each one lacks.</summary>
    static HfSchema Pick(List<HfSchema> schemas, HfRow row)
    {
        foreach (var schema in schemas)
            if (schema.Columns.All(row.HasColumn)) return schema;
        if (schemas.Count == 1) return schemas[0]; // the per-record check names the missing columns
        throw row.Error($"the columns fit none of the schemas of this dataset; columns found: {string.Join(", ", row.Columns)}; "
            + string.Join("; ", schemas.Select(s => $"{s.HfDataset} (schema '{s.Name}') needs {string.Join(", ", s.Columns.Where(c => !row.HasColumn(c)))}")));
    }

    /// <summary>A ClassLabel column stores integers; they mean what its names say. Reading them with another order of
    /// names would silently swap labels, so the names must be those the schema maps.</summary>
    static void CheckClassLabels(HfSchema schema, ArrowDatasetFolder folder)
    {
        if (schema.ClassLabel is not { } expected) return;
        if (!folder.ClassLabels.TryGetValue(expected.Column, out var names)) return;
        if (!names.SequenceEqual(expected.Names))
            throw new InvalidDataException($"{Path.Combine(folder.Directory, ArrowDatasetFolder.InfoFile)}: column '{expected.Column}' is a ClassLabel "
                + $"with names [{string.Join(", ", names)}]; {schema.HfDataset} (schema '{schema.Name}') has [{string.Join(", ", expected.Names)}], "
                + "so its integers would be read as the wrong labels");
    }

    /// <summary>Inputs, target and choices of an example (not its id), unambiguously joined.</summary>
    static string ContentKey(TaskExample e) => string.Join("\u0001",
        e.Fields.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "\u0002" + kv.Value)
            .Append(e.Target).Concat(e.Choices ?? []));

    /// <summary>
    /// The paper's training subsample, row for row: Hugging Face <c>datasets</c>' <c>shuffle(seed=42).select(range(6000))</c>
    /// as the authors ran it. <c>shuffle</c> orders rows by <c>np.random.default_rng(seed).permutation(len)</c>
    /// (<see cref="NumpyPcg64.Permutation"/>, bitwise numpy's), and <c>select</c> keeps the first
    /// <paramref name="count"/> of that order (all of them, shuffled, when there are fewer). The permutation is over the
    /// rows given, in file order: the paper's five training files (XSum, SocialIQa, MNLI, PAWS, Tulu) have no unlabeled
    /// rows to drop, so these are the file's rows, as <c>datasets</c> sees them. <c>datasets export NAME --scale paper</c>
    /// writes the result for a diff against Python.
    /// </summary>
    public static IReadOnlyList<TaskExample> Subsample(IReadOnlyList<TaskExample> examples, int seed = 42, int count = 6000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        int[] order = NumpyPcg64.Permutation(examples.Count, (ulong)seed);
        return [.. order.Take(count).Select(i => examples[i])];
    }

    /// <summary><see cref="Subsample(IReadOnlyList{TaskExample}, int, int)"/> of a whole dataset, which then says so.</summary>
    public static Dataset Subsample(Dataset dataset, int seed = 42, int count = 6000) => dataset with
    {
        Examples = Subsample(dataset.Examples, seed, count),
        StandsFor = $"{dataset.StandsFor}, shuffled (seed {seed}), first {count}",
    };
}
