using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>Opens a Hugging Face model directory: config first, then the weights streamed into the parameters
/// (validated before any byte is written, so a bad directory never half-loads).</summary>
public static class ModelLoader
{
    /// <summary>The model of whichever family the directory's config.json names (<see cref="ModelFamilies"/>).</summary>
    public static ICausalLM Load(string directory, Device? device = null) => ModelFamilies.Of(directory).Load(directory, device);

    /// <summary>An OLMo directory as an <see cref="OlmoForCausalLM"/>.</summary>
    public static OlmoForCausalLM LoadOlmo(string directory, Device? device = null)
    {
        var config = HfModelDirectory.LoadConfig(directory);
        CheckBeforeAllocating(directory, config);
        var model = new OlmoForCausalLM(config);
        try
        {
            HfModelDirectory.LoadInto(directory, model.StateDict(), config);
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
    /// The config checked against the weights' headers and this machine's memory before a byte is allocated: a
    /// config.json claiming hidden_size 10^9 or 10^6 layers used to be built first (an unhandled native abort, exit 134)
    /// and only then compared with the weights. Layers are counted first, so even the list of names a config implies is
    /// not built for a layer count the weights don't have.
    /// </summary>
    public static void CheckBeforeAllocating(string directory, OlmoConfig config)
    {
        string configPath = Path.Combine(directory, HfModelDirectory.ConfigFileName);
        using var weights = HfWeightFiles.Open(directory);
        int layers = weights.Tensors.Keys.Select(LayerIndex).Where(i => i >= 0).Distinct().Count();
        if (config.NumHiddenLayers != layers)
            throw new InvalidDataException($"{configPath}: num_hidden_layers is {config.NumHiddenLayers}, but the weights ({weights.Source}) hold {layers} layers");
        foreach (var (name, shape) in OlmoParameterShapes.Expected(config))
            if (weights.Tensors.TryGetValue(name, out var stored) && !stored.Entry.Shape.SequenceEqual(shape))
                throw new InvalidDataException(
                    $"{configPath}: vocab_size {config.VocabSize}, hidden_size {config.HiddenSize}, intermediate_size {config.IntermediateSize} and the head counts " +
                    $"imply {name} {OlmoParameterShapes.Format(shape)}, but the weights ({weights.Source}) hold {stored.Entry.ShapeText}");
        // What the weights can't bound: the rotary table, max_position_embeddings × head_dim cosines and sines in fp32.
        long bytes;
        try { bytes = checked(weights.Tensors.Values.Sum(t => t.Entry.Shape.Aggregate(4L, (a, b) => checked(a * b))) + (long)config.MaxPositionEmbeddings * config.HeadDim * 2 * 4); }
        catch (OverflowException) { bytes = long.MaxValue; }
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > memory)
            throw new InvalidDataException(
                $"{configPath}: the model needs about {bytes / 1048576.0:N0} MiB (its weights in fp32 and a rotary table for max_position_embeddings " +
                $"{config.MaxPositionEmbeddings}), more than this machine's {memory / 1048576.0:N0} MiB");
    }

    static int LayerIndex(string name)
    {
        const string prefix = "model.layers.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return -1;
        int end = name.IndexOf('.', prefix.Length);
        return end > prefix.Length && int.TryParse(name.AsSpan(prefix.Length, end - prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : -1;
    }
}
