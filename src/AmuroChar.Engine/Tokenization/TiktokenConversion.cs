using System.Text;

namespace AmuroChar.Tokenization;

/// <summary>
/// Turns a tiktoken BPE (tokens as raw bytes with ranks, merges implicit) into a Hugging Face byte-level BPE
/// (byte-level spelled vocab plus an explicit merge list), so e.g. GPT-2's ranks can be checked through our
/// tokenizer.json path.
/// </summary>
public static class TiktokenConversion
{
    /// <summary>
    /// Reads a <c>.tiktoken</c> file: one "base64-token rank" line per token. Also reads the variant that
    /// Microsoft.ML.Tokenizers' data packages embed: a "Capacity: n" first line, then bare base64 tokens whose rank is
    /// their line order. Returns the tokens indexed by rank; the ranks must be exactly 0 … n-1.
    /// </summary>
    public static IReadOnlyList<byte[]> ReadRanks(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var byRank = new SortedDictionary<int, byte[]>();
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("Capacity:", StringComparison.Ordinal))) continue;
            string[] fields = line.Split(' ');
            byte[] token;
            try
            {
                token = Convert.FromBase64String(fields[0]);
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"tiktoken line {lineNumber}: '{fields[0]}' is not base64");
            }
            int rank = byRank.Count;
            if (fields.Length > 2 || (fields.Length == 2 && (!int.TryParse(fields[1], out rank) || rank < 0)))
                throw new InvalidDataException($"tiktoken line {lineNumber}: expected 'base64-token rank', got '{line}'");
            if (!byRank.TryAdd(rank, token)) throw new InvalidDataException($"tiktoken line {lineNumber}: rank {rank} appears twice");
        }
        if (byRank.Count == 0 || byRank.Keys.Last() != byRank.Count - 1)
            throw new InvalidDataException($"tiktoken ranks are not 0 … {byRank.Count - 1} without gaps");
        return byRank.Values.ToArray();
    }

    /// <summary>
    /// The equivalent HF tokenizer: token rank = id; each multi-byte token becomes one merge, in rank order, whose
    /// halves are what tiktoken's own BPE reaches on the token's bytes using only lower ranks (tiktoken always merges
    /// the lowest-ranked adjacent pair, so the last step before the token itself is its merge).
    /// </summary>
    /// <param name="tokensByRank">Raw token bytes indexed by rank; must contain all 256 single bytes.</param>
    /// <param name="specialTokens">Special tokens and their ids (GPT-2: &lt;|endoftext|&gt; = 50256).</param>
    /// <param name="preTokenization">The model's split regex; defaults to GPT-2's.</param>
    public static HfTokenizer ToHfTokenizer(IReadOnlyList<byte[]> tokensByRank, IReadOnlyDictionary<string, int> specialTokens,
        PreTokenization? preTokenization = null)
    {
        ArgumentNullException.ThrowIfNull(tokensByRank);
        ArgumentNullException.ThrowIfNull(specialTokens);
        var vocab = new Dictionary<string, int>(tokensByRank.Count + specialTokens.Count, StringComparer.Ordinal);
        for (int rank = 0; rank < tokensByRank.Count; rank++)
            if (!vocab.TryAdd(ByteLevelAlphabet.Encode(tokensByRank[rank]), rank))
                throw new InvalidDataException($"tiktoken rank {rank}: the same bytes already have rank {vocab[ByteLevelAlphabet.Encode(tokensByRank[rank])]}");

        var merges = new List<(string, string)>();
        for (int rank = 0; rank < tokensByRank.Count; rank++)
            if (tokensByRank[rank].Length >= 2) merges.Add(FindMerge(tokensByRank[rank], rank, vocab));

        var addedTokens = new List<AddedToken>();
        foreach (var (content, id) in specialTokens.OrderBy(kv => kv.Value))
        {
            addedTokens.Add(new AddedToken(id, content, Special: true));
            vocab.TryAdd(content, id); // HF's GPT-2 lists <|endoftext|> in model.vocab too
        }
        return new HfTokenizer(vocab, merges, addedTokens, preTokenization ?? PreTokenization.Gpt2);
    }

    private static (string Left, string Right) FindMerge(byte[] token, int rank, Dictionary<string, int> rankOf)
    {
        // Two adjacent parts always form a contiguous slice of the token's spelling, so candidates are looked up by
        // span without building strings. parts[i] is where part i starts; a part ends where the next one starts.
        string spelled = ByteLevelAlphabet.Encode(token);
        var rankOfSpan = rankOf.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < spelled.Length; i++)
            if (!rankOfSpan.ContainsKey(spelled.AsSpan(i, 1)))
                throw new InvalidDataException($"tiktoken ranks lack the single byte 0x{token[i]:X2}");
        var starts = Enumerable.Range(0, spelled.Length).ToList();
        int End(int part) => part + 1 < starts.Count ? starts[part + 1] : spelled.Length;
        while (starts.Count > 2)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < starts.Count; i++)
                if (rankOfSpan.TryGetValue(spelled.AsSpan(starts[i], End(i + 1) - starts[i]), out int r) && r < rank && r < bestRank)
                    (best, bestRank) = (i, r);
            if (best < 0) break;
            starts.RemoveAt(best + 1);
        }
        if (starts.Count != 2)
            throw new InvalidDataException(
                $"tiktoken rank {rank} ({TokenizerValidation.Show(spelled)}) is not a merge of two lower-ranked tokens");
        return (spelled[..starts[1]], spelled[starts[1]..]);
    }
}
