using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Model;

// The OLMo architecture, numerically as Hugging Face transformers' OlmoForCausalLM (modeling_olmo.py): pre-norm
// decoder blocks with a parameter-free LayerNorm computed in fp32, rotate-half RoPE, SwiGLU MLP, no biases, optional
// clip_qkv, grouped KV heads, tied or untied output embeddings. Field names are the HF state-dict keys, so
// named_parameters() yields "model.layers.0.self_attn.q_proj.weight" etc. with no mapping table.

/// <summary>LayerNorm without weight or bias (eps 1e-5), computed in fp32 and cast back, as OlmoLayerNorm.</summary>
public sealed class OlmoLayerNorm : nn.Module<Tensor, Tensor>
{
    readonly long[] _shape;
    public OlmoLayerNorm(long hiddenSize) : base(nameof(OlmoLayerNorm)) => _shape = [hiddenSize];

    public override Tensor forward(Tensor x)
    {
        if (x.dtype == ScalarType.Float32) return F.layer_norm(x, _shape, eps: 1e-5);
        return F.layer_norm(x.to(ScalarType.Float32), _shape, eps: 1e-5).to(x.dtype);
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class OlmoMlp : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    readonly Linear gate_proj, up_proj, down_proj;
#pragma warning restore IDE1006

    public OlmoMlp(OlmoConfig c) : base(nameof(OlmoMlp))
    {
        gate_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Precision p) =>
        MixedPrecision.Linear(down_proj, F.silu(MixedPrecision.Linear(gate_proj, x, p)) * MixedPrecision.Linear(up_proj, x, p), p);
}

/// <summary>Multi-head attention with rotary positions, optional q/k/v clipping and grouped KV heads.</summary>
public sealed class OlmoAttention : nn.Module
{
#pragma warning disable IDE1006
    readonly Linear q_proj, k_proj, v_proj, o_proj;
#pragma warning restore IDE1006
    readonly int _heads, _kvHeads, _headDim, _layer;
    readonly double? _clip;

