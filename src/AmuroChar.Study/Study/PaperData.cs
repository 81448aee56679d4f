using AmuroChar.Evaluation;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;

namespace AmuroChar.Study;

/// <summary>
/// The paper's datasets as a user has them in <c>AMUROCHAR_DATA_DIR</c>. Each split the study reads has a stem
/// <c>&lt;name&gt;.&lt;split&gt;</c> (<see cref="FileName"/>) and is found as exactly one of:
/// <list type="bullet">
/// <item><c>&lt;stem&gt;.parquet</c> or <c>&lt;stem&gt;.jsonl</c>;</item>
/// <item><c>&lt;stem&gt;/</c>, a folder <c>Dataset.save_to_disk</c> wrote (state.json, dataset_info.json, data-*.arrow);</item>
/// <item><c>&lt;name&gt;/&lt;split&gt;/</c> inside a folder <c>DatasetDict.save_to_disk</c> wrote (dataset_dict.json
/// listing the split), e.g. <c>load_dataset("google/boolq").save_to_disk(DATA/"boolq")</c> for <c>boolq.validation</c>.</item>
/// </list>
/// Two of them for one split is an error naming both. A split that can't be read becomes a
/// <see cref="DatasetProblem"/> of the catalog, not a failure of the whole catalog.
/// </summary>
public static class PaperData
{
    public const string DataVariable = "AMUROCHAR_DATA_DIR";
    const int FewShotPool = 32;

    /// <summary>Dataset name, split, and the Hub schemas its file may come in (the first whose columns fit is used):
    /// every split of <see cref="DatasetSpecs.All"/> that the paper scale reads from a file of its own.</summary>
    /// <remarks>The paper evaluates RTE and TweetQA on their training splits (RTE's test labels are hidden), so those two
    /// are read from <c>rte.train</c> / <c>tweetqa.train</c> and used as evaluation sets; see <see cref="FileName"/>.
    /// Where the paper's source and the common copy differ, both are read: QQP and STS-B from SetFit (the paper's) or
    /// GLUE, BoolQ from super_glue or google/boolq, RTE from GLUE or super_glue, MNLI from GLUE or multi_nli.</remarks>
    public static readonly IReadOnlyList<(string Name, string Split, string[] Schemas)> Files =
        [.. DatasetSpecs.All.SelectMany(d => d.Splits.Where(s => s.OnDisk).Select(s => (d.Name, s.Split, d.Schemas.ToArray())))];

    /// <summary>The stem a dataset split is read from: <c>&lt;name&gt;.&lt;split&gt;</c>, except the sets the paper
    /// evaluated on their training split (<see cref="DatasetSpec.EvaluatedOnTrainSplit"/>).</summary>
    public static string FileName(string name, string split) => DatasetSpecs.Find(name)?.FileStem(split) ?? $"{name}.{split}";

    /// <summary>The split the file of a dataset split holds (train for RTE and TweetQA).</summary>
    static string FileSplit(string name, string split) => DatasetSpecs.Find(name)?.FileSplit(split) ?? split;

    /// <summary>Why the data folder can't be used, or null.</summary>
    public static string? Missing(Func<string, string?>? getVariable = null)
    {
        string? data = (getVariable ?? Environment.GetEnvironmentVariable)(DataVariable);
        return string.IsNullOrWhiteSpace(data) || !Directory.Exists(data)
            ? $"set {DataVariable} to a folder of datasets, each as <stem>.parquet, <stem>.jsonl, a save_to_disk folder <stem>/ or a DatasetDict folder <name>/<split>/ "
              + $"({string.Join(", ", Files.Select(f => FileName(f.Name, f.Split)).Distinct())})"
            : null;
    }

