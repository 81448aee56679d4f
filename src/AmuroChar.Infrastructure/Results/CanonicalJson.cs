using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Results;

/// <summary>
/// One fixed text form per JSON value, so equal values hash equally: object keys sorted ordinally, no whitespace, one
/// string escaping. Numbers are kept verbatim in result values (no silent loss of precision), but in keys they are
/// normalized (integers as integers, everything else as double round-trip "R"), so 1e-3 typed in code and 0.001 coming
/// out of a serialized config produce the same key.
/// </summary>
internal static class CanonicalJson
{
    // Relaxed escaping keeps key.json readable; it is deterministic, which is all the hash needs.
    internal static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    static readonly JsonWriterOptions Compact = new() { Encoder = Encoder, Indented = false };
    internal static readonly JsonSerializerOptions Indented = new() { Encoder = Encoder, WriteIndented = true };

    public static string Serialize(JsonNode? node, bool normalizeNumbers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
            Write(writer, node, normalizeNumbers);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static void Write(Utf8JsonWriter writer, JsonNode? node, bool normalizeNumbers)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, child, normalizeNumbers);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var child in array) Write(writer, child, normalizeNumbers);
                writer.WriteEndArray();
                break;
            case JsonValue value when normalizeNumbers && value.GetValueKind() == JsonValueKind.Number:
                writer.WriteRawValue(NormalizeNumber(value.ToJsonString()), skipInputValidation: true);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    internal static string NormalizeNumber(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            return integer.ToString(CultureInfo.InvariantCulture);   // also turns "-0" into "0"
        double d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return FormatDouble(d);
    }

    internal static string FormatDouble(double d)
    {
        if (!double.IsFinite(d)) throw new ArgumentException($"A key component cannot be {d}: JSON has no such number.");
        // Integral values print like the integer literal would (1.0 and 1, 1e16 and 10000000000000000 agree).
        if (d == Math.Floor(d) && Math.Abs(d) < 9e18) return ((long)d).ToString(CultureInfo.InvariantCulture);
        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
