using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using AmuroChar.Tests.Checkpoints;
using AmuroChar.Tests.RealData;
using AmuroChar.Tokenization;
using AmuroChar.Training;
using AmuroChar.World;

namespace AmuroChar.Tests.Study;

/// <summary>
/// What a paper-scale user has on disk, in miniature: a Hub cache holding three <c>allenai/OLMo-1B-hf</c> revisions
/// (named as the paper's first checkpoints, so the report has the paper's numbers to set beside) that are small OLMos
/// (d=32, 2 layers; and <c>main</c>, the final model) with OLMo-1B's real tokenizer.json (50,304 embedding rows) and OLMo-1B-hf's special-token files,
/// pre-trained for a few seconds on tiny-world text tokenized with that tokenizer, later revisions further along; and
/// a data folder with every split <see cref="PaperData.Files"/> names: the seven committed real samples as
/// save_to_disk Arrow folders, the rest tiny-world datasets exported in their Hub schemas, alternately as JSONL and
/// Parquet.
/// </summary>
internal static class PaperMiniature
{
    /// <summary>Revision name and the pre-training step whose weights it holds; <c>main</c> is the final model, as on the
    /// Hub.</summary>
    public static readonly (string Revision, int TrainedSteps)[] Revisions =
        [("step1000-tokens4B", 2), ("step18000-tokens76B", 10), ("step342000-tokens1434B", 30), ("main", 40)];

    public sealed record Layout(string Cache, string Data, IReadOnlyList<double> PretrainLosses);