    public OlmoAttention(OlmoConfig c, int layer) : base(nameof(OlmoAttention))
    {
        _heads = c.NumAttentionHeads; _kvHeads = c.KeyValueHeads; _headDim = c.HeadDim; _clip = c.ClipQkv; _layer = layer;
        q_proj = nn.Linear(c.HiddenSize, _heads * _headDim, hasBias: false);
        k_proj = nn.Linear(c.HiddenSize, _kvHeads * _headDim, hasBias: false);
        v_proj = nn.Linear(c.HiddenSize, _kvHeads * _headDim, hasBias: false);
        o_proj = nn.Linear(_heads * _headDim, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <param name="x">[B, T, hidden]</param>
    /// <param name="rope">cos/sin for the T new positions, [B, 1, T, headDim]</param>
    /// <param name="mask">boolean [B, 1, T, keys] (true = may attend), or null for plain causal attention</param>
    public Tensor Forward(Tensor x, (Tensor Cos, Tensor Sin) rope, Tensor? mask, KvCache? cache, Precision p)
    {
        long b = x.shape[0], t = x.shape[1];
        Tensor q = MixedPrecision.Linear(q_proj, x, p), k = MixedPrecision.Linear(k_proj, x, p), v = MixedPrecision.Linear(v_proj, x, p);
        if (_clip is { } clip) { q.clamp_(-clip, clip); k.clamp_(-clip, clip); v.clamp_(-clip, clip); }

        q = q.view(b, t, _heads, _headDim).transpose(1, 2);
        k = k.view(b, t, _kvHeads, _headDim).transpose(1, 2);
        v = v.view(b, t, _kvHeads, _headDim).transpose(1, 2);
        q = ApplyRotary(q, rope);
        k = ApplyRotary(k, rope);
        if (cache is not null) (k, v) = cache.Append(_layer, k, v);
        if (_kvHeads != _heads)
        {
            // HF repeat_kv: each KV head serves heads/kvHeads consecutive query heads.
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }

        // Without a mask, either the whole sequence is new (causal) or a single new token sees every cached key.
        Tensor attended = F.scaled_dot_product_attention(MixedPrecision.ForMatmul(q, p), MixedPrecision.ForMatmul(k, p), MixedPrecision.ForMatmul(v, p),
            attn_mask: mask, is_casual: mask is null && t > 1);
        return MixedPrecision.Linear(o_proj, attended.transpose(1, 2).reshape(b, t, _heads * _headDim), p);
    }

    static Tensor ApplyRotary(Tensor x, (Tensor Cos, Tensor Sin) rope)
    {
        // rotate_half: cat(-x2, x1) over the two halves of the head dimension.
        Tensor[] halves = x.chunk(2, dim: 3);
        Tensor rotated = cat([halves[1].neg(), halves[0]], dim: 3);
        return x * rope.Cos + rotated * rope.Sin;
    }
}

/// <summary>One pre-norm transformer block.</summary>
public sealed class OlmoDecoderLayer : nn.Module
{
#pragma warning disable IDE1006
    readonly OlmoAttention self_attn;
    readonly OlmoMlp mlp;
    readonly OlmoLayerNorm input_layernorm, post_attention_layernorm;
#pragma warning restore IDE1006

    public OlmoDecoderLayer(OlmoConfig c, int layer) : base(nameof(OlmoDecoderLayer))
    {
        self_attn = new OlmoAttention(c, layer);
        mlp = new OlmoMlp(c);
        input_layernorm = new OlmoLayerNorm(c.HiddenSize);
        post_attention_layernorm = new OlmoLayerNorm(c.HiddenSize);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, (Tensor Cos, Tensor Sin) rope, Tensor? mask, KvCache? cache, Precision p)
    {
        Tensor h = x + self_attn.Forward(input_layernorm.call(x), rope, mask, cache, p);
        return h + mlp.Forward(post_attention_layernorm.call(h), p);
    }
}

/// <summary>The decoder stack (HF "model."): embeddings, layers, final norm.</summary>
public sealed class OlmoModel : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Embedding embed_tokens;
    readonly ModuleList<OlmoDecoderLayer> layers;
    readonly OlmoLayerNorm norm;
#pragma warning restore IDE1006

    public OlmoModel(OlmoConfig c) : base(nameof(OlmoModel))
    {
        embed_tokens = nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: c.PadTokenId);
        layers = new ModuleList<OlmoDecoderLayer>(Enumerable.Range(0, c.NumHiddenLayers).Select(i => new OlmoDecoderLayer(c, i)).ToArray());
        norm = new OlmoLayerNorm(c.HiddenSize);
        RegisterComponents();
    }

    public Tensor Forward(Tensor inputIds, (Tensor Cos, Tensor Sin) rope, Tensor? mask, KvCache? cache, Precision p)
    {
        Tensor h = embed_tokens.forward(inputIds);
        foreach (var layer in layers) h = layer.Forward(h, rope, mask, cache, p);
        return norm.call(h);
    }
}

/// <summary>OlmoForCausalLM: the decoder plus the language-model head (tied to the embeddings unless configured).</summary>
public sealed class OlmoForCausalLM : nn.Module, ICausalLM
{
#pragma warning disable IDE1006
    readonly OlmoModel model;
    readonly Linear? lm_head;
#pragma warning restore IDE1006
    readonly RotaryTable _rotary;

    public OlmoConfig Config { get; }

    public string ModelType => Config.ModelType;
    public DecoderShape Shape => Config.Shape;
    public nn.Module Module => this;

    /// <summary>Where the parameters live; callers put their input tensors there.</summary>
    public Device Device => model.embed_tokens.weight!.device;

    /// <summary>What the forward pass computes in (<see cref="MixedPrecision"/>); the parameters stay fp32 under every
    /// setting. <see cref="Precision.Auto"/> is resolved against <see cref="Device"/> on each forward pass.</summary>
    public Precision Precision { get; set; } = Precision.Fp32;

