namespace AmuroChar.Model;

/// <summary>
/// The one definition of OLMo's parameters: Hugging Face state-dict names and shapes for a config. The model, the
/// checkpoint loader and the saver all use it, so a checkpoint that loads here also loads in transformers.
/// OLMo's LayerNorm has no weights, so there are no norm entries; <c>lm_head.weight</c> exists only when the
/// embeddings are untied.
/// </summary>
public static class OlmoParameterShapes
{
    public const string EmbeddingName = "model.embed_tokens.weight";
    public const string LmHeadName = "lm_head.weight";

    /// <summary>Names and shapes in module order (embedding, layers, head). Shapes are [out, in] as in torch.nn.Linear.</summary>
    public static IReadOnlyDictionary<string, long[]> Expected(OlmoConfig config)
    {
        long vocab = config.VocabSize, hidden = config.HiddenSize, intermediate = config.IntermediateSize;
        long queryWidth = (long)config.NumAttentionHeads * config.HeadDim;
        long keyValueWidth = (long)config.KeyValueHeads * config.HeadDim;

        var shapes = new Dictionary<string, long[]> { [EmbeddingName] = [vocab, hidden] };
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string layer = $"model.layers.{i}";
            shapes[$"{layer}.self_attn.q_proj.weight"] = [queryWidth, hidden];
            shapes[$"{layer}.self_attn.k_proj.weight"] = [keyValueWidth, hidden];
            shapes[$"{layer}.self_attn.v_proj.weight"] = [keyValueWidth, hidden];
            shapes[$"{layer}.self_attn.o_proj.weight"] = [hidden, queryWidth];
            shapes[$"{layer}.mlp.gate_proj.weight"] = [intermediate, hidden];
            shapes[$"{layer}.mlp.up_proj.weight"] = [intermediate, hidden];
            shapes[$"{layer}.mlp.down_proj.weight"] = [hidden, intermediate];
        }
        if (!config.TieWordEmbeddings) shapes[LmHeadName] = [vocab, hidden];
        return shapes;
    }

    /// <summary>"[2, 3]": shapes as they appear in error messages.</summary>
    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