    public static string OlmoTokenizerFile => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "olmo-1b", "tokenizer.json");

    public static Layout Write(string root, Action<string>? log = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string cache = Path.Combine(root, "hub"), data = Path.Combine(root, "data");
        var world = new TinyWorld(WorldConfig.Tiny, 1);
        log?.Invoke($"world {clock.Elapsed.TotalSeconds:0.0} s");
        var losses = WriteRevisions(world, cache, Path.Combine(root, "pretrain"), log);
        log?.Invoke($"revisions {clock.Elapsed.TotalSeconds:0.0} s");
        WriteData(world, data);
        log?.Invoke($"data {clock.Elapsed.TotalSeconds:0.0} s");
        return new Layout(cache, data, losses);
    }

    static IReadOnlyList<double> WriteRevisions(TinyWorld world, string cache, string work, Action<string>? log)
    {
        var tokenizer = HfTokenizer.Load(OlmoTokenizerFile);
        // OLMo-1B-hf's config: EOS 50279 (what its pre-training data ends documents with), padding 1, tied embeddings.
        var config = OlmoConfig.Preset("micro").WithVocabularyFor(tokenizer.VocabularySize, 50279, 1)
            with { MaxPositionEmbeddings = 2048, TieWordEmbeddings = true };
        var tokens = new List<int>();
        foreach (var doc in Corpus.Generate(world, 8_000))
        {
            tokens.AddRange(tokenizer.Encode(doc.Text));
            tokens.Add(50279);
        }
        log?.Invoke($"corpus: {tokens.Count} tokens");
        var pretrain = new PretrainConfig
        {
            Steps = Revisions[^1].TrainedSteps, BatchSize = 8, SequenceLength = 64, PeakLearningRate = 1e-2, WarmupSteps = 2,
            CheckpointSteps = [.. Revisions.Select(r => r.TrainedSteps)],
        };
        var losses = new List<double>();
        Pretrainer.Run(config, tokenizer, [.. tokens], pretrain, work, new InlineProgress(p => losses.Add(p.Loss)));
        foreach (var (revision, step) in Revisions)
        {
            // What `huggingface-cli download` brings: the weights, config.json, OLMo-1B's own tokenizer.json (not our
            // re-serialisation) and the special-token files, then laid out as the Hub cache.
            string plain = Path.Combine(work, "plain", revision), checkpoint = Pretrainer.CheckpointDirectory(work, step);
            Directory.CreateDirectory(plain);
            foreach (string file in new[] { "config.json", "model.safetensors" })
                File.Copy(Path.Combine(checkpoint, file), Path.Combine(plain, file));
            File.Copy(OlmoTokenizerFile, Path.Combine(plain, "tokenizer.json"));
            foreach (string file in new[] { "generation_config.json", "tokenizer_config.json", "special_tokens_map.json" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", "olmo-1b-hf", file), Path.Combine(plain, file));
            HubCacheLayout.Write(cache, CheckpointRevisions.RepoId, revision, plain);
        }
        return losses;
    }

    /// <summary>A second checkpointed family (issue 18): the repository the Pythia-shaped miniature is named as.</summary>
    public const string PythiaRepo = "EleutherAI/pythia-14m";

    /// <summary>Pythia's revision names (<c>step{N}</c>, no token count) and <c>main</c>.</summary>
    public static readonly string[] PythiaRevisions = ["step512", "step2000", "main"];

    /// <summary>
    /// The same inputs for a Pythia-shaped family: a Hub cache of <see cref="PythiaRepo"/> whose revisions are small
    /// random GPT-NeoX models (d=32, 2 layers, a quarter of each head rotary, parallel residual, untied output; one
    /// seed each) with OLMo-1B's tokenizer.json, which is GPT-NeoX-20B's BPE as Pythia's is; and the data folder.
    /// Nothing is pre-trained: the run checks that every stage of the paper scale runs over a second family, not what
    /// it finds.
    /// </summary>
    public static Layout WritePythia(string root)
    {
        string cache = Path.Combine(root, "hub"), data = Path.Combine(root, "data");
        var tokenizer = HfTokenizer.Load(OlmoTokenizerFile);
        var config = new GptNeoXConfig
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, MaxPositionEmbeddings = 2048,
            RotaryPct = 0.25, UseParallelResidual = true,
        }.WithVocabularyFor(tokenizer.VocabularySize, 50279);
        for (int i = 0; i < PythiaRevisions.Length; i++)
        {
            string plain = Path.Combine(root, "plain", PythiaRevisions[i]);
            using var model = GptNeoXForCausalLM.CreateRandom(config, 100 + i);
            GptNeoXDirectory.Save(plain, model);
            File.Copy(OlmoTokenizerFile, Path.Combine(plain, "tokenizer.json"));
            HubCacheLayout.Write(cache, PythiaRepo, PythiaRevisions[i], plain);
        }
        WriteData(new TinyWorld(WorldConfig.Tiny, 1), data);
        return new Layout(cache, data, []);
    }

    /// <summary>Items per tiny-world split: enough for a few-shot pool and the evaluated items of a run with
    /// <c>--max-items</c> up to 16.</summary>
    const int Items = 32;

    static void WriteData(TinyWorld world, string data)
    {
        RealFixtures.WriteDataFolder(data);
        var real = RealFixtures.All.Select(f => f.Stem).ToHashSet();
        var tiny = TinyWorldDatasets.Build(world, new DataConfig
        {
            FineTuneTrainGeneration = Items, FineTuneTrainClassification = Items, InstructionTrain = Items, EvalClassification = Items,
            EvalGeneration = Items, OodClassification = Items, OodGeneration = Items, MultipleChoice = Items, FewShotPool = Items,
        });
        int written = 0;
        foreach (var (name, split, schemas) in PaperData.Files)
        {
            string stem = PaperData.FileName(name, split);
            if (real.Contains(stem)) continue;
            var set = name == "hellaswag" ? AsHellaSwag(tiny.Get(name, split)) : tiny.Get(name, split);
            // A set without a training split gives its first rows to the few-shot pool: put the world's pool there.
            if (!PaperData.Files.Any(f => f.Name == name && f.Split == "train") && split != "train")
                set = set with { Examples = [.. (name == "hellaswag" ? AsHellaSwag(tiny.Get(name, "fewshot")) : tiny.Get(name, "fewshot")).Examples, .. set.Examples] };
            string jsonl = Path.Combine(data, stem + ".jsonl");
            HfSchemaExport.WriteJsonl(set, schemas[0], jsonl);
            if (written++ % 2 == 1)
            {
                TestFiles.WriteParquet(Path.Combine(data, stem + ".parquet"), File.ReadAllLines(jsonl), rowGroupSize: 16);
                File.Delete(jsonl);
            }
        }
    }

    /// <summary>Real HellaSwag contexts start with their activity label ("Baking cookies: …"); the tiny world's don't.</summary>
    static Dataset AsHellaSwag(Dataset set) => set with
    {
        Examples = [.. set.Examples.Select(e => e with { Fields = new Dictionary<string, string>(e.Fields) { ["context"] = "Everyday life: " + e.Fields["context"] } })],
    };

    sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
