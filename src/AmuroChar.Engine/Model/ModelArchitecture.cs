namespace AmuroChar.Model;

/// <summary>
/// What a cost model needs to know of a model of any family: its parameter count (from the family's one definition of
/// its tensors), whether the input embedding is also the output projection, the transformer's widths, and how many
/// MLP-wide tensors one layer keeps for the backward pass. The planner and <c>amurochar bench</c> price any family
/// from this (Bench/CostModel.cs), so neither names a family.
/// </summary>
/// <param name="MlpSavedTensors">Intermediate-width activations autograd keeps per layer: 4 for OLMo's SwiGLU (gate
/// output, silu(gate), up output, their product), 2 for GPT-NeoX's GELU MLP (the up projection's output and the
/// GELU's).</param>
public sealed record ModelArchitecture(string ModelType, long Parameters, bool TiedEmbeddings, int Layers, int HiddenSize,
    int IntermediateSize, int AttentionHeads, int HeadDim, int VocabSize, int MlpSavedTensors)
{
    /// <summary>Parameters that take part in a matrix product per token: all but an untied input embedding, whose
    /// lookup costs no FLOPs (a tied one is the output projection too, so it counts).</summary>
    public long MatmulParameters => Parameters - (TiedEmbeddings ? 0 : (long)VocabSize * HiddenSize);

    /// <summary>The width of the attention products QKᵀ and softmax·V: heads × head dimension.</summary>
    public long AttentionWidth => (long)AttentionHeads * HeadDim;

    static long Count(IReadOnlyDictionary<string, long[]> shapes) => shapes.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b));

    public static ModelArchitecture Of(OlmoConfig c) => new("olmo", Count(OlmoParameterShapes.Expected(c)), c.TieWordEmbeddings,
        c.NumHiddenLayers, c.HiddenSize, c.IntermediateSize, c.NumAttentionHeads, c.HeadDim, c.VocabSize, MlpSavedTensors: 4);

    public static ModelArchitecture Of(GptNeoXConfig c) => new("gpt_neox", Count(GptNeoXParameterShapes.Expected(c)), c.TieWordEmbeddings,
        c.NumHiddenLayers, c.HiddenSize, c.IntermediateSize, c.NumAttentionHeads, c.HeadDim, c.VocabSize, MlpSavedTensors: 2);
}
