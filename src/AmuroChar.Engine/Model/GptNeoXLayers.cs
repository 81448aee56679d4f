using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Model;

// The GPT-NeoX decoder block, numerically as Hugging Face transformers' GPTNeoXLayer (modeling_gpt_neox.py), the
// architecture of EleutherAI's Pythia: LayerNorms with weight and bias, a fused query_key_value projection, rotary
// positions on only the first rotary_pct of each head's dimensions, an exact-GELU MLP with biases, and (for Pythia) a
// parallel residual. Field names are the HF state-dict keys, so named_parameters() yields
// "gpt_neox.layers.0.attention.query_key_value.weight" etc. with no mapping table. Precision follows the same
// autocast rules as OLMo (MixedPrecision): the linears and attention in bf16 under bf16-mixed, LayerNorm and the
// residual stream in fp32.

/// <summary>dense_4h_to_h(gelu(dense_h_to_4h(x))), GELU exact (erf), as transformers' ACT2FN["gelu"].</summary>
public sealed class GptNeoXMlp : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    readonly Linear dense_h_to_4h, dense_4h_to_h;
#pragma warning restore IDE1006

    public GptNeoXMlp(GptNeoXConfig c) : base(nameof(GptNeoXMlp))
    {
        dense_h_to_4h = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: true);
        dense_4h_to_h = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: true);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Precision p) =>
        MixedPrecision.Linear(dense_4h_to_h, F.gelu(MixedPrecision.Linear(dense_h_to_4h, x, p)), p);
}

/// <summary>Causal multi-head attention with a fused q/k/v projection and partial rotary embeddings.</summary>
public sealed class GptNeoXAttention : nn.Module
{
#pragma warning disable IDE1006
    readonly Linear query_key_value, dense;
#pragma warning restore IDE1006
    readonly int _heads, _headDim, _rotaryNdims, _layer;

    public GptNeoXAttention(GptNeoXConfig c, int layer) : base(nameof(GptNeoXAttention))
    {
        _heads = c.NumAttentionHeads; _headDim = c.HeadDim; _rotaryNdims = c.RotaryNdims; _layer = layer;
        query_key_value = nn.Linear(c.HiddenSize, 3 * c.HiddenSize, hasBias: c.AttentionBias);
        dense = nn.Linear(c.HiddenSize, c.HiddenSize, hasBias: c.AttentionBias);
        RegisterComponents();
    }

    /// <param name="x">[B, T, hidden]</param>
    /// <param name="rope">cos/sin for the T new positions over the rotary dimensions, [B, 1, T, rotaryNdims]</param>
    /// <param name="mask">boolean [B, 1, T, keys] (true = may attend), or null for plain causal attention</param>
    public Tensor Forward(Tensor x, (Tensor Cos, Tensor Sin) rope, Tensor? mask, KvCache? cache, Precision p)
    {
        long b = x.shape[0], t = x.shape[1];
        // The fused projection's 3·hidden outputs are laid out per head — [heads, 3, head_dim] — not as three
        // hidden-wide blocks: transformers views them as [B, T, heads, 3·head_dim] and splits the last dimension into
        // q, k, v. Reading them as [q | k | v] blocks would load Pythia without error and compute nonsense.
        Tensor qkv = MixedPrecision.Linear(query_key_value, x, p).view(b, t, _heads, 3 * _headDim).transpose(1, 2);
        Tensor[] parts = qkv.chunk(3, dim: 3);
        Tensor q = ApplyRotary(parts[0], rope), k = ApplyRotary(parts[1], rope), v = parts[2];
        if (cache is not null) (k, v) = cache.Append(_layer, k, v);

        // SDPA's default scale is 1/sqrt(head_dim), transformers' self.scaling; without a mask, either the whole
        // sequence is new (causal) or a single new token sees every cached key.
        Tensor attended = F.scaled_dot_product_attention(MixedPrecision.ForMatmul(q, p), MixedPrecision.ForMatmul(k, p), MixedPrecision.ForMatmul(v, p),
            attn_mask: mask, is_casual: mask is null && t > 1);
        return MixedPrecision.Linear(dense, attended.transpose(1, 2).reshape(b, t, _heads * _headDim), p);
    }

