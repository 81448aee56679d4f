using static TorchSharp.torch;

namespace AmuroChar.Model;

/// <summary>
/// The positions and attention mask of a forward pass, the same for every family (<see cref="OlmoForCausalLM"/>,
/// <see cref="GptNeoXForCausalLM"/>): plain causal positions after the cache when nothing is padded; otherwise positions
/// that count each row's real tokens (left padding, transformers' generate) and a mask that hides the padding.
/// </summary>
static class DecoderPositions
{
    public static (Tensor Positions, Tensor? Mask) For(Tensor inputIds, Tensor? attentionMask, KvCache? cache, int maxPositions)
    {
        long b = inputIds.shape[0], t = inputIds.shape[1];
        int past = cache?.Length ?? 0;
        if (past + t > maxPositions)
            throw new ArgumentException($"sequence of {past + t} tokens exceeds max_position_embeddings {maxPositions}");

        bool plainCausal = attentionMask is null && cache?.HasPadding != true && (past == 0 || t == 1);
        if (plainCausal)
        {
            cache?.MarkReal(t);
            return (arange(past, past + t, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0).expand(b, t), null);
        }
        Tensor real = (attentionMask ?? ones(b, t, ScalarType.Int64, inputIds.device)).to(ScalarType.Int64);
        Tensor previous = cache?.RealCounts.clone() ?? zeros(b, 1, ScalarType.Int64, inputIds.device);
        Tensor positions = (previous + real.cumsum(1) - 1).clamp_min(0);
        Tensor keyIsReal = cache is null ? real.to(ScalarType.Bool) : cache.MarkReal(real);
        return (positions, CausalPaddingMask(keyIsReal, past, t));
    }

    // Query i (absolute slot past+i) may see key j when j <= past+i and key j is a real token; it always sees itself, so
    // a padding query gets a finite (ignored) output rather than a NaN from an all-masked softmax row.
    static Tensor CausalPaddingMask(Tensor keyIsReal, int past, long t)
    {
        long keys = keyIsReal.shape[1];
        Device device = keyIsReal.device;
        Tensor queryPos = arange(past, past + t, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        Tensor keyPos = arange(0, keys, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        Tensor causal = keyPos.le(queryPos);
        Tensor allowed = causal.unsqueeze(0).logical_and(keyIsReal.unsqueeze(1)).logical_or(keyPos.eq(queryPos).unsqueeze(0));
        return allowed.unsqueeze(1);
    }
}
