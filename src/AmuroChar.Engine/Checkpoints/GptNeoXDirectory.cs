using AmuroChar.Model;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>
/// Hugging Face model directories of GPT-NeoX models (EleutherAI's Pythia) as transformers'
/// <c>GPTNeoXForCausalLM.save_pretrained</c> writes them and <c>from_pretrained</c> reads them: <c>config.json</c> with
/// <c>model_type: "gpt_neox"</c> plus <c>model.safetensors</c> or shards listed in <c>model.safetensors.index.json</c>
/// (read by the same <see cref="HfWeightFiles"/> as OLMo's). The checkpoint must hold exactly the parameters the
/// config implies, except for the non-persistent buffers older transformers versions saved
/// (<see cref="GptNeoXParameterShapes.IsIgnoredBuffer"/>), which are skipped as transformers skips them.
/// </summary>
public static class GptNeoXDirectory
{
    /// <summary>transformers refuses safetensors files without this metadata ("format": "pt").</summary>
    static readonly Dictionary<string, string> TransformersMetadata = new() { ["format"] = "pt" };

    public static GptNeoXConfig LoadConfig(string directory)
    {
        HfModelDirectory.RequireDirectory(directory);
        string path = Path.Combine(directory, HfModelDirectory.ConfigFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: no {HfModelDirectory.ConfigFileName} in model directory", path);
        return GptNeoXConfig.Load(path);
    }

    /// <summary>Whether the directory's config.json says <c>model_type: "gpt_neox"</c> (false when it names another
    /// family or none), so a caller can choose between this and <see cref="HfModelDirectory"/>.</summary>
    public static bool IsGptNeoX(string directory)
    {
        string path = Path.Combine(directory, HfModelDirectory.ConfigFileName);
        return File.Exists(path) && GptNeoXConfig.ReadModelType(File.ReadAllText(path), path) == "gpt_neox";
    }

    /// <summary>
    /// Streams the checkpoint into a model's parameters (HF state-dict names), converting F16/BF16/F32 to each
    /// parameter's dtype. Every tensor is checked — none missing, none unexpected, every shape right — before the first
    /// byte is written: a failed load changes nothing. Errors name the weights file.
    /// </summary>
    public static void LoadInto(string directory, IReadOnlyDictionary<string, Tensor> parameters, GptNeoXConfig config)
    {
        var expected = GptNeoXParameterShapes.Expected(config);
        var mismatched = HfModelDirectory.ShapeProblems(parameters.Select(pair => (pair.Key, pair.Value.shape)), expected, ignore: null);
        if (mismatched.Count > 0)
            throw new ArgumentException($"the parameters to load into do not match the config: {string.Join("; ", mismatched)}", nameof(parameters));

        using var weights = HfWeightFiles.Open(directory);
        var missing = expected.Keys.Where(name => !weights.Tensors.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw SafeTensorsHeader.Invalid(weights.Source,
                $"missing tensors that {HfModelDirectory.ConfigFileName} implies: {string.Join(", ", missing)}");
        var unexpected = weights.Tensors.Keys
            .Where(name => !expected.ContainsKey(name) && !GptNeoXParameterShapes.IsIgnoredBuffer(name, config))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unexpected.Count > 0)
            throw SafeTensorsHeader.Invalid(weights.Source,
                $"unexpected tensors, not parameters of the GPT-NeoX model {HfModelDirectory.ConfigFileName} describes: {string.Join(", ", unexpected)}");
        foreach (string name in expected.Keys)
        {
            var (shard, entry) = weights.Tensors[name];
            SafeTensorsFile.CheckCompatible(shard.Header, entry, parameters[name], HfModelDirectory.ConfigFileName);
        }

        foreach (var shard in weights.Shards)
        {
            var pairs = expected.Keys
                .Select(name => (Name: name, Location: weights.Tensors[name]))
                .Where(item => ReferenceEquals(item.Location.Shard, shard))
                .OrderBy(item => item.Location.Entry.Begin) // sequential reads
                .Select(item => (item.Location.Entry, parameters[item.Name]));
            SafeTensorsFile.CopyInto(shard.Handle, shard.Header, pairs);
        }
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c>, each atomically, as transformers' save_pretrained does
    /// for a model this small (one file, "format": "pt" metadata, torch_dtype from the weights); weight files of an
    /// earlier save in another layout are removed. The state dict must match <paramref name="config"/> exactly.
    /// </summary>
    public static void Save(string directory, GptNeoXConfig config, IEnumerable<(string Name, Tensor Tensor)> stateDict)
    {
        config.Validate(Path.Combine(directory, HfModelDirectory.ConfigFileName));
        var tensors = stateDict.ToList();
        var duplicates = tensors.GroupBy(item => item.Name).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (duplicates.Count > 0) throw new ArgumentException($"duplicate tensor names in the state dict: {string.Join(", ", duplicates)}");
        var problems = HfModelDirectory.ShapeProblems(tensors.Select(item => (item.Name, item.Tensor.shape)), GptNeoXParameterShapes.Expected(config), ignore: null);
        if (problems.Count > 0) throw new ArgumentException($"the state dict does not match the config: {string.Join("; ", problems)}");

        Directory.CreateDirectory(directory);
        SafeTensorsFile.Save(Path.Combine(directory, HfModelDirectory.WeightsFileName), tensors, TransformersMetadata);
        (config with { TorchDtype = HfModelDirectory.TorchDtypeName(tensors) ?? config.TorchDtype })
            .Save(Path.Combine(directory, HfModelDirectory.ConfigFileName));
        HfModelDirectory.RemoveStaleWeights(directory, [HfModelDirectory.WeightsFileName]);
    }

    /// <summary>Saves a model's config and parameters.</summary>
    public static void Save(string directory, GptNeoXForCausalLM model) =>
        Save(directory, model.Config, model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
}
