using System.Runtime.InteropServices;
using System.Text;

namespace AmuroChar.Tokenization;

/// <summary>
/// The merge loop of BPE training over unique words with their counts. Pair counts are kept up to date incrementally:
/// a merge only rewrites the words that contain its pair, found through a pair → words index. The best pair comes
/// from a priority queue whose entries may be stale (too high); a popped entry whose count is out of date is pushed
/// back with its current count, which is correct because a pair's count only grows in the round that re-queues it.
/// </summary>
internal sealed class BpeMergeLearner
{
    private readonly List<string> _symbolText = new();               // symbol id → byte-level spelling
    private readonly Dictionary<string, int> _symbolOfText = new(StringComparer.Ordinal);
    private readonly int[][] _words;                                 // each word as symbol ids
    private readonly long[] _wordCounts;
    private readonly Dictionary<long, long> _pairCounts = new();
    private readonly Dictionary<long, HashSet<int>> _pairWords = new();
    private readonly PriorityQueue<long, (long Count, long Pair)> _queue;
    private readonly IReadOnlySet<string> _forbiddenTokens;
    private readonly List<(string Left, string Right)> _merges = new();
    private readonly HashSet<long> _mergedPairs = new();

    public BpeMergeLearner(Dictionary<string, long> wordCounts, IReadOnlySet<string> forbiddenTokens)
    {
        _forbiddenTokens = forbiddenTokens;
        for (int b = 0; b < 256; b++) AddSymbol(ByteLevelAlphabet.ToChar((byte)b).ToString());

        // Sorted so that nothing depends on dictionary order; single-byte words have no pairs and are dropped.
        var words = wordCounts.Select(kv => (Bytes: Encoding.UTF8.GetBytes(kv.Key), Count: kv.Value))
            .Where(w => w.Bytes.Length >= 2)
            .OrderBy(w => w.Bytes, ByteArrayComparer.Instance)
            .ToArray();
        _words = words.Select(w => w.Bytes.Select(b => (int)b).ToArray()).ToArray();
        _wordCounts = words.Select(w => w.Count).ToArray();

        _queue = new PriorityQueue<long, (long, long)>(Comparer<(long Count, long Pair)>.Create(ComparePriority));
        for (int w = 0; w < _words.Length; w++) AddPairs(w, touched: null);
        foreach (var (pair, count) in _pairCounts) _queue.Enqueue(pair, (count, pair));
    }

    public int SymbolCount => _symbolText.Count;

    public string SymbolText(int symbol) => _symbolText[symbol];

    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    public void Learn(int maxNewTokens)
    {
        var blocked = new HashSet<long>();
        int newTokens = 0;
        while (newTokens < maxNewTokens && _queue.TryDequeue(out long pair, out var priority))
        {
            long count = _pairCounts.GetValueOrDefault(pair);
            if (count <= 0 || blocked.Contains(pair)) continue;
            if (count != priority.Count)
            {
                _queue.Enqueue(pair, (count, pair));
                continue;
            }

            var (left, right) = Split(pair);
            string text = _symbolText[left] + _symbolText[right];
            // A special token must never be produced from plain text, so its spelling is never learned.
            if (_forbiddenTokens.Contains(text))
            {
                blocked.Add(pair);
                continue;
            }
            // Different words can build the same string from different halves ("a"+"bc", "ab"+"c"): one token, two merges.
            if (!_symbolOfText.TryGetValue(text, out int merged))
            {
                merged = AddSymbol(text);
                newTokens++;
            }
            // A pair can come back after its merge when a reused symbol lands next to a neighbour again; the rule is
            // already in the list (HF would give a duplicate the later rank), so it is applied but not repeated.
            if (_mergedPairs.Add(pair)) _merges.Add((_symbolText[left], _symbolText[right]));
            ApplyMerge(pair, left, right, merged);
        }
    }

    private void ApplyMerge(long pair, int left, int right, int merged)
    {
        var touched = new HashSet<long>();
        foreach (int w in _pairWords[pair])
        {
            int[] symbols = _words[w];
            if (!Contains(symbols, left, right)) continue; // the index may list words the pair has left
            RemovePairs(w);
            var result = new List<int>(symbols.Length);
            for (int i = 0; i < symbols.Length; i++)
            {
                if (i + 1 < symbols.Length && symbols[i] == left && symbols[i + 1] == right)
                {
                    result.Add(merged);
                    i++;
                }
                else result.Add(symbols[i]);
            }
            _words[w] = result.ToArray();
            AddPairs(w, touched);
        }
        _pairWords.Remove(pair);
        _pairCounts.Remove(pair);
        foreach (long p in touched)
            if (_pairCounts.GetValueOrDefault(p) > 0) _queue.Enqueue(p, (_pairCounts[p], p));
    }

    private void RemovePairs(int w)
    {
        int[] symbols = _words[w];
        for (int i = 0; i + 1 < symbols.Length; i++) _pairCounts[Pair(symbols[i], symbols[i + 1])] -= _wordCounts[w];
    }

    /// <summary>Counts word <paramref name="w"/>'s pairs; <paramref name="touched"/> collects the pairs that grew.</summary>
    private void AddPairs(int w, HashSet<long>? touched)
    {
        int[] symbols = _words[w];
        for (int i = 0; i + 1 < symbols.Length; i++)
        {
            long pair = Pair(symbols[i], symbols[i + 1]);
            CollectionsMarshal.GetValueRefOrAddDefault(_pairCounts, pair, out _) += _wordCounts[w];
            ref HashSet<int>? wordsOfPair = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairWords, pair, out _);
            (wordsOfPair ??= new HashSet<int>()).Add(w);
            touched?.Add(pair);
        }
    }

    private int AddSymbol(string text)
    {
        _symbolOfText.Add(text, _symbolText.Count);
        _symbolText.Add(text);
        return _symbolText.Count - 1;
    }

    // Most frequent first; ties go to the pair whose (left, right) spelling sorts first, ordinally.
    private int ComparePriority((long Count, long Pair) x, (long Count, long Pair) y)
    {
        int byCount = y.Count.CompareTo(x.Count);
        if (byCount != 0) return byCount;
        var (xLeft, xRight) = Split(x.Pair);
        var (yLeft, yRight) = Split(y.Pair);
        int byLeft = string.CompareOrdinal(_symbolText[xLeft], _symbolText[yLeft]);
        return byLeft != 0 ? byLeft : string.CompareOrdinal(_symbolText[xRight], _symbolText[yRight]);
    }

    private static bool Contains(int[] symbols, int left, int right)
    {
        for (int i = 0; i + 1 < symbols.Length; i++)
            if (symbols[i] == left && symbols[i + 1] == right) return true;
        return false;
    }

    private static long Pair(int left, int right) => ((long)left << 32) | (uint)right;

    private static (int Left, int Right) Split(long pair) => ((int)(pair >> 32), (int)(uint)pair);

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
