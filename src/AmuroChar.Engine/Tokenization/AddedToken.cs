using System.Text.RegularExpressions;

namespace AmuroChar.Tokenization;

/// <summary>
/// A token matched literally in the text before BPE runs (HF's <c>added_tokens</c>), such as <c>&lt;|endoftext|&gt;</c>.
/// It always encodes to its single id, wherever it appears. <see cref="Special"/> marks control tokens (EOS, padding).
/// </summary>
public sealed record AddedToken(int Id, string Content, bool Special)
{
    /// <summary>
    /// HF's <c>normalized</c>: matched in the normalized (NFC) text rather than the raw text. HF's default is
    /// <c>!special</c>; OLMo's space runs and PII markers are normalized, its &lt;|endoftext|&gt; is not.
    /// </summary>
    public bool Normalized { get; init; } = !Special;
}

/// <summary>Cuts text into runs of ordinary text and added tokens.</summary>
internal sealed class AddedTokenSplitter
{
    private readonly Regex? _pattern;
    private readonly Dictionary<string, int> _ids;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _ids = tokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        if (_ids.Count == 0) return;
        // Longest first: .NET tries alternatives in order at the leftmost match position, so this gives HF's
        // leftmost-longest matching when one added token is a prefix of another.
        var alternatives = _ids.Keys
            .OrderByDescending(c => c.Length).ThenBy(c => c, StringComparer.Ordinal)
            .Select(Regex.Escape);
        _pattern = new Regex(string.Join('|', alternatives), RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// The text as consecutive, non-empty parts: ordinary text (TokenId null) or one added token (its id).
    /// </summary>
    public IEnumerable<(int Offset, int Length, int? TokenId)> Split(string text)
    {
        int end = 0;
        if (_pattern is not null)
        {
            for (Match match = _pattern.Match(text); match.Success; match = match.NextMatch())
            {
                if (match.Index > end) yield return (end, match.Index - end, null);
                yield return (match.Index, match.Length, _ids[match.Value]);
                end = match.Index + match.Length;
            }
        }
        if (end < text.Length) yield return (end, text.Length - end, null);
    }
}
