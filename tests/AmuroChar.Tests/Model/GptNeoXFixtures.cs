using AmuroChar.Checkpoints;
using AmuroChar.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Model;

/// <summary>
/// The random GPT-NeoX models of <c>Model/Fixtures/gpt_neox/</c> (see <see cref="GptNeoXTests"/> for how they are
/// regenerated). Each is a Hugging Face directory written by <see cref="GptNeoXDirectory.Save(string, GptNeoXConfig,
/// IEnumerable{ValueTuple{string, Tensor}})"/>; the reference's expected.json sits beside it. Together the three cover
/// both residual forms, full and partial rotary embeddings (0.25 as Pythia, 0.5, 1.0), attention with and without
/// biases, two rotary bases and LayerNorm epsilons, and fp16 weights as Pythia ships them. Every file stays under 200 KB.
/// </summary>
public static class GptNeoXFixtures
{
    public const string WriteVariable = "AMUROCHAR_WRITE_GPT_NEOX_FIXTURES";

    public sealed record Fixture(string Name, GptNeoXConfig Config, long Seed, ScalarType StoredAs);

    public static readonly Fixture[] All =
    [
        // Pythia's shape in miniature: parallel residual, rotary_pct 0.25 (4 of 16 head dims), fp16 weights.
        new("pythia-like", new GptNeoXConfig
        {
            VocabSize = 100, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4,
            MaxPositionEmbeddings = 64, RotaryPct = 0.25, RotaryEmbBase = 10000, UseParallelResidual = true,
            InitializerRange = 0.15, BosTokenId = 0, EosTokenId = 0,
        }, Seed: 11, ScalarType.Float16),
        // Sequential residual, every head dimension rotated, three layers.
        new("sequential-full-rotary", new GptNeoXConfig
        {
            VocabSize = 160, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 3, NumAttentionHeads = 4,
            MaxPositionEmbeddings = 64, RotaryPct = 1.0, RotaryEmbBase = 10000, UseParallelResidual = false,
            InitializerRange = 0.2, BosTokenId = 0, EosTokenId = 0,
        }, Seed: 12, ScalarType.Float32),
        // Half the dimensions rotated by a smaller base, no attention biases, another epsilon.
        new("half-rotary-no-attention-bias", new GptNeoXConfig
        {
            VocabSize = 256, HiddenSize = 32, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 2,
            MaxPositionEmbeddings = 64, RotaryPct = 0.5, RotaryEmbBase = 1000, UseParallelResidual = true,
            AttentionBias = false, LayerNormEps = 1e-6, InitializerRange = 0.2, BosTokenId = 0, EosTokenId = 0,
        }, Seed: 13, ScalarType.Float32),
    ];

    /// <summary>Where the fixtures are at test time (copied beside the test assembly).</summary>
    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "Model", "Fixtures", "gpt_neox", name);

    /// <summary>
    /// A model whose every parameter matters: the weights as transformers initialises them (at a larger
    /// initializer_range, so logits and attention are decisive), then biases and LayerNorm parameters moved off their
    /// initial zeros and ones — else a model that dropped a bias or a LayerNorm weight would still pass.
    /// </summary>
    public static GptNeoXForCausalLM Create(Fixture fixture)
    {
        var model = GptNeoXForCausalLM.CreateRandom(fixture.Config, fixture.Seed);
        var generator = new Generator((ulong)fixture.Seed + 1000);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.normal_(0, 0.1, generator);
            else if (GptNeoXForCausalLM.IsLayerNorm(name)) p.normal_(1, 0.2, generator);
        }
        // The stored precision is the model's: fp16 fixtures load back to exactly these weights.
        if (fixture.StoredAs != ScalarType.Float32)
            foreach (var (_, p) in model.named_parameters()) p.copy_(p.to(fixture.StoredAs).to(ScalarType.Float32));
        return model;
    }

    public static void Write(Fixture fixture, string directory)
    {
        using var model = Create(fixture);
        using var scope = NewDisposeScope();
        GptNeoXDirectory.Save(directory, fixture.Config,
            model.named_parameters().Select(p => (p.name, p.parameter.to(fixture.StoredAs))).ToList());
    }
}

/// <summary>
/// The committed fixture models are what their seeds make: each is written again into a temporary folder and must
/// equal the committed config.json and model.safetensors byte for byte (so the reference's expected logprobs belong
/// to exactly these weights). With <see cref="GptNeoXFixtures.WriteVariable"/>=1 it writes into the source tree
/// instead, to regenerate them.
/// </summary>
public sealed class GptNeoXFixtureWriter
{
    [Fact]
    public void The_fixture_models_are_reproduced_from_their_seeds()
    {
        string root = AmuroChar.RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("repository root");
        string committed = Path.Combine(root, "tests", "AmuroChar.Tests", "Model", "Fixtures", "gpt_neox");
        bool write = Environment.GetEnvironmentVariable(GptNeoXFixtures.WriteVariable) is "1";
        string scratch = Directory.CreateTempSubdirectory("amurochar-neox-").FullName;
        try
        {
            foreach (var fixture in GptNeoXFixtures.All)
            {
                string target = write ? Path.Combine(committed, fixture.Name) : Path.Combine(scratch, fixture.Name);
                GptNeoXFixtures.Write(fixture, target);
                if (write) continue;
                foreach (string file in new[] { "config.json", "model.safetensors" })
                    Assert.True(File.ReadAllBytes(Path.Combine(committed, fixture.Name, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(target, file))),
                        $"{fixture.Name}/{file} differs from what its seed writes; regenerate with {GptNeoXFixtures.WriteVariable}=1 (see GptNeoXTests)");
            }
        }
        finally { Directory.Delete(scratch, recursive: true); }
    }
}
