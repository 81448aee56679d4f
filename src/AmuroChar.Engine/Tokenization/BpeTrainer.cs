using System.Runtime.InteropServices;
using System.Text;

namespace AmuroChar.Tokenization;

/// <summary>
/// Trains a byte-level BPE tokenizer (Microsoft.ML.Tokenizers has no trainer). Text is pre-tokenized with GPT-2's
/// regex, words are counted, and the most frequent adjacent pair of symbols is merged until the vocabulary is full.
/// Training is deterministic: the same texts give the same tokenizer, byte for byte once saved.
/// </summary>
public static class BpeTrainer
{
    /// <summary>
    /// Learns a tokenizer whose ids are: <paramref name="specialTokens"/> in list order (so the caller picks their ids,
    /// e.g. &lt;|endoftext|&gt; = 0, &lt;|padding|&gt; = 1), then the 256 byte symbols in byte order, then one token per
    /// merge. Stops at <paramref name="vocabSize"/> tokens, or earlier when every word is a single token.
    /// Special tokens found in the texts are cut out, not learned from.
    /// </summary>
    public static HfTokenizer Train(IEnumerable<string> texts, int vocabSize, IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(specialTokens);
        CheckSpecialTokens(specialTokens);
        int firstByteId = specialTokens.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, firstByteId + 256, nameof(vocabSize));

        Dictionary<string, long> wordCounts = CountWords(texts, specialTokens);
        var learner = new BpeMergeLearner(wordCounts, forbiddenTokens: specialTokens.ToHashSet(StringComparer.Ordinal));
        learner.Learn(maxNewTokens: vocabSize - firstByteId - 256);

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var addedTokens = new List<AddedToken>();
        for (int i = 0; i < specialTokens.Count; i++)
        {
            // In model.vocab as well, as HF's trainer and GPT-NeoX/OLMo do.
            vocab.Add(specialTokens[i], i);
            addedTokens.Add(new AddedToken(i, specialTokens[i], Special: true));
        }
        for (int symbol = 0; symbol < learner.SymbolCount; symbol++) vocab.Add(learner.SymbolText(symbol), firstByteId + symbol);
        return new HfTokenizer(vocab, learner.Merges, addedTokens, PreTokenization.Gpt2);
    }

    private static void CheckSpecialTokens(IReadOnlyList<string> specialTokens)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string token in specialTokens)
        {
            if (string.IsNullOrEmpty(token)) throw new ArgumentException("special tokens must be non-empty", nameof(specialTokens));
            if (!seen.Add(token)) throw new ArgumentException($"special token '{token}' is listed twice", nameof(specialTokens));
            if (token.Length == 1 && ByteLevelAlphabet.TryToByte(token[0], out _))
                throw new ArgumentException($"special token '{token}' is also a byte-level symbol", nameof(specialTokens));
        }
    }

    /// <summary>How often each pre-token (GPT-2 regex piece) occurs, special tokens excluded.</summary>
    internal static Dictionary<string, long> CountWords(IEnumerable<string> texts, IReadOnlyList<string> specialTokens)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        // Looking pieces up by span allocates a string only the first time a word is seen.
        var bySpan = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var specials = new AddedTokenSplitter(specialTokens.Select((content, i) => new AddedToken(i, content, true)));
        foreach (string text in texts)
        {
            foreach (var (offset, length, specialId) in specials.Split(text))
            {
                if (specialId is not null) continue;
                ReadOnlySpan<char> segment = text.AsSpan(offset, length);
                foreach (var (pieceOffset, pieceLength) in SplitPreTokenizer.Gpt2.Split(segment))
                    CollectionsMarshal.GetValueRefOrAddDefault(bySpan, segment.Slice(pieceOffset, pieceLength), out _)++;
            }
        }
        return counts;
    }
}
