using AmuroChar.Hub;
using AmuroChar.Checkpoints;
using AmuroChar.Results;
using AmuroChar.Tasks;
using AmuroChar.Tokenization;

namespace AmuroChar.Study;

/// <summary>
/// The paper scale: OLMo-1B-hf revisions (or those of <see cref="Scale.ModelRepository"/>, another checkpointed family's)
/// and the paper's datasets from local files.
/// <list type="bullet">
/// <item><c>AMUROCHAR_OLMO_DIR</c>: a folder of revision directories named as on the Hub (<c>step1000-tokens4B</c>, …),
/// each with config.json, the weights and tokenizer.json (e.g. from <c>huggingface-cli download allenai/OLMo-1B-hf
/// --revision step1000-tokens4B --local-dir …</c>), or a Hub cache (its root or its <c>models--allenai--OLMo-1B-hf</c>
/// folder). Unset, the Hub cache huggingface_hub itself uses is read (see <see cref="HubCache.DefaultRoot"/>). EOS and
/// padding come from each revision's config.json, generation_config.json, tokenizer_config.json and
/// special_tokens_map.json (Checkpoints.SpecialTokens).</item>
/// <item><c>AMUROCHAR_DATA_DIR</c>: the datasets, laid out as <see cref="PaperData"/> describes.</item>
/// </list>
/// The checkpoints are the revisions named <c>step&lt;N&gt;-tokens&lt;M&gt;B</c>, at the step parsed from the name, and
/// <c>main</c> when present (<see cref="CheckpointStep.Main"/>, after every step).
/// </summary>
public sealed class PaperInputs : IStudyInputs
{
    public const string OlmoVariable = "AMUROCHAR_OLMO_DIR";
    public const string DataVariable = PaperData.DataVariable;

    /// <inheritdoc cref="PaperData.Files"/>
    public static IReadOnlyList<(string Name, string Split, string[] Schemas)> Files => PaperData.Files;

    /// <inheritdoc cref="PaperData.FileName"/>
    public static string FileName(string name, string split) => PaperData.FileName(name, split);

    readonly Dictionary<int, CheckpointRevision> _revisions;
    readonly Lazy<DatasetCatalog> _datasets;
    readonly Lazy<HfTokenizer> _tokenizer;

    public Scale Scale { get; }
    public string ScaleName => "paper";
    public IReadOnlyList<int> Checkpoints { get; }
    public IReadOnlyList<CheckpointRevision> Revisions => [.. Checkpoints.Select(c => _revisions[c])];
    public DatasetCatalog Datasets => _datasets.Value;
    public HfTokenizer Tokenizer => _tokenizer.Value;
    /// <summary>The inputs by content (<see cref="ContentKeys"/>), computed on first use: the data commands never hash.</summary>
    public ResultKey Identity => _identity.Value;
    readonly Lazy<ResultKey> _identity;

    /// <summary>Why the paper scale can't run here, or null when both inputs are present.</summary>
    public static string? MissingInputs(Func<string, string?>? getVariable = null, string repoId = CheckpointRevisions.RepoId)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? olmo = getVariable(OlmoVariable);
        var missing = new List<string>();
        bool olmoFound = string.IsNullOrWhiteSpace(olmo)
            ? Directory.Exists(Path.Combine(HubCache.DefaultRoot(getVariable ?? Environment.GetEnvironmentVariable), HubRepo.Model(repoId).FolderName))
            : Directory.Exists(olmo);
        if (!olmoFound)
            missing.Add($"set {OlmoVariable} to a folder of {repoId} revision directories (step1000-tokens4B, step18000-tokens76B, …) "
                + $"or to a Hub cache; unset, the Hub cache {HubCache.DefaultRoot(getVariable ?? Environment.GetEnvironmentVariable)} has no {HubRepo.Model(repoId).FolderName}");
        if (PaperData.Missing(getVariable) is { } data) missing.Add(data);
        return missing.Count == 0 ? null : "paper scale inputs missing: " + string.Join("; ", missing);
    }

    /// <summary>Reads the revisions from <paramref name="olmoDirectory"/>, or from the Hub cache when it is null.</summary>
    public PaperInputs(string? olmoDirectory, string dataDirectory, Scale scale, Func<string, string?>? getVariable = null)
    {
        Scale = scale;
        var revisions = CheckpointRevisions.Find(string.IsNullOrWhiteSpace(olmoDirectory) ? HubCache.DefaultRoot(getVariable ?? Environment.GetEnvironmentVariable) : olmoDirectory,
            scale.ModelRepository ?? CheckpointRevisions.RepoId);
        _revisions = revisions.ToDictionary(r => checked((int)r.Step));
        Checkpoints = _revisions.Keys.Order().ToList();
        _tokenizer = new Lazy<HfTokenizer>(() => HfTokenizer.Load(Path.Combine(_revisions[Checkpoints[0]].Directory, "tokenizer.json")));
        _datasets = new Lazy<DatasetCatalog>(() => PaperData.Load(dataDirectory, scale.Shrunk?.MaxItems, scale.Protocol));
        _identity = new Lazy<ResultKey>(() => ResultKey.Create("paper-inputs")
            .With("code_version", CodeVersion.Current)
            // By content, not path or Hub commit: a plain folder and the Hub cache of the same weights share results.
            .With("revisions", string.Join(",", revisions.Select(r => $"{r.Name}:{ContentKeys.Revision(r)}")))
            // EOS / padding now come from each revision's config files (Checkpoints.SpecialTokens), not tokenizer.json
            // alone; for OLMo-1B-hf that changes the EOS fine-tuned models learn, so earlier paper-scale results are stale.
            .With("special_tokens", "config-ids-win")
            .With("data", ContentKeys.Data(dataDirectory))
            // A miniature run's item cap changes every dataset (its other overrides are in the configs the keys hold).
            .WithObject("sizes", scale.Shrunk));
    }

    public string CheckpointDirectory(int step) =>
        _revisions.TryGetValue(step, out var revision) ? revision.Directory
            : throw new ArgumentException($"no OLMo revision for {CheckpointStep.Name(step)}; available: {string.Join(", ", Checkpoints.Select(CheckpointStep.Label))}");
}
