using AmuroChar.Model;
using static TorchSharp.torch;

namespace AmuroChar.Evaluation;

/// <summary>
/// Batched greedy decoding with the KV cache. Prompts are left-padded so every row's next token is predicted at the
/// same position; the padding is masked out and positions count real tokens only, so each row decodes exactly as it
/// would alone. The prefix all prompts share (the few-shot demonstrations) is computed once. A row stops at EOS (any
/// of <paramref name="stopIds"/>, which is not kept), at a stop sequence, or after <c>maxNewTokens</c>.
/// </summary>
/// <param name="sharePrefix">Compute the shared prefix once (the default); false prefills every row whole, still with
/// the KV cache for the generated tokens: the reference the shared prefix is tested and benchmarked against.</param>
public sealed class GreedyGenerator(ICausalLM model, int padId, IReadOnlyCollection<int> stopIds, int batchSize = 32, bool sharePrefix = true)
{
    public GreedyGenerator(ICausalLM model, int padId, int eosId, int batchSize = 32, bool sharePrefix = true) : this(model, padId, [eosId], batchSize, sharePrefix)
    {
    }

    /// <param name="stop">Called with a row's generated ids so far; true ends that row (e.g. a newline was produced).</param>
    public int[][] Generate(IReadOnlyList<int[]> prompts, int maxNewTokens, Func<IReadOnlyList<int>, bool>? stop = null, bool useCache = true)
    {
        using var _ = no_grad();
        model.Module.eval();
        var results = new int[prompts.Count][];
        int shared = useCache && sharePrefix ? Scorer.SharedPrefixLength(prompts) : 0;
        using var prefix = shared > 0 ? KvCache.Prefill(model, prompts[0][..shared]) : null;
        var order = Enumerable.Range(0, prompts.Count).OrderByDescending(i => prompts[i].Length).ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int[] indices = order[start..Math.Min(order.Length, start + batchSize)];
            var rows = useCache
                ? DecodeCached(indices.Select(i => prompts[i][shared..]).ToList(), prefix, shared, maxNewTokens, stop)
                : DecodeUncached(indices.Select(i => prompts[i]).ToList(), maxNewTokens, stop);
            for (int b = 0; b < indices.Length; b++) results[indices[b]] = rows[b];
        }
        return results;
    }

    List<int[]> DecodeCached(List<int[]> suffixes, KvCache? prefix, int shared, int maxNewTokens, Func<IReadOnlyList<int>, bool>? stop)
    {
        int n = suffixes.Count, width = suffixes.Max(s => s.Length);
        if (shared + width + maxNewTokens > model.Shape.MaxPositions)
            maxNewTokens = Math.Max(0, model.Shape.MaxPositions - shared - width);
        var (ids, mask) = LeftPad(suffixes, width);
        using var cache = prefix is null
            ? new KvCache(model.Shape, n, width + maxNewTokens, model.Device)
            : KvCache.FromPrefix(prefix, model.Shape, n, shared + width + maxNewTokens);
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToList();
        var done = new bool[n];
        using (var scope = NewDisposeScope())
        {
            var next = NextTokens(model.Forward(ids, mask, cache));
            for (int step = 0; step < maxNewTokens; step++)
            {
                if (Append(next, outputs, done, stop)) break;
                if (step == maxNewTokens - 1) break;
                using var stepScope = NewDisposeScope();
                var input = tensor(next.Select(x => (long)x).ToArray(), device: model.Device).unsqueeze(1);
                next = NextTokens(model.Forward(input, ones(n, 1, ScalarType.Int64, model.Device), cache));
            }
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }

    /// <summary>The reference path without a cache: the whole sequence is recomputed for every new token.</summary>
    List<int[]> DecodeUncached(List<int[]> prompts, int maxNewTokens, Func<IReadOnlyList<int>, bool>? stop)
    {
        int n = prompts.Count;
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToList();
        var done = new bool[n];
        for (int step = 0; step < maxNewTokens; step++)
        {
            using var scope = NewDisposeScope();
            var current = prompts.Select((p, i) => (int[])[.. p, .. outputs[i]]).ToList();
            int width = current.Max(s => s.Length);
            if (width > model.Shape.MaxPositions) break;
            var (ids, mask) = LeftPad(current, width);
            if (Append(NextTokens(model.Forward(ids, mask)), outputs, done, stop)) break;
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }

    /// <summary>Adds each unfinished row's token; returns true when every row is done.</summary>
    bool Append(int[] next, List<List<int>> outputs, bool[] done, Func<IReadOnlyList<int>, bool>? stop)
    {
        for (int b = 0; b < next.Length; b++)
        {
            if (done[b]) continue;
            if (stopIds.Contains(next[b])) { done[b] = true; continue; }
            outputs[b].Add(next[b]);
            if (stop?.Invoke(outputs[b]) == true) done[b] = true;
        }
        return done.All(d => d);
    }

    static int[] NextTokens(Tensor logits) => logits[.., -1].argmax(-1).cpu().data<long>().Select(x => (int)x).ToArray();

    (Tensor Ids, Tensor Mask) LeftPad(List<int[]> rows, int width)
    {
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        Array.Fill(ids, padId);
        for (int b = 0; b < rows.Count; b++)
        {
            int offset = width - rows[b].Length;
            for (int t = 0; t < rows[b].Length; t++) { ids[b * width + offset + t] = rows[b][t]; mask[b * width + offset + t] = 1; }
        }
        return (tensor(ids, [rows.Count, width], device: model.Device), tensor(mask, [rows.Count, width], device: model.Device));
    }

}
