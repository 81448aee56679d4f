using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AmuroChar.Model;

/// <summary>
/// The GPT-NeoX model configuration as EleutherAI's Pythia models ship it: field for field the Hugging Face
/// <c>config.json</c> of <c>GPTNeoXForCausalLM</c> (<c>model_type: "gpt_neox"</c>). Keys this project does not use
/// (transformers_version, classifier_dropout, …) are kept in <see cref="Extra"/> and written back.
/// </summary>
/// <remarks>
/// transformers has spelt the rotary settings three ways over time: Pythia's files (transformers 4.24) say
/// <c>rotary_emb_base</c> and <c>rotary_pct</c>; 4.4x saves <c>rope_theta</c> and <c>partial_rotary_factor</c> beside
/// them; 5.x saves only <c>rope_parameters</c>. All three are read; where several are present they must agree, so a
/// file can never be read two ways. Anything the model does not implement (another activation, rope scaling, tied
/// embeddings) is an error naming the file and the field rather than a silently different model.
/// </remarks>
public sealed record GptNeoXConfig
{
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["GPTNeoXForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "gpt_neox";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; }
    [JsonPropertyName("rotary_pct")] public double RotaryPct { get; init; } = 0.25;
    [JsonPropertyName("rotary_emb_base")] public double RotaryEmbBase { get; init; } = 10000.0;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;
    [JsonPropertyName("use_parallel_residual")] public bool UseParallelResidual { get; init; } = true;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; } = true;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("attention_dropout")] public double AttentionDropout { get; init; }
    [JsonPropertyName("hidden_dropout")] public double HiddenDropout { get; init; }
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; }
    [JsonPropertyName("use_cache")] public bool UseCache { get; init; } = true;
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    // The other spellings of the rotary settings (see remarks); never written unless read.
    [JsonPropertyName("rope_theta"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? RopeTheta { get; init; }
    [JsonPropertyName("partial_rotary_factor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? PartialRotaryFactor { get; init; }
    [JsonPropertyName("rope_parameters"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonNode? RopeParameters { get; init; }
    [JsonPropertyName("rope_scaling"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonNode? RopeScaling { get; init; }

    /// <summary>Other keys of a config.json, preserved on save.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>The rotary base, whichever spelling the file used.</summary>
    [JsonIgnore] public double RotaryBase => RopeParameter("rope_theta") ?? RopeTheta ?? RotaryEmbBase;

    /// <summary>The fraction of each head's dimensions that is rotated, whichever spelling the file used.</summary>
    [JsonIgnore] public double RotaryFraction => RopeParameter("partial_rotary_factor") ?? PartialRotaryFactor ?? RotaryPct;

    /// <summary>The rotated dimensions of each head, as transformers computes them: <c>int(head_size * rotary_pct)</c>,
    /// the first ones of the head; the rest pass through unrotated.</summary>
    [JsonIgnore] public int RotaryNdims => (int)(HeadDim * RotaryFraction);

    double? RopeParameter(string key) =>
        RopeParameters is JsonObject o && o[key] is JsonValue v && v.TryGetValue(out double d) ? d : null;

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and each offending field.</summary>
    public GptNeoXConfig Validate(string source = "config")
    {
        var problems = new List<string>();
        if (ModelType != "gpt_neox") problems.Add($"model_type is '{ModelType}', expected 'gpt_neox'");
        if (VocabSize <= 0) problems.Add($"vocab_size must be positive (got {VocabSize})");
        if (HiddenSize <= 0) problems.Add($"hidden_size must be positive (got {HiddenSize})");
        if (IntermediateSize <= 0) problems.Add($"intermediate_size must be positive (got {IntermediateSize})");
        if (NumHiddenLayers <= 0) problems.Add($"num_hidden_layers must be positive (got {NumHiddenLayers})");
        if (MaxPositionEmbeddings <= 0) problems.Add($"max_position_embeddings must be positive (got {MaxPositionEmbeddings})");
        if (NumAttentionHeads <= 0) problems.Add($"num_attention_heads must be positive (got {NumAttentionHeads})");
        else if (HiddenSize % NumAttentionHeads != 0)
            problems.Add($"num_attention_heads ({NumAttentionHeads}) does not divide hidden_size ({HiddenSize})");
        else if (RotaryFraction is not (> 0 and <= 1)) problems.Add($"rotary_pct must be in (0, 1] (got {RotaryFraction})");
        else if (RotaryNdims == 0 || RotaryNdims % 2 != 0)
            problems.Add($"rotary_pct {RotaryFraction} of head dimension {HeadDim} gives {RotaryNdims} rotary dimensions; rotate-half needs a positive even number");
        CheckAgree(problems, "rotary_emb_base", RotaryEmbBase, "rope_theta", RopeTheta);
        CheckAgree(problems, "rotary_emb_base", RotaryEmbBase, "rope_parameters.rope_theta", RopeParameter("rope_theta"));
        CheckAgree(problems, "rotary_pct", RotaryPct, "partial_rotary_factor", PartialRotaryFactor);
        CheckAgree(problems, "rotary_pct", RotaryPct, "rope_parameters.partial_rotary_factor", RopeParameter("partial_rotary_factor"));
        if (RotaryBase <= 0) problems.Add($"rotary_emb_base must be positive (got {RotaryBase})");
        if (RopeParameters is not null) CheckRopeParameters(problems);
        if (RopeScaling is not null) problems.Add($"rope_scaling is not supported (got {RopeScaling.ToJsonString()}); only plain rotary embeddings are");
        if (LayerNormEps <= 0) problems.Add($"layer_norm_eps must be positive (got {LayerNormEps})");
        // transformers' ACT2FN["gelu"] is the exact erf GELU; "gelu_new", "gelu_fast" etc. are tanh approximations.
        if (HiddenAct != "gelu") problems.Add($"hidden_act '{HiddenAct}' is not supported (only 'gelu', the exact erf GELU)");
        if (TieWordEmbeddings) problems.Add("tie_word_embeddings = true is not supported (Pythia's embed_out is its own matrix)");
        foreach (var (name, id) in new[] { ("bos_token_id", BosTokenId), ("eos_token_id", EosTokenId) })
            if (id is { } v && (v < 0 || v >= VocabSize)) problems.Add($"{name} {v} is outside the vocabulary (0..{VocabSize - 1})");
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: invalid GPT-NeoX config: {string.Join("; ", problems)}");
        return this;
    }

    static void CheckAgree(List<string> problems, string name, double value, string otherName, double? other)
    {
        if (other is { } o && o != value) problems.Add($"{otherName} ({o}) disagrees with {name} ({value})");
    }

    void CheckRopeParameters(List<string> problems)
    {
        if (RopeParameters is not JsonObject o) { problems.Add("rope_parameters must be an object"); return; }
        foreach (var (key, value) in o)
        {
            bool fine = key switch
            {
                "rope_type" => value is JsonValue v && v.TryGetValue(out string? type) && type == "default",
                "rope_theta" or "partial_rotary_factor" => value is JsonValue v && v.TryGetValue(out double _),
                _ => false,
            };
            if (!fine) problems.Add($"rope_parameters.{key} = {value?.ToJsonString() ?? "null"} is not supported (only rope_type 'default', rope_theta, partial_rotary_factor)");
        }
    }

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a config.json text; <paramref name="source"/> names the file in errors.</summary>
    public static GptNeoXConfig FromJson(string json, string source)
    {
        GptNeoXConfig? config;
        try { config = JsonSerializer.Deserialize<GptNeoXConfig>(json, JsonOptions); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: malformed config.json: {e.Message}", e); }
        if (config is null) throw new InvalidDataException($"{source}: config.json is null");
        return config.Validate(source);
    }

    public static GptNeoXConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: config.json not found", path);
        return FromJson(File.ReadAllText(path), path);
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>The model_type of a config.json text, or null when it has none, so a caller can pick the family before
    /// parsing the whole file.</summary>
    public static string? ReadModelType(string json, string source)
    {
        try { return JsonNode.Parse(json)?["model_type"]?.GetValue<string>(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: malformed config.json: {e.Message}", e);
        }
    }

    /// <summary>EleutherAI/pythia-70m's config.json, for tests and as the family's smallest real shape.</summary>
    public static GptNeoXConfig Pythia70M { get; } = new()
    {
        VocabSize = 50304, HiddenSize = 512, IntermediateSize = 2048, NumHiddenLayers = 6, NumAttentionHeads = 8,
        MaxPositionEmbeddings = 2048, RotaryPct = 0.25, RotaryEmbBase = 10000, UseParallelResidual = true,
        BosTokenId = 0, EosTokenId = 0, TorchDtype = "float16",
    };

    /// <summary>Pythia-shaped models by name: <c>pythia-70m</c>, and the sizes of the OLMo presets the CPU scales use
    /// (<c>tiny</c>: d=128, 4 layers; <c>micro</c>: d=32, 2 layers), with Pythia's layer (parallel residual, a quarter
    /// of each head rotary, biases, untied output embedding).</summary>
    public static IReadOnlyDictionary<string, GptNeoXConfig> Presets { get; } = new Dictionary<string, GptNeoXConfig>
    {
        ["pythia-70m"] = Pythia70M,
        ["tiny"] = Pythia70M with { VocabSize = 1536, HiddenSize = 128, IntermediateSize = 512, NumHiddenLayers = 4, NumAttentionHeads = 4, MaxPositionEmbeddings = 512, TorchDtype = "float32" },
        ["micro"] = Pythia70M with { VocabSize = 512, HiddenSize = 32, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, MaxPositionEmbeddings = 256, RotaryPct = 0.5, TorchDtype = "float32" },
    };

    public static GptNeoXConfig Preset(string name) =>
        Presets.TryGetValue(name, out var config)
            ? config
            : throw new ArgumentException($"unknown gpt_neox preset '{name}'; valid presets: {string.Join(", ", Presets.Keys)}");

    /// <summary>Sized for a tokenizer: the embedding rounded up to a multiple of 64 rows, as the OLMo presets are.</summary>
    public GptNeoXConfig WithVocabularyFor(int tokenizerSize, int? eosTokenId) => this with
    {
        VocabSize = (tokenizerSize + 63) / 64 * 64,
        EosTokenId = eosTokenId,
    };
}