    /// <summary>The one file or folder that holds a split, or null when there is none. Two candidates are an error
    /// naming both: which one the user meant can't be guessed.</summary>
    public static string? Locate(string dataDirectory, string name, string split)
    {
        string stem = FileName(name, split), fileSplit = FileSplit(name, split);
        // A link that can't be followed (a loop, a missing target) is neither a file nor a folder to File/Directory.Exists,
        // so the split silently vanished: it is an error naming the link.
        foreach (string path in new[] { stem + ".parquet", stem + ".jsonl", stem, name }.Select(p => Path.Combine(dataDirectory, p)))
            if (Unfollowable(path) is { } why) throw new InvalidDataException($"{path}: {why}");
        var candidates = new List<string>();
        foreach (string ext in new[] { ".parquet", ".jsonl" })
            if (File.Exists(Path.Combine(dataDirectory, stem + ext))) candidates.Add(Path.Combine(dataDirectory, stem + ext));
        if (Directory.Exists(Path.Combine(dataDirectory, stem))) candidates.Add(Path.Combine(dataDirectory, stem));
        string dict = Path.Combine(dataDirectory, name);
        if (ArrowDatasetFolder.IsDatasetDict(dict) && ArrowDatasetFolder.DictSplits(dict).Contains(fileSplit))
            candidates.Add(Path.Combine(dict, fileSplit));
        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => throw new InvalidDataException($"{stem}: {candidates.Count} candidates in {dataDirectory}: {string.Join(" and ", candidates.Select(c => Path.GetRelativePath(dataDirectory, c)))}; keep one"),
        };
    }

    /// <summary>Where <see cref="Locate"/> looks for a split, for the error when it finds nothing.</summary>
    public static string Searched(string dataDirectory, string name, string split)
    {
        string stem = FileName(name, split);
        return $"looked in {dataDirectory} for {stem}.parquet, {stem}.jsonl, {stem}/ (save_to_disk) and {name}/{FileSplit(name, split)}/ (a DatasetDict)"
               + (FileSplit(name, split) != split ? $" (the paper evaluates {name} on its {FileSplit(name, split)} split)" : "");
    }

    static string? Unfollowable(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not { } target) return null;
        try
        {
            // The resolved target is a FileInfo even when it is a folder, whose Exists is then false: ask both.
            return info.ResolveLinkTarget(returnFinalTarget: true) is { } final && (File.Exists(final.FullName) || Directory.Exists(final.FullName))
                ? null : $"a link to {target}, which does not exist";
        }
        catch (IOException e) { return $"a link that can't be followed ({e.Message})"; }
    }

    /// <summary>Every split found in <paramref name="dataDirectory"/>. Training sets are subsampled as the paper did
    /// (shuffle with seed 42, first 6,000; Tulu 30,000). Few-shot demonstrations come from the training split where
    /// there is one, else from the first 32 items of the file, which are then not evaluated. <paramref name="maxItems"/>
    /// (a miniature run, <see cref="SizeOverrides.MaxItems"/>) caps every one of those counts, evaluation sets
    /// included, at its first N rows.</summary>
    const int TrainItems = 6000, TuluTrain = 30_000, TuluHeldOut = 200;

    /// <summary>How many items of a training set the paper fine-tunes on (before any <c>--max-items</c> cap).</summary>
    public static int TrainSample(string name) => DatasetSpecs.Get(name).Is(DatasetRoles.InstructionData) ? TuluTrain : TrainItems;

    /// <param name="protocol">Under <see cref="EvalProtocol.Authors"/> demonstrations are the first items of the
    /// evaluated file itself, which are scored too: no rows are set aside for a few-shot pool; and the datasets whose
    /// prompts the authors wrote differently get their text (<see cref="AuthorsTemplates"/>).</param>
    public static DatasetCatalog Load(string dataDirectory, int? maxItems = null, EvalProtocol? protocol = null)
    {
        bool poolFromFile = !(protocol ?? EvalProtocol.LikeForLike).DemosFromEvaluatedSet;
        bool authors = protocol == EvalProtocol.Authors;
        if (!Directory.Exists(dataDirectory)) throw new DirectoryNotFoundException($"{dataDirectory}: data folder not found ({DataVariable})");
        var list = new List<Dataset>();
        var problems = new List<DatasetProblem>();
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        int Cap(int count) => maxItems is { } max ? Math.Min(count, max) : count;
        int pool = Cap(FewShotPool);
        foreach (var (name, split, schemas) in Files)
        {
            var spec = DatasetSpecs.Get(name);
            bool hasTrain = spec.Train is not null;
            // A split with no file of its own (Tulu's held-out instructions) comes from the train file.
            string[] heldOut = [.. spec.Splits.Where(s => !s.OnDisk).Select(s => s.Split)];
            string[] keys = split == "train" ? ["train", .. heldOut, "fewshot"] : hasTrain ? [split] : ["fewshot", split];
            try
            {
                string? path = Locate(dataDirectory, name, split);
                if (path is null)
                {
                    // A study asks only for what it needs; asking for a missing one names the files looked for.
                    foreach (string k in keys) missing[$"{name}/{k}"] = Searched(dataDirectory, name, split);
                    continue;
                }
                var data = RealDatasets.Load(schemas, path, split, dropUnlabeled: true, name: name, sourceSplit: FileSplit(name, split));
                if (authors) data = AuthorsTemplates.Apply(data);
                if (split == "train")
                {
                    int train = Cap(TrainSample(name));
                    list.Add(RealDatasets.Subsample(data, 42, train));
                    // Tulu has no test split: the items right after the training sample in the same shuffle are held out
                    // for the instruction-tuning finding's positive control (never trained on).
                    if (heldOut is [var heldOutSplit] && RealDatasets.Subsample(data.Examples, 42, train + Cap(TuluHeldOut)).Skip(train).ToList() is { Count: > 0 } after)
                        list.Add(data with { Split = heldOutSplit, Examples = after });
                    list.Add(data with { Split = "fewshot", Examples = data.Examples.Take(pool).ToList() });
                }
                else if (!hasTrain && poolFromFile)
                {
                    list.Add(data with { Split = "fewshot", Examples = data.Examples.Take(pool).ToList() });
                    list.Add(data with { Examples = data.Examples.Skip(pool).Take(Cap(int.MaxValue)).ToList() });
                }
                else list.Add(data with { Examples = data.Examples.Take(Cap(int.MaxValue)).ToList() });
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.AddRange(keys.Select(k => new DatasetProblem(name, k, e.Message)));
            }
        }
        return new DatasetCatalog(list, problems, missing);
    }
}
