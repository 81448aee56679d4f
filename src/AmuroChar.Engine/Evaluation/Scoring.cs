using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Evaluation;

/// <summary>A context and a continuation, as token ids, following lm-evaluation-harness: the continuation's tokens
/// are those of encode(context + continuation) after the first len(encode(context)) tokens.</summary>
public sealed record ScoringRequest(int[] Context, int[] Continuation);

/// <summary>Log-likelihood of a continuation and whether greedy decoding would have produced it exactly.</summary>
public readonly record struct LogLikelihood(double LogProb, bool IsGreedy);

/// <summary>
/// Batched forward passes for evaluation. Requests are sorted by length and right-padded (no mask needed under causal
/// attention); the token prefix every request shares — the few-shot demonstrations — is run once and its keys and
/// values are reused by every batch through the KV cache.
/// </summary>
/// <param name="sharePrefix">Compute the shared prefix once (the default); false runs every row whole, the reference
/// path the cached one is tested against and benchmarked beside.</param>
public sealed class Scorer(ICausalLM model, int padId, int batchSize = 32, bool sharePrefix = true)
{
    /// <summary>Sum of log p(continuation | context) for each request.</summary>
    public LogLikelihood[] LogLikelihoods(IReadOnlyList<ScoringRequest> requests)
    {
        var sequences = requests.Select(r => (int[])[.. r.Context, .. r.Continuation]).ToList();
        var results = new LogLikelihood[requests.Count];
        // The cached prefix must end before the first continuation token is predicted (at position context − 1).
        int maxShared = requests.Count == 0 ? 0 : requests.Min(r => r.Context.Length) - 1;
        ForEachBatch(sequences, dropLast: true, maxShared, (indices, logProbs, shared) =>
        {
            // logProbs[b, t] predicts token shared + t + 1 of the row's sequence.
            for (int b = 0; b < indices.Length; b++)
            {
                var r = requests[indices[b]];
                int first = r.Context.Length - 1 - shared;
                using var rows = logProbs[b, first..(first + r.Continuation.Length)];
                using var target = tensor(r.Continuation.Select(x => (long)x).ToArray(), device: model.Device);
                double sum = rows.gather(1, target.unsqueeze(1)).sum().item<float>();
                bool greedy = rows.argmax(1).eq(target).all().item<bool>();
                results[indices[b]] = new LogLikelihood(sum, greedy);
            }
        });
        return results;
    }

    /// <summary>Log-probabilities of the next token after each context, at the given candidate token ids.</summary>
    public float[][] NextTokenLogProbs(IReadOnlyList<int[]> contexts, IReadOnlyList<int> candidates)
    {
        var results = new float[contexts.Count][];
        using var ids = tensor(candidates.Select(c => (long)c).ToArray(), device: model.Device);
        ForEachBatch(contexts, dropLast: false, int.MaxValue, (indices, logProbs, shared) =>
        {
            for (int b = 0; b < indices.Length; b++)
            {
                int last = contexts[indices[b]].Length - 1 - shared;
                results[indices[b]] = logProbs[b, last].index_select(0, ids).cpu().data<float>().ToArray();
            }
        });
        return results;
    }

    /// <summary>Runs every sequence (minus its last token when <paramref name="dropLast"/>) through the model in
    /// length-sorted batches and hands the log-softmax of each batch to <paramref name="consume"/> together with the
    /// number of shared prefix tokens (at most <paramref name="maxShared"/>) that were taken from the cache.</summary>
    void ForEachBatch(IReadOnlyList<int[]> sequences, bool dropLast, int maxShared, Action<int[], Tensor, int> consume)
    {
        using var _ = no_grad();
        model.Module.eval();
        var inputs = sequences.Select(s => dropLast ? s[..^1] : s).ToList();
        int shared = sharePrefix ? Math.Max(0, Math.Min(maxShared, SharedPrefixLength(inputs))) : 0;
        using var prefix = shared > 0 ? KvCache.Prefill(model, inputs[0][..shared]) : null;
        var order = Enumerable.Range(0, inputs.Count).OrderByDescending(i => inputs[i].Length).ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int[] indices = order[start..Math.Min(order.Length, start + batchSize)];
            int width = inputs[indices[0]].Length - shared;
            var data = new long[indices.Length * width];
            Array.Fill(data, padId);
            for (int b = 0; b < indices.Length; b++)
            {
                var row = inputs[indices[b]];
                for (int t = shared; t < row.Length; t++) data[b * width + t - shared] = row[t];
            }
            var batch = tensor(data, [indices.Length, width], device: model.Device);
            Tensor logits;
            if (prefix is null) logits = model.Forward(batch);
            else
            {
                using var cache = KvCache.FromPrefix(prefix, model.Shape, indices.Length, shared + width);
                logits = model.Forward(batch, cache: cache);
            }
            // Stays on the model's device: only the few numbers each request needs are copied to the host.
            consume(indices, logits.log_softmax(-1), shared);
        }
    }


    /// <summary>The length of the token prefix all sequences share, leaving each at least one token of its own.</summary>
    internal static int SharedPrefixLength(IReadOnlyList<int[]> sequences)
    {
        if (sequences.Count < 2) return 0;
        int n = sequences.Min(s => s.Length) - 1;
        var first = sequences[0];
        for (int i = 1; i < sequences.Count && n > 0; i++)
        {
            int k = 0;
            while (k < n && sequences[i][k] == first[k]) k++;
            n = k;
        }
        return Math.Max(0, n);
    }
}
