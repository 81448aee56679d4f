using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Model;

/// <summary>The sizes that code outside a model needs from it, whatever its family: a KV cache's layers, key/value
/// heads and head width, the context window, and the vocabulary (the embedding's rows).</summary>
public readonly record struct DecoderShape(int Layers, int KeyValueHeads, int HeadDim, int MaxPositions, int VocabSize);

/// <summary>
/// A causal language model of any family (OLMo, GPT-NeoX): what fine-tuning, evaluation, generation and the KV cache
/// take, so none of them names a family. A family's own code (its modules, config, parameter names and Hugging Face
/// files) stays behind this interface; the family is chosen once, by config.json's <c>model_type</c>
/// (<c>Checkpoints.ModelFamilies</c>).
/// </summary>
public interface ICausalLM : IDisposable
{
    /// <summary>config.json's <c>model_type</c>: "olmo", "gpt_neox".</summary>
    string ModelType { get; }

    DecoderShape Shape { get; }

    /// <summary>Where the parameters live; callers put their input tensors there.</summary>
    Device Device { get; }

    /// <summary>What the forward pass computes in; the parameters stay fp32.</summary>
    Precision Precision { get; set; }

    /// <summary>Logits [B, T, vocab] for <paramref name="inputIds"/> [B, T]; <paramref name="attentionMask"/> [B, T]
    /// (1 = token, 0 = padding) for left-padded batches; with a <paramref name="cache"/> the new tokens attend to
    /// everything cached and are appended to it, positions continuing from each row's count of real tokens.</summary>
    Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null);

    /// <summary>Parameters keyed by their Hugging Face state-dict names.</summary>
    IReadOnlyDictionary<string, Tensor> StateDict();

    /// <summary>The module itself: its parameters, <c>train()</c> / <c>eval()</c>, <c>to(device)</c>.</summary>
    nn.Module Module { get; }
}