    /// <summary>NeoX-style (rotate-half, not interleaved) rotation of the first rotary_ndims dimensions of each head;
    /// the remaining dimensions pass through unchanged.</summary>
    Tensor ApplyRotary(Tensor x, (Tensor Cos, Tensor Sin) rope)
    {
        Tensor rotary = _rotaryNdims == _headDim ? x : x.narrow(3, 0, _rotaryNdims);
        Tensor[] halves = rotary.chunk(2, dim: 3);
        Tensor rotated = cat([halves[1].neg(), halves[0]], dim: 3);
        Tensor embedded = rotary * rope.Cos + rotated * rope.Sin;
        return _rotaryNdims == _headDim ? embedded : cat([embedded, x.narrow(3, _rotaryNdims, _headDim - _rotaryNdims)], dim: 3);
    }
}

/// <summary>One block: with a parallel residual (Pythia) x + attn(ln1(x)) + mlp(ln2(x)); otherwise the sequential
/// h = x + attn(ln1(x)), h + mlp(ln2(h)). The sums are in transformers' order (mlp + attn + x), which fp32 rounding
/// can tell apart.</summary>
public sealed class GptNeoXLayer : nn.Module
{
#pragma warning disable IDE1006
    readonly LayerNorm input_layernorm, post_attention_layernorm;
    readonly GptNeoXAttention attention;
    readonly GptNeoXMlp mlp;
#pragma warning restore IDE1006
    readonly bool _parallel;

    public GptNeoXLayer(GptNeoXConfig c, int layer) : base(nameof(GptNeoXLayer))
    {
        input_layernorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        post_attention_layernorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        attention = new GptNeoXAttention(c, layer);
        mlp = new GptNeoXMlp(c);
        _parallel = c.UseParallelResidual;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, (Tensor Cos, Tensor Sin) rope, Tensor? mask, KvCache? cache, Precision p)
    {
        Tensor attended = attention.Forward(input_layernorm.call(x), rope, mask, cache, p);
        if (_parallel) return mlp.Forward(post_attention_layernorm.call(x), p) + attended + x;
        Tensor h = attended + x;
        return mlp.Forward(post_attention_layernorm.call(h), p) + h;
    }
}

/// <summary>cos/sin of the rotary angles over the rotary dimensions for every position up to
/// max_position_embeddings, computed once in fp32 as transformers does (inv_freq = 1 / base^(2i/rotary_ndims);
/// angles = position · inv_freq; emb = cat(angles, angles)).</summary>
sealed class GptNeoXRotaryTable(GptNeoXConfig config)
{
    Tensor? _cos, _sin;

    public (Tensor Cos, Tensor Sin) At(Tensor positions, ScalarType dtype)
    {
        int dims = config.RotaryNdims;
        if (_cos is null || _cos.device != positions.device || _cos.dtype != dtype)
        {
            using var scope = NewDisposeScope();
            // On the host, as transformers computes its inv_freq buffer at construction, then moved with the table.
            Tensor invFreq = 1.0 / pow(config.RotaryBase, arange(0, dims, 2, dtype: ScalarType.Int64, device: CPU).to(ScalarType.Float32) / dims);
            Tensor angles = arange(config.MaxPositionEmbeddings, dtype: ScalarType.Float32, device: CPU).unsqueeze(1) * invFreq.unsqueeze(0);
            Tensor emb = cat([angles, angles], dim: 1);
            _cos?.Dispose(); _sin?.Dispose();
            _cos = emb.cos().to(dtype, positions.device).DetachFromDisposeScope();
            _sin = emb.sin().to(dtype, positions.device).DetachFromDisposeScope();
        }
        // [B, T] positions -> [B, 1, T, rotaryNdims]
        long b = positions.shape[0], t = positions.shape[1];
        Tensor flat = positions.reshape(-1);
        return (_cos.index_select(0, flat).view(b, 1, t, dims), _sin!.index_select(0, flat).view(b, 1, t, dims));
    }
}
