using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Tasks;
using AmuroChar.Tokenization;
using AmuroChar.Training;
using AmuroChar.World;

namespace AmuroChar.Study;

/// <summary>
/// The tiny-world inputs of a CPU scale: the seeded world and its datasets, a byte-level BPE tokenizer trained on
/// the corpus, and a pre-training run from random initialisation whose saved steps are the checkpoints. The
/// tokenizer and the run are stored in the result store (the run resumes from the store's work folder if killed).
/// </summary>
public sealed class TinyInputs : IStudyInputs
{
    public static readonly IReadOnlyList<string> SpecialTokens = ["<|endoftext|>", "<|padding|>", "<|user|>", "<|assistant|>"];

    readonly ResultStore _store;
    readonly IProgress<TrainingProgress>? _progress;
    readonly Lazy<HfTokenizer> _tokenizer;
    readonly Lazy<string> _run;

    public Scale Scale { get; }
    public long WorldSeed { get; }
    public TinyWorld World { get; }
    public DatasetCatalog Datasets { get; }
    public string ScaleName => Scale.Name;
    public IReadOnlyList<int> Checkpoints => Scale.Checkpoints;
    public HfTokenizer Tokenizer => _tokenizer.Value;
    public ResultKey Identity => PretrainKey;

    public TinyInputs(Scale scale, long worldSeed, ResultStore store, IProgress<TrainingProgress>? progress = null)
    {
        Scale = scale;
        WorldSeed = worldSeed;
        _store = store;
        _progress = progress;
        World = new TinyWorld(scale.World, worldSeed);
        Datasets = TinyWorldDatasets.Build(World, scale.Data);
        _tokenizer = new Lazy<HfTokenizer>(() => HfTokenizer.Load(Path.Combine(_store.GetOrCreateDirectory(TokenizerKey, TrainTokenizer), "tokenizer.json")));
        _run = new Lazy<string>(PretrainedRun);
    }

    ResultKey TokenizerKey => ResultKey.Create("tokenizer")
        .With("code_version", CodeVersion.Current)
        .With("world_seed", WorldSeed)
        .WithObject("world", Scale.World)
        .With("corpus_words", Scale.CorpusWords)
        .With("vocabulary", Scale.TokenizerVocabulary);

    ResultKey PretrainKey => ResultKey.Create("pretrain")
        .With("tokenizer", TokenizerKey)
        .WithObject("model", ModelConfig(Scale.TokenizerVocabulary))
        .WithObject("pretrain", Scale.Pretrain);

    public IEnumerable<Document> Corpus() => AmuroChar.World.Corpus.Generate(World, Scale.CorpusWords);

    public string CheckpointDirectory(int step)
    {
        if (!Checkpoints.Contains(step))
            throw new ArgumentException($"step {step} is not a checkpoint of the {ScaleName} scale; checkpoints: {string.Join(", ", Checkpoints)}");
        return Pretrainer.CheckpointDirectory(_run.Value, step);
    }

    /// <summary>The model config sized for a tokenizer (padded vocabulary rows, as OLMo does).</summary>
    OlmoConfig ModelConfig(int vocabulary) =>
        OlmoConfig.Preset(Scale.ModelPreset).WithVocabularyFor(vocabulary, 0, 1);

    void TrainTokenizer(string directory)
    {
        var tokenizer = BpeTrainer.Train(Corpus().Select(d => d.Text), Scale.TokenizerVocabulary, SpecialTokens);
        if (tokenizer.EosId != 0 || tokenizer.PadId != 1)
            throw new InvalidOperationException("the tiny-world tokenizer must put <|endoftext|> at 0 and <|padding|> at 1");
        tokenizer.Save(Path.Combine(directory, "tokenizer.json"));
    }

    /// <summary>The stored run, which must hold every checkpoint of the scale (an entry missing one is recomputed).</summary>
    string PretrainedRun() =>
        _store.GetOrCreateDirectory(PretrainKey, Pretrain, required: StoreRequirements.PretrainFiles(Scale.Pretrain.CheckpointSteps));

    /// <summary>Pre-trains in the store's work folder of this key (private to this store and key, used under the
    /// key's lock, so a killed run resumes and no other run can take it over), checks every checkpoint, then copies
    /// exactly the scale's checkpoints (no temporaries) into the entry being produced.</summary>
    void Pretrain(string directory)
    {
        TorchRuntime.SetThreads(Scale.Threads);
        string work = _store.WorkDirectory(PretrainKey);
        var tokens = new List<int>();
        foreach (var doc in Corpus())
        {
            tokens.AddRange(Tokenizer.Encode(doc.Text));
            tokens.Add(Tokenizer.EosId!.Value);
        }
        Pretrainer.Run(ModelConfig(Tokenizer.VocabularySize), Tokenizer, tokens.ToArray(), Scale.Pretrain, work, _progress);
        if (Pretrainer.CheckFinished(work, Scale.Pretrain) is { } problem)
            throw new InvalidDataException($"{work}: {problem}; the run was not stored");
        foreach (int step in Scale.Pretrain.CheckpointSteps)
        {
            string from = Pretrainer.CheckpointDirectory(work, step), to = Path.Combine(directory, "checkpoints", $"step-{step}");
            Directory.CreateDirectory(to);
            foreach (string file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
