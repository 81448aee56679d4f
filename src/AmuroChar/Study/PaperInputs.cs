using AmuroChar.Checkpoints;
using AmuroChar.Results;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using AmuroChar.Tokenization;

namespace AmuroChar.Study;

/// <summary>
/// The paper scale: OLMo-1B-hf revisions and the paper's datasets from local files.
/// <list type="bullet">
/// <item><c>AMUROCHAR_OLMO_DIR</c>: a folder of revision directories named as on the Hub (<c>step1000-tokens4B</c>, …),
/// each with config.json, model.safetensors and tokenizer.json (e.g. from <c>huggingface-cli download
/// allenai/OLMo-1B-hf --revision step1000-tokens4B --local-dir …</c>); EOS and padding come from its config.json,
/// generation_config.json, tokenizer_config.json and special_tokens_map.json (Checkpoints.SpecialTokens).</item>
/// <item><c>AMUROCHAR_DATA_DIR</c>: a folder of files <c>&lt;name&gt;.&lt;split&gt;.parquet</c> (or .jsonl) in the Hugging Face
/// schemas, named as in <see cref="Files"/> (e.g. <c>xsum.train.parquet</c>, <c>mnli_matched.validation.parquet</c>).</item>
/// </list>
/// Training sets are subsampled as the paper did (shuffle with seed 42, first 6,000). Few-shot demonstrations come
/// from the training split where there is one, else from the first 32 items of the file, which are then not evaluated.
/// </summary>
public sealed class PaperInputs : IStudyInputs
{
    public const string OlmoVariable = "AMUROCHAR_OLMO_DIR";
    public const string DataVariable = "AMUROCHAR_DATA_DIR";
    const int FewShotPool = 32;

    /// <summary>Dataset name, split, loader schema: the files the paper scale reads.</summary>
    /// <remarks>The paper evaluates RTE and TweetQA on their training splits (RTE's test labels are hidden), so those two
    /// are read from <c>rte.train</c> / <c>tweetqa.train</c> and used as evaluation sets; see <see cref="FileName"/>.</remarks>
    public static readonly IReadOnlyList<(string Name, string Split, string Schema)> Files =
    [
        ("xsum", "train", "xsum"), ("xsum", "test", "xsum"), ("cnn_dailymail", "test", "cnn_dailymail"), ("xlsum", "test", "xlsum"),
        ("socialiqa", "train", "social_i_qa"), ("socialiqa", "validation", "social_i_qa"), ("sciq_qg", "test", "sciq_qg"), ("tweetqa", "test", "tweet_qa"),
        ("mnli", "train", "mnli"), ("mnli_matched", "validation", "mnli_matched"), ("mnli_mismatched", "validation", "mnli_mismatched"),
        ("rte", "test", "rte"), ("gpt3nli", "test", "gpt3_nli"),
        ("paws", "train", "paws"), ("paws", "test", "paws"), ("qqp", "test", "qqp"), ("stsb", "test", "stsb"),
        ("arc_easy", "test", "arc_easy"), ("arc_challenge", "test", "arc_challenge"), ("sciq", "test", "sciq"),
        ("hellaswag", "validation", "hellaswag"), ("openbookqa", "test", "openbookqa"), ("boolq", "validation", "boolq"),
        ("tulu", "train", "tulu"),
    ];

    static readonly HashSet<string> EvaluatedOnTrainSplit = ["rte", "tweetqa"];

    /// <summary>The file stem a dataset split is read from: <c>&lt;name&gt;.&lt;split&gt;</c>, except the sets the paper
    /// evaluated on their training split.</summary>
    public static string FileName(string name, string split) =>
        EvaluatedOnTrainSplit.Contains(name) ? $"{name}.train" : $"{name}.{split}";

    readonly Dictionary<int, string> _revisions;
    readonly Lazy<DatasetCatalog> _datasets;
    readonly Lazy<HfTokenizer> _tokenizer;

