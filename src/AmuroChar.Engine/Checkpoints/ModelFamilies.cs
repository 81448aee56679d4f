using System.Text.Json;
using AmuroChar.Model;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>
/// One model family the suite can run: keyed by config.json's <c>model_type</c>, it loads a Hugging Face model
/// directory as an <see cref="ICausalLM"/> and saves one back. Everything else (fine-tuning, evaluation, generation,
/// the KV cache, the store) takes the interface, so adding a family is one implementation of this and one entry in
/// <see cref="ModelFamilies.All"/>.
/// </summary>
public interface IModelFamily
{
    /// <summary>config.json's <c>model_type</c>.</summary>
    string ModelType { get; }

    /// <summary>The public checkpointed repository the family is known by (the paper's OLMo-1B-hf; a Pythia).</summary>
    string DefaultRepository { get; }

    /// <summary>The family's named shapes (<c>amurochar init --preset</c>).</summary>
    IReadOnlyList<string> Presets { get; }

    /// <summary>A randomly initialised model of preset <paramref name="preset"/>, its vocabulary sized to a tokenizer
    /// of <paramref name="vocabulary"/> entries (with its end and padding ids) when given.</summary>
    ICausalLM CreateRandom(string preset, long seed, (int Size, int? Eos, int? Pad)? vocabulary = null);

    /// <summary>Loads the directory's config and weights (validated before a byte is allocated), on
    /// <paramref name="device"/> (the CPU when null), in evaluation mode.</summary>
    ICausalLM Load(string directory, Device? device = null);

    /// <summary>Writes <paramref name="model"/> as a Hugging Face directory (config.json, safetensors).</summary>
    void Save(string directory, ICausalLM model);

    /// <summary>What the cost model needs of the directory's model, from its config.json alone (no weights read): the
    /// planner prices a family's checkpoints from one revision's config.</summary>
    ModelArchitecture Architecture(string directory);
}

/// <summary>The model families, and the one that owns a model directory.</summary>
public static class ModelFamilies
{
    public static readonly IModelFamily Olmo = new OlmoFamily();
    /// <summary>GPT-NeoX as EleutherAI's Pythia uses it (parallel residual, partial rotary, biased LayerNorm and
    /// projections, untied output embedding).</summary>
    public static readonly IModelFamily GptNeoX = new GptNeoXFamily();

    public static IReadOnlyList<IModelFamily> All { get; } = [Olmo, GptNeoX];

    public static IModelFamily For(string modelType) =>
        All.FirstOrDefault(f => f.ModelType == modelType)
        ?? throw new ArgumentException($"model_type '{modelType}' is not a family this suite runs; known: {string.Join(", ", All.Select(f => f.ModelType))}");

    /// <summary>The family of a model directory, from its config.json's <c>model_type</c>. A directory without a
    /// readable config, or a config without the key, goes to OLMo, whose loader says what is wrong with it.</summary>
    public static IModelFamily Of(string directory)
    {
        string path = Path.Combine(directory, HfModelDirectory.ConfigFileName);
        if (!File.Exists(path)) return Olmo;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                string name = type.GetString()!;
                return All.FirstOrDefault(f => f.ModelType == name)
                    ?? throw new InvalidDataException($"{path}: model_type '{name}' is not a family this suite runs; known: {string.Join(", ", All.Select(f => f.ModelType))}");
            }
        }
        catch (JsonException) { }
        return Olmo;
    }

    /// <summary>The family that made <paramref name="model"/>.</summary>
    public static IModelFamily Of(ICausalLM model) => For(model.ModelType);

    sealed class GptNeoXFamily : IModelFamily
    {
        public string ModelType => "gpt_neox";
        public string DefaultRepository => "EleutherAI/pythia-160m";
        public IReadOnlyList<string> Presets => [.. GptNeoXConfig.Presets.Keys];
        public ICausalLM CreateRandom(string preset, long seed, (int Size, int? Eos, int? Pad)? vocabulary = null)
        {
            var config = GptNeoXConfig.Preset(preset);
            if (vocabulary is { } v) config = config.WithVocabularyFor(v.Size, v.Eos);   // GPT-NeoX's config has no pad id
            return GptNeoXForCausalLM.CreateRandom(config, seed);
        }
        public ICausalLM Load(string directory, Device? device = null) => GptNeoXLoader.Load(directory, device);
        public void Save(string directory, ICausalLM model) =>
            GptNeoXDirectory.Save(directory, model as GptNeoXForCausalLM ?? throw new ArgumentException($"a GPT-NeoX directory can't hold a {model.ModelType} model"));
        public ModelArchitecture Architecture(string directory) => ModelArchitecture.Of(GptNeoXDirectory.LoadConfig(directory));
    }

    sealed class OlmoFamily : IModelFamily
    {
        public string ModelType => "olmo";
        public string DefaultRepository => CheckpointRevisions.RepoId;
        public IReadOnlyList<string> Presets => [.. OlmoConfig.Presets.Keys];
        public ICausalLM CreateRandom(string preset, long seed, (int Size, int? Eos, int? Pad)? vocabulary = null)
        {
            var config = OlmoConfig.Preset(preset);
            if (vocabulary is { } v) config = config.WithVocabularyFor(v.Size, v.Eos, v.Pad);
            return OlmoForCausalLM.CreateRandom(config, seed);
        }
        public ICausalLM Load(string directory, Device? device = null) => ModelLoader.LoadOlmo(directory, device);
        public ModelArchitecture Architecture(string directory) => ModelArchitecture.Of(HfModelDirectory.LoadConfig(directory));
        public void Save(string directory, ICausalLM model)
        {
            var olmo = model as OlmoForCausalLM ?? throw new ArgumentException($"an OLMo directory can't hold a {model.ModelType} model");
            HfModelDirectory.Save(directory, olmo.Config, olmo.StateDict().Select(kv => (kv.Key, kv.Value)));
        }
    }
}
