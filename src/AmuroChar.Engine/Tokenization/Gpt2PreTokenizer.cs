using System.Text;

namespace AmuroChar.Tokenization;

/// <summary>
/// GPT-2's pre-tokenizer regex, <see cref="PreTokenization.Gpt2Pattern"/>, matched by hand over code points.
/// .NET's Regex works on UTF-16 code units, so it sees a letter or digit outside the BMP (𝐀, 𠀀, 𝟙) as two
/// surrogates that are neither \p{L} nor \p{N}, and cuts words where GPT-2 (Python's regex) and Hugging Face
/// tokenizers (Rust) don't; that changes ids. Classes: \p{L} = <see cref="Rune.IsLetter"/>, \p{N} =
/// <see cref="Rune.IsNumber"/>, \s = <see cref="Rune.IsWhiteSpace"/> (Unicode White_Space, as in Rust's regex).
/// </summary>
internal static class Gpt2PreTokenizer
{
    private enum CharClass { Letter, Number, Whitespace, Other }

    private static readonly string[] Contractions = ["s", "t", "re", "ve", "m", "ll", "d"];

    /// <summary>Appends the pieces of <paramref name="text"/> as (offset + start, length), covering all of it.</summary>
    public static void Split(ReadOnlySpan<char> text, int offset, List<(int Offset, int Length)> output)
    {
        for (int start = 0; start < text.Length;)
        {
            int length = MatchAt(text, start);
            output.Add((offset + start, length));
            start += length;
        }
    }

    /// <summary>The length of the regex's match at <paramref name="start"/>: its first alternative that matches.</summary>
    private static int MatchAt(ReadOnlySpan<char> text, int start)
    {
        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive, as in GPT-2)
        if (text[start] == '\'')
            foreach (string suffix in Contractions)
                if (text[(start + 1)..].StartsWith(suffix, StringComparison.Ordinal)) return 1 + suffix.Length;

        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': a run of one class, taking one space before it.
        int runStart = start;
        if (text[start] == ' ' && start + 1 < text.Length && ClassAt(text, start + 1, out _) != CharClass.Whitespace) runStart++;
        CharClass runClass = ClassAt(text, runStart, out int width);
        int end = runStart + width;
        while (end < text.Length && ClassAt(text, end, out width) == runClass) end += width;
        if (runClass != CharClass.Whitespace) return end - start;

        // '\s+(?!\S)' backs off one character so that the last space can start the next word; '\s+' takes a lone one.
        // (Whitespace characters are all in the BMP: one UTF-16 unit each.)
        int runLength = end - start;
        return end == text.Length || runLength == 1 ? runLength : runLength - 1;
    }

    private static CharClass ClassAt(ReadOnlySpan<char> text, int index, out int width)
    {
        if (Rune.DecodeFromUtf16(text[index..], out Rune rune, out width) != System.Buffers.OperationStatus.Done)
        {
            width = 1; // a lone surrogate; it becomes U+FFFD (a symbol) in UTF-8 anyway
            return CharClass.Other;
        }
        if (Rune.IsLetter(rune)) return CharClass.Letter;
        if (Rune.IsNumber(rune)) return CharClass.Number;
        return Rune.IsWhiteSpace(rune) ? CharClass.Whitespace : CharClass.Other;
    }
}