    public Scale Scale { get; }
    public string ScaleName => "paper";
    public IReadOnlyList<int> Checkpoints { get; }
    public DatasetCatalog Datasets => _datasets.Value;
    public HfTokenizer Tokenizer => _tokenizer.Value;
    public ResultKey Identity { get; }

    /// <summary>Why the paper scale can't run here, or null when both folders are present.</summary>
    public static string? MissingInputs(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? olmo = getVariable(OlmoVariable), data = getVariable(DataVariable);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(olmo) || !Directory.Exists(olmo))
            missing.Add($"set {OlmoVariable} to a folder of allenai/OLMo-1B-hf revision directories (step1000-tokens4B, step18000-tokens76B, …)");
        if (string.IsNullOrWhiteSpace(data) || !Directory.Exists(data))
            missing.Add($"set {DataVariable} to a folder of dataset files named <name>.<split>.parquet|jsonl ({string.Join(", ", Files.Select(f => FileName(f.Name, f.Split)).Distinct())})");
        return missing.Count == 0 ? null : "paper scale inputs missing: " + string.Join("; ", missing);
    }

    public PaperInputs(string olmoDirectory, string dataDirectory, Scale scale)
    {
        Scale = scale;
        _revisions = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories(olmoDirectory))
            if (HfModelDirectory.ParseRevisionName(Path.GetFileName(dir)) is { } revision)
                _revisions[checked((int)revision.Step)] = dir;
        if (_revisions.Count == 0)
            throw new DirectoryNotFoundException($"{olmoDirectory}: no OLMo revision directories (named step<N>-tokens<M>B) found");
        Checkpoints = _revisions.Keys.Order().ToList();
        _tokenizer = new Lazy<HfTokenizer>(() => HfTokenizer.Load(Path.Combine(_revisions[Checkpoints[0]], "tokenizer.json")));
        _datasets = new Lazy<DatasetCatalog>(() => LoadDatasets(dataDirectory));
        Identity = ResultKey.Create("paper-inputs")
            .With("code_version", CodeVersion.Current)
            .With("revisions", string.Join(",", _revisions.Values.Select(Path.GetFileName)))
            // EOS / padding now come from each revision's config files (Checkpoints.SpecialTokens), not tokenizer.json
            // alone; for OLMo-1B-hf that changes the EOS fine-tuned models learn, so earlier paper-scale results are stale.
            .With("special_tokens", "config-ids-win")
            .With("data", Path.GetFullPath(dataDirectory));
    }

    public string CheckpointDirectory(int step) =>
        _revisions.TryGetValue(step, out var dir) ? dir
            : throw new ArgumentException($"no OLMo revision for step {step}; available: {string.Join(", ", Checkpoints)}");

    static DatasetCatalog LoadDatasets(string dataDirectory)
    {
        var list = new List<Dataset>();
        foreach (var (name, split, schema) in Files)
        {
            string? path = new[] { ".parquet", ".jsonl" }.Select(ext => Path.Combine(dataDirectory, FileName(name, split) + ext)).FirstOrDefault(File.Exists);
            if (path is null) continue;   // a study asks only for what it needs; a missing file errors there, by name
            var data = RealDatasets.Load(schema, path, split, dropUnlabeled: true, name: name);
            if (split == "train")
            {
                list.Add(name == "tulu" ? RealDatasets.Subsample(data, 42, 30_000) : RealDatasets.Subsample(data));
                list.Add(data with { Split = "fewshot", Examples = data.Examples.Take(FewShotPool).ToList() });
            }
            else if (!Files.Any(f => f.Name == name && f.Split == "train"))
            {
                list.Add(data with { Split = "fewshot", Examples = data.Examples.Take(FewShotPool).ToList() });
                list.Add(data with { Examples = data.Examples.Skip(FewShotPool).ToList() });
            }
            else list.Add(data);
        }
        return new DatasetCatalog(list);
    }
}
