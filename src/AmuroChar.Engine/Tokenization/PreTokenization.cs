using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AmuroChar.Tokenization;

/// <summary>
/// How text is cut into pre-tokens before BPE runs on each one. Byte-level BPE never merges across a pre-token
/// boundary, so this decides, e.g., that " the" and "the" are different tokens and that digits never fuse with letters.
/// </summary>
/// <param name="AddPrefixSpace">
/// Prepend a space to each text segment (between added tokens) that doesn't start with one, as HF's ByteLevel
/// <c>add_prefix_space</c> does. OLMo, GPT-NeoX and our own tokenizers use false.
/// </param>
/// <param name="SplitPatterns">
/// Regexes applied in order; each one cuts every current piece into its matches and the gaps between them (HF's
/// "Isolated" split behaviour, so no character is ever dropped). Empty: the whole segment is one pre-token.
/// </param>
/// <param name="Nfc">
/// Unicode NFC-normalise each segment first (HF's <c>"normalizer": {"type": "NFC"}</c>, which GPT-NeoX and OLMo
/// tokenizers declare). Added tokens are matched on the raw text, as HF does for tokens with normalized false.
/// </param>
public sealed record PreTokenization(bool AddPrefixSpace, IReadOnlyList<string> SplitPatterns, bool Nfc = false)
{
    /// <summary>GPT-2's pre-tokenizer regex, also used by HF's ByteLevel pre-tokenizer when <c>use_regex</c> is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>HF's ByteLevel pre-tokenizer with add_prefix_space false and use_regex true (GPT-2, GPT-NeoX, OLMo).</summary>
    public static PreTokenization Gpt2 { get; } = new(false, [Gpt2Pattern]);

    /// <summary>True when this is exactly HF's ByteLevel pre-tokenizer with use_regex (however add_prefix_space is set).</summary>
    public bool IsByteLevelWithGpt2Regex => SplitPatterns.Count == 1 && SplitPatterns[0] == Gpt2Pattern;
}

/// <summary>The <see cref="PreTokenization"/> split stages as a Microsoft.ML.Tokenizers pre-tokenizer.</summary>
internal sealed class SplitPreTokenizer : PreTokenizer
{
    private readonly Regex?[] _stages; // null: GPT-2's pattern, matched by Gpt2PreTokenizer

    /// <summary>
    /// Other patterns run on .NET's Regex, which matches UTF-16 code units: \p{L} and \p{N} there miss letters and
    /// digits outside the BMP (Oniguruma and Rust's regex don't).
    /// </summary>
    public SplitPreTokenizer(IReadOnlyList<string> patterns)
    {
        _stages = patterns.Select(p => p == PreTokenization.Gpt2Pattern
            ? null
            : new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant)).ToArray();
    }

    public static SplitPreTokenizer Gpt2 { get; } = new([PreTokenization.Gpt2Pattern]);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>The pre-tokens of <paramref name="text"/> as (offset, length), in order, covering every character.</summary>
    public List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        if (text.IsEmpty) return pieces;
        pieces.Add((0, text.Length));
        foreach (Regex? stage in _stages)
        {
            var next = new List<(int Offset, int Length)>(pieces.Count * 4);
            foreach (var (offset, length) in pieces)
            {
                if (stage is null) Gpt2PreTokenizer.Split(text.Slice(offset, length), offset, next);
                else SplitIsolated(stage, text.Slice(offset, length), offset, next);
            }
            pieces = next;
        }
        return pieces;
    }

    // Each piece is matched on its own (not as a slice of the whole text), as HF does, so lookarounds can't see
    // past a piece's edges.
    private static void SplitIsolated(Regex regex, ReadOnlySpan<char> piece, int pieceOffset, List<(int, int)> output)
    {
        int end = 0;
        foreach (ValueMatch match in regex.EnumerateMatches(piece))
        {
            if (match.Length == 0) continue;
            if (match.Index > end) output.Add((pieceOffset + end, match.Index - end));
            output.Add((pieceOffset + match.Index, match.Length));
            end = match.Index + match.Length;
        }
        if (end < piece.Length) output.Add((pieceOffset + end, piece.Length - end));
    }
}

/// <summary>No pre-tokenization: the whole text is one piece (for BPE on a single, already cut pre-token).</summary>
internal sealed class WholeTextPreTokenizer : PreTokenizer
{
    public static WholeTextPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Whole(text.Length);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Whole(text.Length);

    private static (int, int)[] Whole(int length) => length == 0 ? [] : [(0, length)];
}
