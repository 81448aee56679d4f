using System.Text.RegularExpressions;
using AmuroChar.Model;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>
/// Hugging Face model directories as transformers' <c>OlmoForCausalLM.save_pretrained</c> writes them and
/// <c>from_pretrained</c> reads them: <c>config.json</c> plus <c>model.safetensors</c>, or shards
/// <c>model-0000i-of-0000n.safetensors</c> listed in <c>model.safetensors.index.json</c>. Other files (tokenizer,
/// generation config) are ignored, so downloaded <c>allenai/OLMo-1B-hf</c> revisions open as they are. Directories
/// that hold only <c>pytorch_model.bin</c> (or its sharded index) load too (<see cref="HfWeightFiles"/>); saving always
/// writes safetensors.
/// </summary>
public static partial class HfModelDirectory
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";
    /// <summary>The torch.save checkpoint of repositories that predate safetensors (read only, never written).</summary>
    public const string TorchWeightsFileName = "pytorch_model.bin";
    public const string TorchIndexFileName = "pytorch_model.bin.index.json";

    /// <summary>transformers refuses safetensors files without this metadata ("format": "pt").</summary>
    static readonly Dictionary<string, string> TransformersMetadata = new() { ["format"] = "pt" };

    public static OlmoConfig LoadConfig(string directory)
    {
        RequireDirectory(directory);
        string path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: no {ConfigFileName} in model directory", path);
        return OlmoConfig.Load(path);
    }

    /// <summary>Every tensor of the checkpoint as a new CPU tensor (floating-point ones converted to
    /// <paramref name="convertTo"/> if given), without checking them against a config.</summary>
    public static Dictionary<string, Tensor> LoadStateDict(string directory, ScalarType? convertTo = null)
    {
        using var weights = HfWeightFiles.Open(directory);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, (shard, entry)) in weights.Tensors)
                tensors[name] = SafeTensorsFile.ReadTensor(shard.Handle, shard.Header, entry, convertTo);
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>
    /// Streams the checkpoint into a model's parameters (HF state-dict names, e.g. from <c>named_parameters()</c>),
    /// converting F16/BF16/F32 to each parameter's dtype. The checkpoint must hold exactly the parameters
    /// <paramref name="config"/> implies, with their shapes; a tied model ignores a stored <c>lm_head.weight</c>, as
    /// transformers does. Every shard is validated before the first byte is written: a failed load changes nothing.
    /// </summary>
    public static void LoadInto(string directory, IReadOnlyDictionary<string, Tensor> parameters, OlmoConfig config)
    {
        var expected = OlmoParameterShapes.Expected(config);
        CheckParametersMatchConfig(parameters, expected, config);

        using var weights = HfWeightFiles.Open(directory);
        var missing = expected.Keys.Where(name => !weights.Tensors.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw SafeTensorsHeader.Invalid(weights.Source,
                $"missing tensors that {ConfigFileName} implies: {string.Join(", ", missing)}");
        var unexpected = weights.Tensors.Keys
            .Where(name => !expected.ContainsKey(name) && !(config.TieWordEmbeddings && name == OlmoParameterShapes.LmHeadName))
            .ToList();
        if (unexpected.Count > 0)
            throw SafeTensorsHeader.Invalid(weights.Source,
                $"unexpected tensors, not parameters of the model {ConfigFileName} describes: {string.Join(", ", unexpected)}");
        foreach (string name in expected.Keys)
        {
            var (shard, entry) = weights.Tensors[name];
            SafeTensorsFile.CheckCompatible(shard.Header, entry, parameters[name], ConfigFileName);
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
    /// Writes <c>config.json</c> and the weights, each file atomically: <c>model.safetensors</c>, or, when the
    /// tensors exceed <paramref name="maxShardBytes"/>, shards plus an index. A tied model's <c>lm_head.weight</c> is
    /// left out, as transformers does. Weight files of an earlier save in another layout are removed afterwards, since
    /// transformers would prefer a stale <c>model.safetensors</c> over a new index. The state dict must match
    /// <paramref name="config"/> exactly (names and shapes).
    /// </summary>
    public static void Save(string directory, OlmoConfig config, IEnumerable<(string Name, Tensor Tensor)> stateDict,
        long? maxShardBytes = null)
    {
        if (maxShardBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), maxShardBytes, "must be positive");
        config.Validate(Path.Combine(directory, ConfigFileName));
        var tensors = stateDict
            .Where(item => !(config.TieWordEmbeddings && item.Name == OlmoParameterShapes.LmHeadName))
            .ToList();
        CheckStateDictMatchesConfig(tensors, OlmoParameterShapes.Expected(config));

        Directory.CreateDirectory(directory);
        var shards = maxShardBytes is { } limit ? SplitIntoShards(tensors, limit) : [tensors];
        var written = new HashSet<string>(StringComparer.Ordinal);
        if (shards.Count == 1)
        {
            SafeTensorsFile.Save(Path.Combine(directory, WeightsFileName), tensors, TransformersMetadata);
            written.Add(WeightsFileName);
        }
        else
        {
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < shards.Count; i++)
            {
                string shardName = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
                SafeTensorsFile.Save(Path.Combine(directory, shardName), shards[i], TransformersMetadata);
                foreach (var (name, _) in shards[i]) weightMap[name] = shardName;
                written.Add(shardName);
            }
            HfWeightFiles.WriteIndex(Path.Combine(directory, IndexFileName),
                tensors.Sum(item => SafeTensorsFile.ByteLength(item.Tensor)), weightMap);
            written.Add(IndexFileName);
        }
        (config with { TorchDtype = TorchDtypeName(tensors) ?? config.TorchDtype }).Save(Path.Combine(directory, ConfigFileName));
        RemoveStaleWeights(directory, written);
    }

    [GeneratedRegex(@"^model-[0-9]{5}-of-[0-9]{5}\.safetensors$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardFilePattern();

    internal static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: model directory not found");
    }

    /// <summary>Greedy, in state-dict order, as huggingface_hub splits: a new shard starts when the next tensor would
    /// overflow the current one; a tensor larger than the limit gets a shard of its own.</summary>
    static List<List<(string Name, Tensor Tensor)>> SplitIntoShards(List<(string Name, Tensor Tensor)> tensors, long maxShardBytes)
    {
        var shards = new List<List<(string, Tensor)>>();
        var current = new List<(string, Tensor)>();
        long currentBytes = 0;
        foreach (var item in tensors)
        {
            long bytes = SafeTensorsFile.ByteLength(item.Tensor);
            if (current.Count > 0 && currentBytes + bytes > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.Add(item);
            currentBytes += bytes;
        }
        if (current.Count > 0 || shards.Count == 0) shards.Add(current);
        return shards;
    }

    internal static void RemoveStaleWeights(string directory, HashSet<string> written)
    {
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            bool isWeights = name is WeightsFileName or IndexFileName || ShardFilePattern().IsMatch(name);
            if (isWeights && !written.Contains(name)) File.Delete(path);
        }
    }

    /// <summary>config.json's torch_dtype: the dtype of the saved floating-point weights.</summary>
    internal static string? TorchDtypeName(List<(string Name, Tensor Tensor)> tensors) =>
        tensors.Select(item => item.Tensor.dtype).FirstOrDefault(SafeTensorsDTypes.IsFloatingPoint) switch
        {
            ScalarType.Float32 => "float32",
            ScalarType.Float16 => "float16",
            ScalarType.BFloat16 => "bfloat16",
            ScalarType.Float64 => "float64",
            _ => null,
        };

    static void CheckParametersMatchConfig(IReadOnlyDictionary<string, Tensor> parameters,
        IReadOnlyDictionary<string, long[]> expected, OlmoConfig config)
    {
        var problems = ShapeProblems(parameters.Select(pair => (pair.Key, pair.Value.shape)), expected,
            ignore: config.TieWordEmbeddings ? OlmoParameterShapes.LmHeadName : null);
        if (problems.Count > 0)
            throw new ArgumentException($"the parameters to load into do not match the config: {string.Join("; ", problems)}",
                nameof(parameters));
    }

    static void CheckStateDictMatchesConfig(List<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, long[]> expected)
    {
        var duplicates = tensors.GroupBy(item => item.Name).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (duplicates.Count > 0) throw new ArgumentException($"duplicate tensor names in the state dict: {string.Join(", ", duplicates)}");
        var problems = ShapeProblems(tensors.Select(item => (item.Name, item.Tensor.shape)), expected, ignore: null);
        if (problems.Count > 0)
            throw new ArgumentException($"the state dict does not match the config: {string.Join("; ", problems)}");
    }

    internal static List<string> ShapeProblems(IEnumerable<(string Name, long[] Shape)> actual, IReadOnlyDictionary<string, long[]> expected,
        string? ignore)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, shape) in actual)
        {
            seen.Add(name);
            if (name == ignore) continue;
            if (!expected.TryGetValue(name, out var expectedShape)) problems.Add($"unexpected '{name}'");
            else if (!shape.SequenceEqual(expectedShape))
                problems.Add($"'{name}' has shape {OlmoParameterShapes.Format(shape)}, expected {OlmoParameterShapes.Format(expectedShape)}");
        }
        var missing = expected.Keys.Where(name => !seen.Contains(name)).ToList();
        if (missing.Count > 0) problems.Add($"missing {string.Join(", ", missing)}");
        return problems;
    }
}
