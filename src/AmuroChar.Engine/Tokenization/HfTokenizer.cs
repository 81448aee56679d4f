using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace AmuroChar.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer (GPT-2 / GPT-NeoX / OLMo style) as described by a Hugging Face <c>tokenizer.json</c>.
/// Added tokens are matched literally first; the text between them is pre-tokenized and BPE-encoded by
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>. Because every byte UTF-8 can produce has a symbol, any valid
/// Unicode string round-trips: <c>Decode(Encode(s)) == s</c>. A lone surrogate, which UTF-8 can't carry, is encoded
/// as U+FFFD, as Hugging Face does (its Rust strings receive U+FFFD in its place).
/// </summary>
public sealed class HfTokenizer
{
    // Looked up among the special added tokens; tokenizer.json itself has no notion of EOS or padding.
    private static readonly string[] EosContents = ["<|endoftext|>", "</s>", "<eos>", "<|eos|>"];
    private static readonly string[] PadContents = ["<|padding|>", "<pad>", "<|pad|>", "[PAD]"];

    private readonly Dictionary<string, int> _vocab;
    private readonly (string Left, string Right)[] _merges;
    private readonly AddedToken[] _addedTokens;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string?[] _idToToken;
    private readonly byte[]?[] _idToBytes;
    private readonly AddedTokenSplitter _rawAddedTokens;
    private readonly AddedTokenSplitter _normalizedAddedTokens;
    private readonly SplitPreTokenizer _preTokenizer;
    private readonly BpeTokenizer _bpe;
    // Pre-token → ids. Words repeat (Zipf), so most pre-tokens skip BPE; as in HF, the cache stops growing when full.
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private const int CacheCapacity = 100_000;
    private int _cacheSize;

    /// <summary>
    /// Builds a tokenizer from its parts, checking that they fit together (every merge's parts and result are in the
    /// vocab, the symbol of every byte UTF-8 can produce is present, ids are unique). Problems are <see cref="InvalidDataException"/>s.
    /// </summary>
    /// <param name="vocab">Byte-level spelled token → id (HF's <c>model.vocab</c>).</param>
    /// <param name="merges">Merge rules, highest priority first (HF's <c>model.merges</c>).</param>
    /// <param name="addedTokens">Tokens matched literally before BPE; they may also appear in <paramref name="vocab"/>.</param>
    /// <param name="preTokenization">Defaults to <see cref="PreTokenization.Gpt2"/>.</param>
    public HfTokenizer(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges,
        IReadOnlyList<AddedToken> addedTokens, PreTokenization? preTokenization = null)
        : this(vocab, merges, addedTokens, preTokenization ?? PreTokenization.Gpt2, "tokenizer")
    {
    }

    internal HfTokenizer(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges,
        IReadOnlyList<AddedToken> addedTokens, PreTokenization preTokenization, string source)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentNullException.ThrowIfNull(addedTokens);
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _merges = merges.ToArray();
        _addedTokens = addedTokens.ToArray();
        PreTokenization = preTokenization;

        TokenizerValidation.CheckVocab(_vocab, source);
        TokenizerValidation.CheckMerges(_merges, _vocab, source);
        TokenizerValidation.CheckAddedTokens(_addedTokens, _vocab, source);

        VocabularySize = Math.Max(_vocab.Values.Max(), _addedTokens.Length == 0 ? -1 : _addedTokens.Max(t => t.Id)) + 1;
        _tokenToId = new Dictionary<string, int>(_vocab, StringComparer.Ordinal);
        _idToToken = new string?[VocabularySize];
        _idToBytes = new byte[]?[VocabularySize];
        foreach (var (token, id) in _vocab)
        {
            _idToToken[id] = token;
            // A vocab entry outside the byte alphabet decodes to its own UTF-8, as HF's ByteLevel decoder does.
            _idToBytes[id] = ByteLevelAlphabet.TryDecode(token) ?? Encoding.UTF8.GetBytes(token);
        }
        foreach (AddedToken added in _addedTokens)
        {
            _tokenToId[added.Content] = added.Id;
            _idToToken[added.Id] = added.Content;
            // Added tokens are matched in raw text, so they decode to their literal content.
            _idToBytes[added.Id] = Encoding.UTF8.GetBytes(added.Content);
        }

        EosId = FindSpecial(EosContents);
        PadId = FindSpecial(PadContents);
        // HF matches non-normalized added tokens in the raw text, then normalizes the rest and matches the others there.
        _rawAddedTokens = new AddedTokenSplitter(_addedTokens.Where(t => !t.Normalized));
        _normalizedAddedTokens = new AddedTokenSplitter(_addedTokens.Where(t => t.Normalized)
            .Select(t => preTokenization.Nfc ? t with { Content = t.Content.Normalize(NormalizationForm.FormC) } : t));
        _preTokenizer = TokenizerValidation.CreatePreTokenizer(preTokenization, source);
        _bpe = BpeTokenizer.Create(new BpeOptions(_vocab)
        {
            Merges = _merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
            PreTokenizer = WholeTextPreTokenizer.Instance,   // we pre-tokenize, so that pre-tokens can be cached
        });
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Ids run from 0 to VocabularySize - 1 (the largest id + 1, added tokens included).</summary>
    public int VocabularySize { get; }

