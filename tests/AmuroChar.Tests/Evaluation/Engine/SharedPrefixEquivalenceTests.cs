using AmuroChar.Evaluation;
using AmuroChar.Model;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tests.RealData;
using AmuroChar.Tests.Shared;
using AmuroChar.Tests.Study;
using AmuroChar.Tests.Tokenization;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Evaluation.Engine;

/// <summary>
/// The shared few-shot prefix (issue 19): under the authors' protocol every item of a set starts with the same k
/// demonstrations, so the evaluator runs them once per (model, set) and continues every item from their keys and
/// values. That is exact only if it changes no prediction: each test evaluates the same set with the prefix shared and
/// with every prompt run whole, and requires the same predictions and item scores, for every prediction method the
/// protocol uses. Log-probabilities are compared at the scorer, where they are visible: the two paths differ only by
/// the order of floating-point sums (different matrix shapes), so they agree to 1e-4, not bitwise.
/// </summary>
public class SharedPrefixEquivalenceTests
{
    static void AssertSamePredictions(Evaluator shared, Evaluator whole, Dataset data, EvalSpec spec)
    {
        var a = shared.Evaluate(data, null, spec);
        var b = whole.Evaluate(data, null, spec);
        Assert.Equal(b.Items.Select(i => i.Prediction), a.Items.Select(i => i.Prediction));
        Assert.Equal(b.Items.Select(i => i.Score), a.Items.Select(i => i.Score));
        Assert.Equal(b.Metrics.Keys, a.Metrics.Keys);
        foreach (var (name, estimate) in b.Metrics) Assert.Equal(estimate, a.Metrics[name]);
    }

    [Theory]
    [InlineData(Methods.NextWord)]
    [InlineData(Methods.Ranked)]
    [InlineData(Methods.Generate)]
    public void At_micro_scale_the_shared_prefix_gives_the_same_predictions_as_whole_prompts(string method)
    {
        // Decisive logits (no near-ties for an argmax to flip on a last-bit difference).
        using var model = MicroFixtures.Model(seed: 12, initializerRange: 0.3);
        var data = MicroFixtures.Nli(14);
        var spec = new EvalSpec("default", method, 4, MaxNewTokens: 12, Protocol: EvalProtocol.Authors);
        AssertSamePredictions(new Evaluator(model, MicroFixtures.Tokenizer), new Evaluator(model, MicroFixtures.Tokenizer, sharePrefix: false), data, spec);
    }

    /// <summary>A random OLMo with OLMo-1B's real tokenizer (50,304 embedding rows, its EOS and padding) on the
    /// committed real samples, rendered as the paper scale renders them: SocialIQa question generation (greedy, 60
    /// tokens, no stop: the authors' generation) and RTE (next-word over every label sub-token), 4-shot.</summary>
    [Fact]
    public void On_a_random_OLMo_with_OLMo_1Bs_tokenizer_the_shared_prefix_gives_the_same_predictions()
    {
        var tokenizer = HfTokenizer.Load(PaperMiniature.OlmoTokenizerFile);
        var config = OlmoConfig.Preset("micro").WithVocabularyFor(tokenizer.VocabularySize, 50279, 1)
            with { MaxPositionEmbeddings = 2048, InitializerRange = 0.3 };
        TorchRuntime.SetThreads(2);
        using var model = OlmoForCausalLM.CreateRandom(config, 21);
        using var folder = new TempDir();
        RealFixtures.WriteDataFolder(folder.Path);
        var catalog = PaperData.Load(folder.Path, maxItems: 12, EvalProtocol.Authors);
        var special = AmuroChar.Checkpoints.SpecialTokens.FromTokenizer(tokenizer) with { Eos = 50279, Pad = 1, StopIds = [50279] };
        var shared = new Evaluator(model, tokenizer, special);
        var whole = new Evaluator(model, tokenizer, special, sharePrefix: false);
        AssertSamePredictions(shared, whole, catalog.Get("socialiqa", "validation"),
            new EvalSpec("default", Methods.Generate, 4, MaxNewTokens: 60, Protocol: EvalProtocol.Authors));
        AssertSamePredictions(shared, whole, catalog.Get("rte", "test"),
            new EvalSpec("default", Methods.NextWord, 4, Protocol: EvalProtocol.Authors));
    }

    [Fact]
    public void The_scorer_s_log_probabilities_agree_with_whole_prompts_to_1e_4()
    {
        using var model = MicroFixtures.Model(seed: 13);
        var rng = new AmuroChar.Randomness.Rng(3);
        int[] demos = Enumerable.Range(0, 120).Select(_ => rng.Next(2, 200)).ToArray();
        var contexts = Enumerable.Range(0, 9).Select(i => (int[])[.. demos, .. Enumerable.Range(0, 3 + i).Select(_ => rng.Next(2, 200))]).ToList();
        int[] candidates = [5, 17, 40, 99];
        var shared = new Scorer(model, 1, batchSize: 4).NextTokenLogProbs(contexts, candidates);
        var whole = new Scorer(model, 1, batchSize: 4, sharePrefix: false).NextTokenLogProbs(contexts, candidates);
        for (int i = 0; i < contexts.Count; i++)
            for (int j = 0; j < candidates.Length; j++)
                Assert.True(Math.Abs(shared[i][j] - whole[i][j]) <= 1e-4, $"context {i}, candidate {candidates[j]}: {shared[i][j]} vs {whole[i][j]}");
        var requests = contexts.Select(c => new ScoringRequest(c, [7, 8, 9])).ToList();
        var a = new Scorer(model, 1, batchSize: 4).LogLikelihoods(requests);
        var b = new Scorer(model, 1, batchSize: 4, sharePrefix: false).LogLikelihoods(requests);
        for (int i = 0; i < requests.Count; i++) Assert.True(Math.Abs(a[i].LogProb - b[i].LogProb) <= 1e-4, $"request {i}: {a[i].LogProb} vs {b[i].LogProb}");
    }
}
