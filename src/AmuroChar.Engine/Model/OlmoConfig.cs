using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AmuroChar.Model;

/// <summary>
/// The OLMo model configuration, field for field the Hugging Face <c>config.json</c> of <c>OlmoForCausalLM</c>
/// (<c>model_type: "olmo"</c>). Keys this project does not use are kept in <see cref="Extra"/> and written back.
/// </summary>
public sealed record OlmoConfig
{
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["OlmoForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "olmo";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; }
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rope_scaling")] public JsonNode? RopeScaling { get; init; }
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("attention_dropout")] public double AttentionDropout { get; init; }
    [JsonPropertyName("clip_qkv")] public double? ClipQkv { get; init; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("use_cache")] public bool UseCache { get; init; } = true;
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    /// <summary>Other keys of a config.json (transformers_version, pretraining_tp, …), preserved on save.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;
    [JsonIgnore] public DecoderShape Shape => new(NumHiddenLayers, KeyValueHeads, HeadDim, MaxPositionEmbeddings, VocabSize);

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> if the sizes can't form a model.</summary>
    public OlmoConfig Validate(string source = "config")
    {
        var problems = new List<string>();
        if (ModelType != "olmo") problems.Add($"model_type is '{ModelType}', expected 'olmo'");
        if (VocabSize <= 0) problems.Add($"vocab_size must be positive (got {VocabSize})");
        if (HiddenSize <= 0) problems.Add($"hidden_size must be positive (got {HiddenSize})");
        if (IntermediateSize <= 0) problems.Add($"intermediate_size must be positive (got {IntermediateSize})");
        if (NumHiddenLayers <= 0) problems.Add($"num_hidden_layers must be positive (got {NumHiddenLayers})");
        if (NumAttentionHeads <= 0) problems.Add($"num_attention_heads must be positive (got {NumAttentionHeads})");
        else if (HiddenSize % NumAttentionHeads != 0)
            problems.Add($"num_attention_heads ({NumAttentionHeads}) does not divide hidden_size ({HiddenSize})");
        else if (HeadDim % 2 != 0) problems.Add($"head dimension {HeadDim} must be even for rotary embeddings");
        if (KeyValueHeads <= 0 || (NumAttentionHeads > 0 && NumAttentionHeads % KeyValueHeads != 0))
            problems.Add($"num_key_value_heads ({KeyValueHeads}) must divide num_attention_heads ({NumAttentionHeads})");
        if (MaxPositionEmbeddings <= 0) problems.Add($"max_position_embeddings must be positive (got {MaxPositionEmbeddings})");
        if (HiddenAct != "silu") problems.Add($"hidden_act '{HiddenAct}' is not supported (only 'silu')");
        if (AttentionBias) problems.Add("attention_bias = true is not supported (OLMo has no biases)");
        if (RopeScaling is not null) problems.Add("rope_scaling is not supported");
        if (ClipQkv is <= 0) problems.Add($"clip_qkv must be positive or null (got {ClipQkv})");
        if (RopeTheta <= 0) problems.Add($"rope_theta must be positive (got {RopeTheta})");
        foreach (var (name, id) in new[] { ("eos_token_id", EosTokenId), ("pad_token_id", PadTokenId), ("bos_token_id", BosTokenId) })
            if (id is { } v && (v < 0 || v >= VocabSize)) problems.Add($"{name} {v} is outside the vocabulary (0..{VocabSize - 1})");
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: invalid OLMo config: {string.Join("; ", problems)}");
        return this;
    }

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a config.json text; <paramref name="source"/> names the file in errors.</summary>
    public static OlmoConfig FromJson(string json, string source)
    {
        OlmoConfig? config;
        try { config = JsonSerializer.Deserialize<OlmoConfig>(json, JsonOptions); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: malformed config.json: {e.Message}", e); }
        if (config is null) throw new InvalidDataException($"{source}: config.json is null");
        return config.Validate(source);
    }

    public static OlmoConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: config.json not found", path);
        return FromJson(File.ReadAllText(path), path);
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>This config with the vocabulary sized for a tokenizer: padded up to a multiple of 64 rows, as OLMo does
    /// (OLMo-1B: 50,280 tokens in 50,304 rows).</summary>
    public OlmoConfig WithVocabularyFor(int tokenizerSize, int? eosTokenId, int? padTokenId) => this with
    {
        VocabSize = (tokenizerSize + 63) / 64 * 64,
        EosTokenId = eosTokenId,
        PadTokenId = padTokenId,
    };

    public static IReadOnlyDictionary<string, OlmoConfig> Presets { get; } = new Dictionary<string, OlmoConfig>
    {
        // allenai/OLMo-1B-hf
        ["olmo-1b"] = new()
        {
            VocabSize = 50304, HiddenSize = 2048, IntermediateSize = 8192, NumHiddenLayers = 16, NumAttentionHeads = 16,
            NumKeyValueHeads = 16, MaxPositionEmbeddings = 2048, RopeTheta = 10000, TieWordEmbeddings = true,
            EosTokenId = 50279, PadTokenId = 1,
        },
        // The larger CPU scale: higher-fidelity tiny-world runs (tens of minutes on 2 cores).
        ["small"] = new()
        {
            VocabSize = 2048, HiddenSize = 256, IntermediateSize = 704, NumHiddenLayers = 6, NumAttentionHeads = 8,
            MaxPositionEmbeddings = 512, TieWordEmbeddings = true, EosTokenId = 0, PadTokenId = 1,
        },
        // The default tiny-world model: ~1M parameters, pre-trained from scratch in minutes on 2 cores.
        ["tiny"] = new()
        {
            VocabSize = 1024, HiddenSize = 128, IntermediateSize = 352, NumHiddenLayers = 4, NumAttentionHeads = 4,
            MaxPositionEmbeddings = 512, TieWordEmbeddings = true, EosTokenId = 0, PadTokenId = 1,
        },
        // For unit tests: seconds to build, untied embeddings and grouped KV heads exercised.
        ["micro"] = new()
        {
            VocabSize = 128, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, MaxPositionEmbeddings = 64, TieWordEmbeddings = false, ClipQkv = 8.0,
            EosTokenId = 0, PadTokenId = 1,
        },
    };

    public static OlmoConfig Preset(string name) =>
        Presets.TryGetValue(name, out var config)
            ? config
            : throw new ArgumentException($"unknown model preset '{name}'; valid presets: {string.Join(", ", Presets.Keys)}");
}