    /// <summary>The first special added token among &lt;|endoftext|&gt;, &lt;/s&gt;, &lt;eos&gt;, &lt;|eos|&gt;; null if none.
    /// What tokenizer.json alone implies: a model's own EOS comes from its config files (Checkpoints.SpecialTokens).</summary>
    public int? EosId { get; }

    /// <summary>The first special added token among &lt;|padding|&gt;, &lt;pad&gt;, &lt;|pad|&gt;, [PAD]; null if none.</summary>
    public int? PadId { get; }

    public PreTokenization PreTokenization { get; }

    /// <summary>HF's <c>model.vocab</c>: byte-level spelled token → id.</summary>
    public IReadOnlyDictionary<string, int> Vocabulary => _vocab;

    /// <summary>HF's <c>model.merges</c>, highest priority first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    public IReadOnlyList<AddedToken> AddedTokens => _addedTokens;

    /// <summary>
    /// The ids of <paramref name="text"/>. Adds no BOS or EOS (OLMo adds none to plain text): callers append
    /// <see cref="EosId"/> themselves where a document ends.
    /// </summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Utf16Text.ReplaceLoneSurrogates(text);
        var ids = new List<int>(text.Length / 3 + 1);
        foreach (var (offset, length, rawTokenId) in _rawAddedTokens.Split(text))
        {
            if (rawTokenId is int id)
            {
                ids.Add(id);
                continue;
            }
            string piece = text.Substring(offset, length);
            if (PreTokenization.Nfc) piece = Nfc(piece);
            foreach (var (pieceOffset, pieceLength, normalizedTokenId) in _normalizedAddedTokens.Split(piece))
            {
                if (normalizedTokenId is int normalizedId) ids.Add(normalizedId);
                else EncodeOrdinary(piece.AsSpan(pieceOffset, pieceLength), ids);
            }
        }
        return ids;
    }

    /// <summary>
    /// NFC as Hugging Face's normalizer applies it. .NET refuses the noncharacter U+FFFE ("invalid code point"), which
    /// Hugging Face leaves as it is and encodes as its bytes; a noncharacter is a starter with no decomposition, so the
    /// text either side of it is normalized on its own and the character kept.
    /// </summary>
    static string Nfc(string text)
    {
        if (!text.Contains('\uFFFE')) return text.Normalize(NormalizationForm.FormC);
        return string.Join('\uFFFE', text.Split('\uFFFE').Select(part => part.Normalize(NormalizationForm.FormC)));
    }

    /// <summary>Text without added tokens: pre-tokenized and BPE-encoded.</summary>
    private void EncodeOrdinary(ReadOnlySpan<char> segment, List<int> ids)
    {
        if (PreTokenization.AddPrefixSpace && segment[0] != ' ') segment = string.Concat(" ", segment);
        foreach (var (offset, length) in _preTokenizer.Split(segment)) ids.AddRange(EncodePreToken(segment.Slice(offset, length)));
    }

    private int[] EncodePreToken(ReadOnlySpan<char> preToken)
    {
        if (_cacheBySpan.TryGetValue(preToken, out int[]? cached)) return cached;
        int[] ids = [.. _bpe.EncodeToIds(preToken)];
        // ConcurrentDictionary.Count takes every lock, so the size is counted here.
        if (Volatile.Read(ref _cacheSize) < CacheCapacity && _cacheBySpan.TryAdd(preToken, ids)) Interlocked.Increment(ref _cacheSize);
        return ids;
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: their bytes concatenated and read as UTF-8 (a sequence cut inside a
    /// character gives U+FFFD there). Special tokens are kept. An id without a token is an error.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new ArrayBufferWriter<byte>();
        foreach (int id in ids)
        {
            byte[]? tokenBytes = (uint)id < (uint)_idToBytes.Length ? _idToBytes[id] : null;
            if (tokenBytes is null)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"no token has id {id} (vocabulary size {VocabularySize})");
            bytes.Write(tokenBytes);
        }
        return Encoding.UTF8.GetString(bytes.WrittenSpan);
    }

    /// <summary>The id of a token as spelled in the vocab (byte-level, e.g. "Ġthe") or an added token's content.</summary>
    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out int id) ? id : null;

    /// <summary>The token of an id, as <see cref="TokenToId"/> spells it; null for an unused id.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>Reads a Hugging Face tokenizer.json with a byte-level BPE model.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed or uses something this class doesn't implement.</exception>
    public static HfTokenizer Load(string path) => TokenizerJsonReader.Read(path);

    /// <summary>Writes a tokenizer.json that Hugging Face <c>tokenizers</c> loads, atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => TokenizerJsonWriter.Write(this, stream));

    private int? FindSpecial(string[] contents)
    {
        foreach (string content in contents)
            foreach (AddedToken added in _addedTokens)
                if (added.Special && added.Content == content) return added.Id;
        return null;
    }
}
