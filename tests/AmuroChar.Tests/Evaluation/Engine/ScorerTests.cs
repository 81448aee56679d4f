using AmuroChar.Evaluation;
using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Evaluation.Engine;

public class ScorerTests
{
    const int Pad = 1;

    /// <summary>Sum of log p(continuation | context) from one plain forward pass of the whole sequence, and whether
    /// every continuation token is the argmax at its position.</summary>
    static (double LogProb, bool Greedy) Direct(OlmoForCausalLM model, ScoringRequest r)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        long[] ids = [.. r.Context.Select(x => (long)x), .. r.Continuation.Select(x => (long)x)];
        var logProbs = model.Forward(tensor(ids).unsqueeze(0)).log_softmax(-1)[0];
        double sum = 0;
        bool greedy = true;
        for (int j = 0; j < r.Continuation.Length; j++)
        {
            int position = r.Context.Length - 1 + j;
            sum += logProbs[position, r.Continuation[j]].item<float>();
            greedy &= logProbs[position].argmax().item<long>() == r.Continuation[j];
        }
        return (sum, greedy);
    }

    static int[] Random(AmuroChar.Randomness.Rng rng, int n) => Enumerable.Range(0, n).Select(_ => rng.Next(2, 120)).ToArray();

    static void AssertMatchesDirect(OlmoForCausalLM model, List<ScoringRequest> requests, int batchSize)
    {
        var scored = new Scorer(model, Pad, batchSize).LogLikelihoods(requests);
        Assert.Equal(requests.Count, scored.Length);
        for (int i = 0; i < requests.Count; i++)
        {
            var (logProb, greedy) = Direct(model, requests[i]);
            Assert.True(Math.Abs(logProb - scored[i].LogProb) < 1e-3, $"request {i}: scorer {scored[i].LogProb}, direct {logProb}");
            Assert.Equal(greedy, scored[i].IsGreedy);
        }
    }

    [Fact]
    public void Log_likelihoods_equal_a_direct_computation_for_unrelated_requests()
    {
        using var model = MicroFixtures.Model(seed: 7);
        var rng = new AmuroChar.Randomness.Rng(1);
        var requests = new List<ScoringRequest>
        {
            new(Random(rng, 5), Random(rng, 3)), new(Random(rng, 17), Random(rng, 1)), new(Random(rng, 1), Random(rng, 4)),
            new(Random(rng, 9), Random(rng, 9)), new(Random(rng, 12), Random(rng, 2)),
        };
        AssertMatchesDirect(model, requests, batchSize: 2);
        AssertMatchesDirect(model, requests, batchSize: 32);
    }

    [Fact]
    public void Log_likelihoods_equal_a_direct_computation_with_a_long_shared_prefix()
    {
        using var model = MicroFixtures.Model(seed: 7);
        var rng = new AmuroChar.Randomness.Rng(2);
        int[] demos = Random(rng, 40);   // the few-shot prefix every request shares
        var requests = Enumerable.Range(0, 7).Select(i => new ScoringRequest([.. demos, .. Random(rng, 1 + i % 4)], Random(rng, 1 + i % 3))).ToList();
        Assert.True(Scorer.SharedPrefixLength(requests.Select(r => r.Context.Concat(r.Continuation).SkipLast(1).ToArray()).ToList()) >= 40);
        AssertMatchesDirect(model, requests, batchSize: 3);
    }

    [Fact]
    public void Log_likelihoods_are_right_when_the_shared_prefix_would_run_into_a_continuation()
    {
        using var model = MicroFixtures.Model(seed: 7);
        var rng = new AmuroChar.Randomness.Rng(3);
        int[] p = Random(rng, 10);
        var requests = new List<ScoringRequest>
        {
            // Ranked classification: one context, continuations sharing their first tokens.
            new([.. p, 50], [60, 61, 62]),
            new([.. p, 50], [60, 61, 63]),
            // A shorter context whose continuation is the start of a longer context: the sequences share p 50 60 61,
            // but the first continuation token of the first request is predicted at position 10.
            new([.. p, 50, 60, 61], [62]),
        };
        AssertMatchesDirect(model, requests, batchSize: 2);
        AssertMatchesDirect(model, requests, batchSize: 1);

        // Identical requests score identically, and a single request works (no shared prefix to cache).
        var same = new Scorer(model, Pad).LogLikelihoods([requests[0], requests[0]]);
        Assert.Equal(same[0], same[1]);
        AssertMatchesDirect(model, [requests[2]], batchSize: 4);
    }

    [Fact]
    public void Greedy_flag_is_true_for_the_model_own_greedy_continuation()
    {
        using var model = MicroFixtures.Model(seed: 7, initializerRange: 0.3);
        var rng = new AmuroChar.Randomness.Rng(4);
        int[] context = Random(rng, 8);
        var generated = new GreedyGenerator(model, Pad, eosId: 0).Generate([context], 4);
        Assert.NotEmpty(generated[0]);
        var scored = new Scorer(model, Pad).LogLikelihoods([new(context, generated[0]), new(context, [.. generated[0][..^1], generated[0][^1] == 5 ? 6 : 5])]);
        Assert.True(scored[0].IsGreedy);
        Assert.False(scored[1].IsGreedy);
        Assert.True(scored[0].LogProb > scored[1].LogProb);
    }

    [Fact]
    public void Next_token_log_probs_equal_a_direct_computation()
    {
        using var model = MicroFixtures.Model(seed: 8);
        var rng = new AmuroChar.Randomness.Rng(5);
        int[] shared = Random(rng, 15);
        var contexts = Enumerable.Range(0, 5).Select(i => (int[])[.. shared, .. Random(rng, 1 + i)]).ToList();
        int[] candidates = [7, 30, 99];
        var got = new Scorer(model, Pad, batchSize: 2).NextTokenLogProbs(contexts, candidates);
        using var _ = no_grad();
        for (int i = 0; i < contexts.Count; i++)
        {
            using var scope = NewDisposeScope();
            var last = model.Forward(tensor(contexts[i].Select(x => (long)x).ToArray()).unsqueeze(0)).log_softmax(-1)[0, -1];
            for (int c = 0; c < candidates.Length; c++)
                Assert.True(Math.Abs(last[candidates[c]].item<float>() - got[i][c]) < 1e-4, $"context {i}, candidate {candidates[c]}");
        }
    }
}
