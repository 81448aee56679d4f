using System.Text.Json;

namespace AmuroChar.Checkpoints;

/// <summary>
/// The special-token fields of a model directory's JSON files (each read once, absent files are simply absent).
/// Malformed content is an <see cref="InvalidDataException"/> naming the file and the field.
/// </summary>
internal sealed class SpecialTokenFiles(string directory)
{
    public const string Config = "config.json";
    public const string GenerationConfig = "generation_config.json";
    public const string TokenizerConfig = "tokenizer_config.json";
    public const string SpecialTokensMap = "special_tokens_map.json";

    readonly Dictionary<string, JsonElement?> _roots = new();

    public string TokenizerConfigPath => Path.Combine(directory, TokenizerConfig);

    /// <summary><c>&lt;role&gt;_token_id</c> of a config file: an id or a list of ids (eos may be several); null if unset.</summary>
    public (string Path, int[] Ids)? Ids(string file, string role)
    {
        string path = Path.Combine(directory, file), field = $"{role}_token_id";
        if (Field(file, field) is not JsonElement value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int id) && id >= 0) return (path, [id]);
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
            && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int x) && x >= 0))
            return (path, value.EnumerateArray().Select(v => v.GetInt32()).ToArray());
        throw new InvalidDataException($"{path}: {field} is {value.GetRawText()}, not a token id or a list of token ids");
    }

    /// <summary><c>&lt;role&gt;_token</c> of a tokenizer file: a string or an AddedToken object's "content"; null if unset.</summary>
    public (string Path, string Content)? Token(string file, string role)
    {
        string path = Path.Combine(directory, file), field = $"{role}_token";
        if (Field(file, field) is not JsonElement value) return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) return (path, text);
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } inner)
            return (path, inner);
        throw new InvalidDataException($"{path}: {field} is {value.GetRawText()}, not a token string or {{\"content\": \"…\"}}");
    }

    /// <summary>tokenizer_config.json's add_bos_token is true.</summary>
    public bool AddsBos => Field(TokenizerConfig, "add_bos_token") is { ValueKind: JsonValueKind.True };

    JsonElement? Field(string file, string name) =>
        Root(file) is JsonElement root && root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    JsonElement? Root(string file)
    {
        if (_roots.TryGetValue(file, out var cached)) return cached;
        string path = Path.Combine(directory, file);
        JsonElement? root = null;
        if (File.Exists(path))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException($"{path}: the top level is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
            }
        }
        return _roots[file] = root;
    }
}
