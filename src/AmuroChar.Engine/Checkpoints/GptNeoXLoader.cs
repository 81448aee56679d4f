using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>Opens a Hugging Face GPT-NeoX directory (a Pythia checkpoint) as a <see cref="GptNeoXForCausalLM"/>, as
/// <see cref="ModelLoader"/> does for OLMo: config first, checked against the weights' headers and this machine's memory
/// before anything is allocated, then the weights streamed into the parameters (validated before any byte is written).</summary>
public static class GptNeoXLoader
{
    public static GptNeoXForCausalLM Load(string directory, Device? device = null)
    {
        var config = GptNeoXDirectory.LoadConfig(directory);
        CheckBeforeAllocating(directory, config);
        var model = new GptNeoXForCausalLM(config);
        try
        {
            GptNeoXDirectory.LoadInto(directory, model.StateDict(), config);
            if (device is not null && device.type != DeviceType.CPU) model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A config.json whose sizes disagree with the weights fails here, naming both files, before a model of the
    /// config's size is built: layers are counted first (so the names a config implies are never listed for a layer
    /// count the weights don't have), then each parameter's shape, then the memory the model needs.
    /// </summary>
    public static void CheckBeforeAllocating(string directory, GptNeoXConfig config)
    {
        string configPath = Path.Combine(directory, HfModelDirectory.ConfigFileName);
        using var weights = HfWeightFiles.Open(directory);
        int layers = weights.Tensors.Keys.Select(GptNeoXParameterShapes.LayerIndex).Where(i => i >= 0).Distinct().Count();
        if (config.NumHiddenLayers != layers)
            throw new InvalidDataException($"{configPath}: num_hidden_layers is {config.NumHiddenLayers}, but the weights ({weights.Source}) hold {layers} layers");
        var expected = GptNeoXParameterShapes.Expected(config);
        foreach (var (name, shape) in expected)
            if (weights.Tensors.TryGetValue(name, out var stored) && !stored.Entry.Shape.SequenceEqual(shape))
                throw new InvalidDataException(
                    $"{configPath}: vocab_size {config.VocabSize}, hidden_size {config.HiddenSize}, intermediate_size {config.IntermediateSize} and " +
                    $"num_attention_heads {config.NumAttentionHeads} imply {name} {OlmoParameterShapes.Format(shape)}, but the weights ({weights.Source}) hold {stored.Entry.ShapeText}");
        // The parameters in fp32 plus what the weights can't bound: the rotary table (max_position_embeddings ×
        // rotary_ndims cosines and sines). Ignored buffers such as Pythia's saved causal masks don't count: they are skipped.
        long bytes;
        try { bytes = checked(expected.Values.Sum(shape => shape.Aggregate(4L, (a, b) => checked(a * b))) + (long)config.MaxPositionEmbeddings * config.RotaryNdims * 2 * 4); }
        catch (OverflowException) { bytes = long.MaxValue; }
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > memory)
            throw new InvalidDataException(
                $"{configPath}: the model needs about {bytes / 1048576.0:N0} MiB (its weights in fp32 and a rotary table for max_position_embeddings " +
                $"{config.MaxPositionEmbeddings}), more than this machine's {memory / 1048576.0:N0} MiB");
    }
}
