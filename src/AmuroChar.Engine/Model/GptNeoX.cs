using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AmuroChar.Model;

/// <summary>The decoder stack (HF "gpt_neox."): embeddings, layers, final LayerNorm.</summary>
public sealed class GptNeoXModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    internal readonly Embedding embed_in;
    readonly ModuleList<GptNeoXLayer> layers;
    readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006

    public GptNeoXModel(GptNeoXConfig c) : base(nameof(GptNeoXModel))
    {
        // No padding_idx: GPT-NeoX's embedding has none, so every row is a trained (or randomly drawn) vector.
        embed_in = nn.Embedding(c.VocabSize, c.HiddenSize);
        layers = new ModuleList<GptNeoXLayer>(Enumerable.Range(0, c.NumHiddenLayers).Select(i => new GptNeoXLayer(c, i)).ToArray());
        final_layer_norm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        RegisterComponents();
    }

    public Tensor Forward(Tensor inputIds, (Tensor Cos, Tensor Sin) rope, Tensor? mask, KvCache? cache, Precision p)
    {
        Tensor h = embed_in.forward(inputIds);
        foreach (var layer in layers) h = layer.Forward(h, rope, mask, cache, p);
        return final_layer_norm.call(h);
    }
}

/// <summary>
/// GPTNeoXForCausalLM as Pythia uses it: the decoder plus its own output matrix <c>embed_out</c> (untied, no bias).
/// The calling contract is <see cref="OlmoForCausalLM"/>'s: the same Forward, the same <see cref="KvCache"/>, the same
/// left-padding mask and position rule, the same <see cref="Model.Precision"/> setting.
/// </summary>
public sealed class GptNeoXForCausalLM : nn.Module, ICausalLM
{
#pragma warning disable IDE1006
    readonly GptNeoXModel gpt_neox;
    readonly Linear embed_out;
#pragma warning restore IDE1006
    readonly GptNeoXRotaryTable _rotary;

    public GptNeoXConfig Config { get; }

    public string ModelType => Config.ModelType;
    /// <summary>Every head has its own keys and values, all head_dim wide (the rotated and the pass-through dimensions
    /// alike).</summary>
    public DecoderShape Shape => new(Config.NumHiddenLayers, Config.NumAttentionHeads, Config.HeadDim, Config.MaxPositionEmbeddings, Config.VocabSize);
    public nn.Module Module => this;

    /// <summary>Where the parameters live; callers put their input tensors there.</summary>
    public Device Device => gpt_neox.embed_in.weight!.device;

    /// <summary>What the forward pass computes in (<see cref="MixedPrecision"/>); the parameters stay fp32.</summary>
    public Precision Precision { get; set; } = Precision.Fp32;

    public GptNeoXForCausalLM(GptNeoXConfig config) : base(nameof(GptNeoXForCausalLM))
    {
        Config = config.Validate();
        gpt_neox = new GptNeoXModel(config);
        embed_out = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        _rotary = new GptNeoXRotaryTable(config);
        RegisterComponents();
    }

    /// <summary>A model initialised as transformers' GPTNeoXPreTrainedModel._init_weights: N(0, initializer_range) for
    /// every linear and embedding weight, zero biases, LayerNorm weights one and biases zero. Deterministic per seed.</summary>
    public static GptNeoXForCausalLM CreateRandom(GptNeoXConfig config, long seed)
    {
        var m = new GptNeoXForCausalLM(config);
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var (name, p) in m.named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (IsLayerNorm(name)) p.fill_(1.0);
            else p.normal_(0, config.InitializerRange, generator);
        }
        return m;
    }

    internal static bool IsLayerNorm(string parameterName) =>
        parameterName.Contains("layernorm.", StringComparison.Ordinal) || parameterName.Contains("layer_norm.", StringComparison.Ordinal);

    /// <summary>
    /// Logits [B, T, vocab] for <paramref name="inputIds"/> [B, T], exactly as <see cref="OlmoForCausalLM.Forward"/>:
    /// <paramref name="attentionMask"/> [B, T] (1 = token, 0 = padding) is needed only for left-padded batches; with a
    /// <paramref name="cache"/> (made for this config), the new tokens attend to everything cached before them and are
    /// appended to it, and positions continue from each row's count of real tokens, as in transformers' generate.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        long t = inputIds.shape[1];
        var (positions, mask) = DecoderPositions.For(inputIds, attentionMask, cache, Config.MaxPositionEmbeddings);

        var rope = _rotary.At(positions, gpt_neox.embed_in.weight!.dtype);
        var p = Precision.On(Device);
        ComputeLedger.Forward(inputIds.shape[0] * t, (cache?.Length ?? 0) + t);
        Tensor hidden = gpt_neox.Forward(inputIds, rope, mask, cache, p);
        cache?.Advance(t);
        return p == Precision.Fp32 ? embed_out.forward(hidden) : MixedPrecision.Logits(MixedPrecision.Linear(embed_out, hidden, p));
    }

    /// <summary>Parameters keyed by their Hugging Face state-dict names.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() =>
        named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
}
