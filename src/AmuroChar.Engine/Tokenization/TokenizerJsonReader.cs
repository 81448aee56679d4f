using System.Text.Json;
using System.Text.RegularExpressions;

namespace AmuroChar.Tokenization;

/// <summary>
/// Reads the subset of Hugging Face's tokenizer.json that byte-level BPE models (GPT-2, GPT-NeoX, OLMo) use. Anything
/// that would change the ids and that we don't implement is refused with an <see cref="InvalidDataException"/>
/// naming the file and the setting, rather than silently ignored.
/// </summary>
internal static class TokenizerJsonReader
{
    public static HfTokenizer Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer file not found: {path}", path);

        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var reader = new Reader(path);
            return reader.ReadTokenizer(document.RootElement);
        }
    }

    private sealed class Reader(string path)
    {
        private InvalidDataException Error(string problem) => TokenizerValidation.Error(path, problem);

        private InvalidDataException Unsupported(string what) => Error($"unsupported {what}");

        public HfTokenizer ReadTokenizer(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error($"the top level is a JSON {Kind(root)}, not an object");
            if (Property(root, "model") is not JsonElement model || model.ValueKind != JsonValueKind.Object)
                throw Error("has no \"model\" object");
            // The model first: for a WordPiece or Unigram file, that is the one thing worth saying.
            var (vocab, merges) = ReadBpeModel(model);
            if (Property(root, "truncation") is not null) throw Unsupported("\"truncation\" (must be null: Encode never truncates)");
            if (Property(root, "padding") is not null) throw Unsupported("\"padding\" (must be null: Encode never pads)");
            // NFC (GPT-NeoX, OLMo) is string.Normalize with ICU; other normalizers would silently change ids.
            bool nfc = false;
            if (Property(root, "normalizer") is JsonElement normalizer)
            {
                if (TypeOf(normalizer, "normalizer") != "\"NFC\"")
                    throw Unsupported($"normalizer {TypeOf(normalizer, "normalizer")} (only null and NFC are implemented)");
                nfc = true;
            }
            if (Property(root, "post_processor") is JsonElement postProcessor && TypeOf(postProcessor, "post_processor") != "\"ByteLevel\"")
                throw Unsupported($"post_processor {TypeOf(postProcessor, "post_processor")} (only null or ByteLevel; Encode adds no special tokens)");
            JsonElement? decoder = Property(root, "decoder");
            if (decoder is null || TypeOf(decoder.Value, "decoder") != "\"ByteLevel\"")
                throw Unsupported($"decoder {(decoder is null ? "null" : TypeOf(decoder.Value, "decoder"))} (a byte-level BPE needs the ByteLevel decoder)");

            PreTokenization preTokenization = ReadPreTokenizer(Property(root, "pre_tokenizer")) with { Nfc = nfc };
            List<AddedToken> addedTokens = ReadAddedTokens(Property(root, "added_tokens"));
            return new HfTokenizer(vocab, merges, addedTokens, preTokenization, path);
        }

        private (Dictionary<string, int> Vocab, List<(string, string)> Merges) ReadBpeModel(JsonElement model)
        {
            string type = Property(model, "type") is JsonElement t && t.ValueKind == JsonValueKind.String ? t.GetString()! : "(none)";
            if (type != "BPE") throw Unsupported($"model type \"{type}\" (only byte-level \"BPE\" is implemented)");
            if (Property(model, "dropout") is JsonElement dropout && !(dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() == 0))
                throw Unsupported($"model.dropout {dropout.GetRawText()} (BPE dropout is not implemented)");
            foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
                if (Property(model, affix) is JsonElement value && value.GetRawText() != "\"\"")
                    throw Unsupported($"model.{affix} {value.GetRawText()} (byte-level BPE has none)");
            foreach (string flag in new[] { "byte_fallback", "ignore_merges" })
                if (Property(model, flag) is JsonElement value && value.ValueKind == JsonValueKind.True)
                    throw Unsupported($"model.{flag} true");
            // unk_token is harmless: with all 256 byte symbols in the vocab nothing is ever unknown.

            if (Property(model, "vocab") is not JsonElement vocabNode) throw Error("model has no \"vocab\"");
            if (vocabNode.ValueKind != JsonValueKind.Object)
                throw Error($"model.vocab is a JSON {Kind(vocabNode)}, not an object of token → id");
            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (JsonProperty entry in vocabNode.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id))
                    throw Error($"model.vocab[{TokenizerValidation.Show(entry.Name)}] is {entry.Value.GetRawText()}, not an integer id");
                if (!vocab.TryAdd(entry.Name, id)) throw Error($"model.vocab lists {TokenizerValidation.Show(entry.Name)} twice");
            }

            if (Property(model, "merges") is not JsonElement mergesNode || mergesNode.ValueKind != JsonValueKind.Array)
                throw Error("model.merges is missing or not an array");
            var merges = new List<(string, string)>(mergesNode.GetArrayLength());
            foreach (JsonElement merge in mergesNode.EnumerateArray()) merges.Add(ReadMerge(merge, merges.Count));
            return (vocab, merges);
        }

        // tokenizers < 0.20 writes "left right"; newer versions write ["left", "right"]. Both mean the same rule.
        private (string, string) ReadMerge(JsonElement merge, int index)
        {
            if (merge.ValueKind == JsonValueKind.String)
            {
                string[] parts = merge.GetString()!.Split(' ');
                if (parts.Length == 2) return (parts[0], parts[1]);
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                     && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                return (merge[0].GetString()!, merge[1].GetString()!);
            }
            throw Error($"model.merges[{index}] is {merge.GetRawText()}; expected \"left right\" or [\"left\", \"right\"]");
        }

        private List<AddedToken> ReadAddedTokens(JsonElement? node)
        {
            var tokens = new List<AddedToken>();
            if (node is null) return tokens;
            if (node.Value.ValueKind != JsonValueKind.Array) throw Error($"added_tokens is a JSON {Kind(node.Value)}, not an array");
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                string where = $"added_tokens[{tokens.Count}]";
                if (item.ValueKind != JsonValueKind.Object) throw Error($"{where} is not an object");
                if (Property(item, "id") is not JsonElement id || !id.TryGetInt32(out int idValue)) throw Error($"{where} has no integer \"id\"");
                if (Property(item, "content") is not JsonElement content || content.ValueKind != JsonValueKind.String)
                    throw Error($"{where} has no string \"content\"");
                // These change where a token matches (word boundaries, swallowed whitespace); we match literally only.
                foreach (string option in new[] { "single_word", "lstrip", "rstrip" })
                    if (Property(item, option) is JsonElement value && value.ValueKind == JsonValueKind.True)
                        throw Unsupported($"{where}.{option} true (added tokens are matched literally)");
                bool special = Property(item, "special") is JsonElement s && s.ValueKind == JsonValueKind.True;
                bool normalized = Property(item, "normalized") is JsonElement n ? n.ValueKind == JsonValueKind.True : !special;
                tokens.Add(new AddedToken(idValue, content.GetString()!, special) { Normalized = normalized });
            }
            return tokens;
        }

        private PreTokenization ReadPreTokenizer(JsonElement? node)
        {
            if (node is null) throw Unsupported("pre_tokenizer null (a byte-level BPE needs the ByteLevel pre-tokenizer)");
            string type = TypeOf(node.Value, "pre_tokenizer");
            if (type == "\"ByteLevel\"") return ReadByteLevel(node.Value, []);
            if (type != "\"Sequence\"") throw Unsupported($"pre_tokenizer {type} (only ByteLevel, or a Sequence of Splits ending in ByteLevel)");

            // Split(regex) stages, then ByteLevel, which may add the GPT-2 regex as one more stage.
            if (Property(node.Value, "pretokenizers") is not JsonElement stages || stages.ValueKind != JsonValueKind.Array || stages.GetArrayLength() == 0)
                throw Error("pre_tokenizer Sequence has no \"pretokenizers\" array");
            var patterns = new List<string>();
            int count = stages.GetArrayLength();
            for (int i = 0; i < count; i++)
            {
                JsonElement stage = stages[i];
                string stageType = TypeOf(stage, $"pre_tokenizer.pretokenizers[{i}]");
                bool last = i == count - 1;
                if (stageType == "\"ByteLevel\"" && last) return ReadByteLevel(stage, patterns);
                if (stageType == "\"Split\"" && !last) { patterns.Add(ReadSplitPattern(stage, i)); continue; }
                throw Unsupported($"pre_tokenizer.pretokenizers[{i}] {stageType} (only Split stages followed by one final ByteLevel)");
            }
            throw new InvalidOperationException("unreachable: the loop returns or throws at the last stage");
        }

        private PreTokenization ReadByteLevel(JsonElement node, List<string> precedingPatterns)
        {
            // HF's defaults for missing fields.
            bool addPrefixSpace = Property(node, "add_prefix_space")?.ValueKind != JsonValueKind.False;
            bool useRegex = Property(node, "use_regex")?.ValueKind != JsonValueKind.False;
            // After a Split, HF would prefix every piece with a space; nobody uses that and we don't implement it.
            if (addPrefixSpace && precedingPatterns.Count > 0)
                throw Unsupported("pre_tokenizer ByteLevel with add_prefix_space true after a Split");
            if (useRegex) precedingPatterns.Add(PreTokenization.Gpt2Pattern);
            return new PreTokenization(addPrefixSpace, precedingPatterns);
        }

        private string ReadSplitPattern(JsonElement split, int index)
        {
            string where = $"pre_tokenizer.pretokenizers[{index}] Split";
            string behavior = Property(split, "behavior")?.GetRawText() ?? "(none)";
            if (behavior != "\"Isolated\"") throw Unsupported($"{where} behavior {behavior} (only \"Isolated\")");
            if (Property(split, "invert")?.ValueKind == JsonValueKind.True) throw Unsupported($"{where} with invert true");
            if (Property(split, "pattern") is JsonElement pattern && pattern.ValueKind == JsonValueKind.Object)
            {
                if (Property(pattern, "Regex") is JsonElement regex && regex.ValueKind == JsonValueKind.String) return regex.GetString()!;
                if (Property(pattern, "String") is JsonElement literal && literal.ValueKind == JsonValueKind.String)
                    return Regex.Escape(literal.GetString()!);
            }
            throw Error($"{where} has no pattern {{\"Regex\": …}} or {{\"String\": …}}");
        }

        private string TypeOf(JsonElement node, string where)
        {
            if (node.ValueKind != JsonValueKind.Object) throw Error($"{where} is a JSON {Kind(node)}, not an object");
            return Property(node, "type")?.GetRawText() ?? "(no type)";
        }
    }

    /// <summary>A property's value, or null when it is absent or JSON null.</summary>
    private static JsonElement? Property(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string Kind(JsonElement node) => node.ValueKind.ToString().ToLowerInvariant();
}
