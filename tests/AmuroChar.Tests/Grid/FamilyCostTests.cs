using AmuroChar.Bench;
using AmuroChar.Checkpoints;
using AmuroChar.Grid;
using AmuroChar.Model;
using AmuroChar.Tests.Checkpoints;
using Xunit;

namespace AmuroChar.Tests.Grid;

/// <summary>
/// The cost model over any family (issue 18: one formula each, for every family): a family describes its model as a
/// <see cref="ModelArchitecture"/>, which the planner and the bench price, and the paper-scale plan of another
/// checkpointed repository reads it from one revision's config.json.
/// </summary>
public sealed class FamilyCostTests
{
    [Fact]
    public void Pythia70m_has_its_published_parameter_count()
    {
        // EleutherAI/pythia-70m: 70,426,624 parameters (untied embed_in and embed_out, biased LayerNorms and projections).
        var pythia = ModelArchitecture.Of(GptNeoXConfig.Preset("pythia-70m"));
        Assert.Equal(70_426_624, CostModel.Parameters(pythia));
        // The input embedding is a lookup: 50,304 × 512 parameters that cost no FLOPs.
        Assert.Equal(70_426_624 - 50_304L * 512, CostModel.MatmulParameters(pythia));
    }

    public static TheoryData<string, string> Presets => new() { { "olmo", "micro" }, { "olmo", "tiny" }, { "gpt_neox", "micro" }, { "gpt_neox", "tiny" } };

    /// <summary>The architecture counts exactly the parameters the family creates, and reads back the same from the
    /// directory the family saves (config.json alone).</summary>
    [Theory, MemberData(nameof(Presets))]
    public void The_architecture_counts_what_the_family_creates_and_reads_back_from_its_directory(string family, string preset)
    {
        Assert.Contains(preset, ModelFamilies.For(family).Presets);
        using ICausalLM model = ModelFamilies.For(family).CreateRandom(preset, 1);
        Assert.Equal(family, model.ModelType);
        var expected = model is OlmoForCausalLM olmo ? ModelArchitecture.Of(olmo.Config) : ModelArchitecture.Of(((GptNeoXForCausalLM)model).Config);
        Assert.Equal(model.Module.parameters().Sum(p => p.numel()), expected.Parameters);
        string dir = Directory.CreateTempSubdirectory("amurochar-arch-").FullName;
        try
        {
            ModelFamilies.Of(model).Save(dir, model);
            File.Delete(Path.Combine(dir, HfModelDirectory.WeightsFileName));   // the plan reads the config only
            Assert.Equal(expected, ModelFamilies.Of(dir).Architecture(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_gelu_mlp_keeps_half_the_intermediate_activations_of_swiglu()
    {
        var olmo = ModelArchitecture.Of(OlmoConfig.Preset("tiny"));
        var neox = olmo with { ModelType = "gpt_neox", MlpSavedTensors = 2 };
        long sbf = 2L * 128 * olmo.IntermediateSize;
        Assert.Equal(2 * sbf * 4 * olmo.Layers,
            CostModel.Activations(olmo, 2, 128, Precision.Fp32, false) - CostModel.Activations(neox, 2, 128, Precision.Fp32, false));
    }

    /// <summary>`--plan --model REPO`: the checkpoints are the repository's revisions on disk and the model is what the
    /// first one's config.json describes, priced by the same formulas; with no config on disk the plan says what to fetch.</summary>
    [Fact]
    public void The_paper_plan_of_another_repository_prices_its_own_architecture()
    {
        const string repo = "EleutherAI/pythia-14m";
        string root = Directory.CreateTempSubdirectory("amurochar-plan-").FullName;
        try
        {
            var config = GptNeoXConfig.Preset("micro");
            foreach (string revision in new[] { "step512", "step2000" })
            {
                string plain = Path.Combine(root, "plain", revision);
                using var model = GptNeoXForCausalLM.CreateRandom(config, 1);
                GptNeoXDirectory.Save(plain, model);
                File.Delete(Path.Combine(plain, HfModelDirectory.WeightsFileName));
                HubCacheLayout.Write(Path.Combine(root, "hub"), repo, revision, plain);
            }
            var spec = new GridSpec { Scale = "paper", Store = "/nonexistent/store", ModelRepository = repo, OlmoDirectory = Path.Combine(root, "hub") };
            Assert.Equal([512, 2000], spec.Checkpoints());
            var planner = new GridPlanner(spec, new PlanOptions { ThroughputTflops = 100 });
            Assert.Equal(ModelArchitecture.Of(config), planner.Model);
            string text = PlanReport.Render(spec, planner, StudyGrid.Cells(spec));
            Assert.Contains($"model {repo} (gpt_neox, ", text);
            Assert.Contains("checkpoints 512, 2000", text);

            Directory.CreateDirectory(Path.Combine(root, "empty", "models--EleutherAI--pythia-14m", "refs"));
            var missing = spec with { OlmoDirectory = Path.Combine(root, "empty") };
            var e = Assert.ThrowsAny<Exception>(() => new GridPlanner(missing, new PlanOptions()));
            Assert.Contains(repo, e.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
