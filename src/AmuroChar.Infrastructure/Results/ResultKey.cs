using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AmuroChar.Results;

/// <summary>
/// Identifies a stored result by everything that produced it: named components (kind, seeds, preset, dataset, the
/// hash of the checkpoint it started from, the training config, a code version, …). The hash is SHA-256 of the
/// canonical JSON object of all components, so it does not depend on the order they were added in, and a change of any
/// component (or of its type: 1 vs "1") gives a different key. Immutable: <c>With</c> returns a new key.
/// </summary>
/// <example><code>
/// var key = ResultKey.Create("finetune").With("world_seed", 1).With("preset", "tiny")
///     .With("checkpoint", checkpointKey).With("dataset", "mnli/train").With("shots", 4)
///     .With("code_version", Finetune.CodeVersion).WithObject("config", trainingConfig);
/// </code></example>
public sealed partial class ResultKey : IEquatable<ResultKey>
{
    /// <summary>The component holding the kind; the kind is also the entry's top-level folder.</summary>
    public const string KindComponent = "kind";

    // name → canonical JSON text of the value; sorted ordinally, which is also the canonical object order.
    readonly ImmutableSortedDictionary<string, string> components;

    ResultKey(string kind, ImmutableSortedDictionary<string, string> components)
    {
        Kind = kind;
        this.components = components;
        Canonical = "{" + string.Join(",", components.Select(c =>
            CanonicalJson.Serialize(JsonValue.Create(c.Key), false) + ":" + c.Value)) + "}";
        Hash = CanonicalJson.Sha256Hex(Canonical);
    }

    /// <summary>A key with only its kind: lower-case letters, digits, '-' and '_' (it names a folder).</summary>
    public static ResultKey Create(string kind)
    {
        if (!IsValidKind(kind))
            throw new ArgumentException($"Kind '{kind}' must match [a-z0-9][a-z0-9_-]* (at most 64 characters).", nameof(kind));
        return new ResultKey(kind, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal)
            .Add(KindComponent, CanonicalJson.Serialize(JsonValue.Create(kind), false)));
    }

    public string Kind { get; }

    /// <summary>Name → canonical JSON text of the value (strings quoted), in canonical (ordinal) order.</summary>
    public IReadOnlyDictionary<string, string> Components => components;

    /// <summary>The canonical JSON object of all components; its SHA-256 is <see cref="Hash"/>.</summary>
    public string Canonical { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Canonical"/> (64 characters).</summary>
    public string Hash { get; }

    public ResultKey With(string name, string value) => Add(name, JsonValue.Create(value));
    public ResultKey With(string name, long value) => Add(name, JsonValue.Create(value));
    public ResultKey With(string name, double value) => Add(name, JsonValue.Create(value));
    public ResultKey With(string name, bool value) => Add(name, JsonValue.Create(value));

    /// <summary>Refers to another stored result (e.g. the checkpoint a fine-tune starts from) by its hash.</summary>
    public ResultKey With(string name, ResultKey other) => Add(name, JsonValue.Create(other.Hash));

    /// <summary>Any JSON value; objects are key-sorted and numbers normalized, so formatting does not matter.</summary>
    public ResultKey WithJson(string name, JsonNode? value) => Add(name, value);

    /// <summary>An object (e.g. a training config record) as the JSON it serializes to.</summary>
    public ResultKey WithObject<T>(string name, T value, JsonSerializerOptions? options = null) =>
        Add(name, JsonSerializer.SerializeToNode(value, options));

    ResultKey Add(string name, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (components.ContainsKey(name))
            throw new ArgumentException($"Key component '{name}' is already set (to {components[name]}).", nameof(name));
        return new ResultKey(Kind, components.Add(name, CanonicalJson.Serialize(value, normalizeNumbers: true)));
    }

    /// <summary>Reads a key back from its JSON object (key.json, or the "key" of a JSON result).</summary>
    /// <exception cref="FormatException">Not an object, or no valid "kind".</exception>
    public static ResultKey FromJson(JsonNode? node)
    {
        if (node is not JsonObject obj) throw new FormatException("A key must be a JSON object.");
        if (obj[KindComponent] is not JsonValue kindValue || kindValue.GetValueKind() != JsonValueKind.String
            || !IsValidKind(kindValue.GetValue<string>()))
            throw new FormatException("A key needs a string \"kind\" matching [a-z0-9][a-z0-9_-]*.");
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in obj)
            builder.Add(name, CanonicalJson.Serialize(value, normalizeNumbers: true));
        return new ResultKey(kindValue.GetValue<string>(), builder.ToImmutable());
    }

    public static ResultKey FromJson(string json) => FromJson(JsonNode.Parse(json));

    /// <summary>The components as an indented JSON object (what key.json holds).</summary>
    public string ToJson(bool indented = true) =>
        indented ? JsonNode.Parse(Canonical)!.ToJsonString(CanonicalJson.Indented) : Canonical;

    /// <summary>"name=value" pairs, for logs and <c>list</c>; long values (configs) are shortened.</summary>
    public string Describe(int maxValueLength = 40) => string.Join(" ", components.Select(c =>
        $"{c.Key}={(c.Value.Length <= maxValueLength ? c.Value : c.Value[..(maxValueLength - 1)] + "…")}"));

    public static bool IsValidKind(string? kind) => kind is not null && KindPattern().IsMatch(kind);

    public bool Equals(ResultKey? other) => other is not null && other.Canonical == Canonical;
    public override bool Equals(object? obj) => Equals(obj as ResultKey);
    public override int GetHashCode() => Hash.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => $"{Kind}/{Hash[..12]}";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex KindPattern();
}