    public OlmoForCausalLM(OlmoConfig config) : base(nameof(OlmoForCausalLM))
    {
        Config = config.Validate();
        model = new OlmoModel(config);
        if (!config.TieWordEmbeddings) lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        _rotary = new RotaryTable(config);
        RegisterComponents();
    }

    /// <summary>A model initialised as transformers' OlmoPreTrainedModel._init_weights: N(0, initializer_range) for
    /// every linear and embedding weight, the padding row of the embedding zero. Deterministic per seed.</summary>
    public static OlmoForCausalLM CreateRandom(OlmoConfig config, long seed)
    {
        var m = new OlmoForCausalLM(config);
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var (_, p) in m.named_parameters()) p.normal_(0, config.InitializerRange, generator);
        if (config.PadTokenId is { } pad) m.model.embed_tokens.weight![pad].zero_();
        return m;
    }

    /// <summary>
    /// Logits [B, T, vocab] for <paramref name="inputIds"/> [B, T].
    /// <paramref name="attentionMask"/> [B, T] (1 = token, 0 = padding) is needed only for left-padded batches; right
    /// padding needs no mask because causal attention never lets a real token see the padding after it.
    /// With a <paramref name="cache"/>, the new tokens attend to everything cached before them and are appended to it;
    /// positions continue from each row's count of real tokens, as in transformers' generate.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        long t = inputIds.shape[1];
        var (positions, mask) = DecoderPositions.For(inputIds, attentionMask, cache, Config.MaxPositionEmbeddings);

        var rope = _rotary.At(positions, Config.HeadDim, model.embed_tokens.weight!.dtype);
        var p = Precision.On(Device);
        ComputeLedger.Forward(inputIds.shape[0] * t, (cache?.Length ?? 0) + t);
        Tensor hidden = model.Forward(inputIds, rope, mask, cache, p);
        cache?.Advance(t);
        if (p == Precision.Fp32) return lm_head is null ? F.linear(hidden, model.embed_tokens.weight!) : lm_head.forward(hidden);
        return MixedPrecision.Logits(lm_head is null ? MixedPrecision.Linear(hidden, model.embed_tokens.weight!, p) : MixedPrecision.Linear(lm_head, hidden, p));
    }

    /// <summary>Parameters keyed by their Hugging Face state-dict names.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() =>
        named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
}

/// <summary>cos/sin of the rotary angles for every position up to max_position_embeddings, computed once in fp32 as
/// transformers does (inv_freq = 1 / theta^(2i/d); angles = position * inv_freq; emb = cat(angles, angles)).</summary>
sealed class RotaryTable(OlmoConfig config)
{
    Tensor? _cos, _sin;

    public (Tensor Cos, Tensor Sin) At(Tensor positions, int headDim, ScalarType dtype)
    {
        if (_cos is null || _cos.device != positions.device || _cos.dtype != dtype)
        {
            using var scope = NewDisposeScope();
            Tensor invFreq = 1.0 / pow(config.RopeTheta, arange(0, headDim, 2, dtype: ScalarType.Int64).to(ScalarType.Float32) / headDim);
            Tensor angles = arange(config.MaxPositionEmbeddings, dtype: ScalarType.Float32).unsqueeze(1) * invFreq.unsqueeze(0);
            Tensor emb = cat([angles, angles], dim: 1);
            _cos?.Dispose(); _sin?.Dispose();
            _cos = emb.cos().to(dtype, positions.device).DetachFromDisposeScope();
            _sin = emb.sin().to(dtype, positions.device).DetachFromDisposeScope();
        }
        // [B, T] positions -> [B, 1, T, headDim]
        long b = positions.shape[0], t = positions.shape[1];
        Tensor flat = positions.reshape(-1);
        return (_cos.index_select(0, flat).view(b, 1, t, headDim), _sin!.index_select(0, flat).view(b, 1, t, headDim));
    }
}
