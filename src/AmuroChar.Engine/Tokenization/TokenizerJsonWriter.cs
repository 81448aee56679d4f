using System.Text.Encodings.Web;
using System.Text.Json;

namespace AmuroChar.Tokenization;

/// <summary>
/// Writes a tokenizer.json in the layout Hugging Face <c>tokenizers</c> itself writes, so both libraries load it.
/// The output depends only on the tokenizer (vocab in id order, merges in rank order): same tokenizer, same bytes.
/// </summary>
internal static class TokenizerJsonWriter
{
    public static void Write(HfTokenizer tokenizer, Stream stream)
    {
        // Relaxed escaping keeps byte-level symbols readable ("Ġthe", not "\u0120the"); both are valid JSON.
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var json = new Utf8JsonWriter(stream, options);
        json.WriteStartObject();
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");
        WriteAddedTokens(json, tokenizer.AddedTokens);
        if (tokenizer.PreTokenization.Nfc)
        {
            json.WriteStartObject("normalizer");
            json.WriteString("type", "NFC");
            json.WriteEndObject();
        }
        else json.WriteNull("normalizer");
        WritePreTokenizer(json, tokenizer.PreTokenization);
        json.WritePropertyName("post_processor");
        WriteByteLevel(json, addPrefixSpace: false, useRegex: true);
        // HF's ByteLevel struct (shared by pre-tokenizer, post-processor and decoder) requires its fields even where
        // they don't matter: a bare {"type": "ByteLevel"} decoder fails to load there.
        json.WritePropertyName("decoder");
        WriteByteLevel(json, addPrefixSpace: false, useRegex: true);
        WriteModel(json, tokenizer);
        json.WriteEndObject();
    }

    private static void WriteAddedTokens(Utf8JsonWriter json, IReadOnlyList<AddedToken> addedTokens)
    {
        json.WriteStartArray("added_tokens");
        foreach (AddedToken token in addedTokens.OrderBy(t => t.Id))
        {
            json.WriteStartObject();
            json.WriteNumber("id", token.Id);
            json.WriteString("content", token.Content);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", token.Normalized);
            json.WriteBoolean("special", token.Special);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WritePreTokenizer(Utf8JsonWriter json, PreTokenization preTokenization)
    {
        json.WritePropertyName("pre_tokenizer");
        if (preTokenization.IsByteLevelWithGpt2Regex)
        {
            WriteByteLevel(json, preTokenization.AddPrefixSpace, useRegex: true);
            return;
        }
        // Any other split list is spelled out as Split stages; the final ByteLevel then only maps bytes.
        json.WriteStartObject();
        json.WriteString("type", "Sequence");
        json.WriteStartArray("pretokenizers");
        foreach (string pattern in preTokenization.SplitPatterns)
        {
            json.WriteStartObject();
            json.WriteString("type", "Split");
            json.WriteStartObject("pattern");
            json.WriteString("Regex", pattern);
            json.WriteEndObject();
            json.WriteString("behavior", "Isolated");
            json.WriteBoolean("invert", false);
            json.WriteEndObject();
        }
        WriteByteLevel(json, preTokenization.AddPrefixSpace, useRegex: false);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, bool addPrefixSpace, bool useRegex)
    {
        json.WriteStartObject();
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", useRegex);
        json.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter json, HfTokenizer tokenizer)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteStartObject("vocab");
        foreach (var (token, id) in tokenizer.Vocabulary.OrderBy(kv => kv.Value)) json.WriteNumber(token, id);
        json.WriteEndObject();
        // The "left right" form is what every tokenizers version reads; byte-level tokens never contain a space.
        json.WriteStartArray("merges");
        foreach (var (left, right) in tokenizer.Merges) json.WriteStringValue($"{left} {right}");
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
