using System.Text.RegularExpressions;

namespace AmuroChar.Model;

/// <summary>
/// The one definition of GPT-NeoX's parameters: Hugging Face state-dict names and shapes for a config, used by the
/// model, the loader and the saver alike (as <see cref="OlmoParameterShapes"/> is for OLMo). Unlike OLMo, every
/// LayerNorm has a weight and a bias, the linear layers have biases (the attention's only when attention_bias), and
/// the head <c>embed_out</c> is a matrix of its own.
/// </summary>
public static partial class GptNeoXParameterShapes
{
    public const string EmbeddingName = "gpt_neox.embed_in.weight";
    public const string HeadName = "embed_out.weight";
    public const string LayerPrefix = "gpt_neox.layers.";

    /// <summary>Names and shapes in module order (embedding, layers, final norm, head); [out, in] as torch.nn.Linear.</summary>
    public static IReadOnlyDictionary<string, long[]> Expected(GptNeoXConfig config)
    {
        long vocab = config.VocabSize, hidden = config.HiddenSize, intermediate = config.IntermediateSize;
        var shapes = new Dictionary<string, long[]> { [EmbeddingName] = [vocab, hidden] };
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string layer = $"{LayerPrefix}{i}";
            shapes[$"{layer}.input_layernorm.weight"] = [hidden];
            shapes[$"{layer}.input_layernorm.bias"] = [hidden];
            shapes[$"{layer}.post_attention_layernorm.weight"] = [hidden];
            shapes[$"{layer}.post_attention_layernorm.bias"] = [hidden];
            // Fused q/k/v: output row r belongs to head r / (3 * head_dim), and within it to q, k, v in that order.
            shapes[$"{layer}.attention.query_key_value.weight"] = [3 * hidden, hidden];
            if (config.AttentionBias) shapes[$"{layer}.attention.query_key_value.bias"] = [3 * hidden];
            shapes[$"{layer}.attention.dense.weight"] = [hidden, hidden];
            if (config.AttentionBias) shapes[$"{layer}.attention.dense.bias"] = [hidden];
            shapes[$"{layer}.mlp.dense_h_to_4h.weight"] = [intermediate, hidden];
            shapes[$"{layer}.mlp.dense_h_to_4h.bias"] = [intermediate];
            shapes[$"{layer}.mlp.dense_4h_to_h.weight"] = [hidden, intermediate];
            shapes[$"{layer}.mlp.dense_4h_to_h.bias"] = [hidden];
        }
        shapes["gpt_neox.final_layer_norm.weight"] = [hidden];
        shapes["gpt_neox.final_layer_norm.bias"] = [hidden];
        shapes[HeadName] = [vocab, hidden];
        return shapes;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is one of the non-persistent buffers older transformers versions wrote into
    /// Pythia's checkpoints and newer ones ignore on load: each layer's causal mask <c>attention.bias</c>, its
    /// <c>attention.masked_bias</c> and <c>attention.rotary_emb.inv_freq</c>, or the model-level
    /// <c>gpt_neox.rotary_emb.inv_freq</c>. All are recomputed from the config, so loading skips them; only layers the
    /// config has count, so a stray buffer of a layer that does not exist is still an unexpected tensor.
    /// </summary>
    public static bool IsIgnoredBuffer(string name, GptNeoXConfig config)
    {
        if (name == "gpt_neox.rotary_emb.inv_freq") return true;
        var match = LayerBuffer().Match(name);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int layer) && layer < config.NumHiddenLayers;
    }

    /// <summary>The layer index of a <c>gpt_neox.layers.{i}.…</c> name, or -1.</summary>
    public static int LayerIndex(string name)
    {
        if (!name.StartsWith(LayerPrefix, StringComparison.Ordinal)) return -1;
        int end = name.IndexOf('.', LayerPrefix.Length);
        return end > LayerPrefix.Length && int.TryParse(name.AsSpan(LayerPrefix.Length, end - LayerPrefix.Length),
            System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : -1;
    }

    [GeneratedRegex(@"^gpt_neox\.layers\.([0-9]+)\.attention\.(bias|masked_bias|rotary_emb\.inv_freq)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerBuffer();
}
