using System.Text.RegularExpressions;
using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Tokenization;

public class PreTokenizationTests
{
    private static List<string> Pieces(string text) =>
        SplitPreTokenizer.Gpt2.Split(text).Select(p => text.Substring(p.Offset, p.Length)).ToList();

    [Fact]
    public void SplitsLikeGpt2()
    {
        Assert.Equal(["Hello", ",", " world", "!", " It", "'s", " 2024", ".", "  ", " Next", "\n\n"], Pieces("Hello, world! It's 2024.   Next\n\n"));
        Assert.Equal(["don", "'t", " x", "''", "s", " '", "ll"], Pieces("don't x''s 'll"));
        Assert.Equal(["a", "\t", " b", " ", "\n", "c"], Pieces("a\t b \nc"));
        Assert.Empty(Pieces(""));
    }

    [Fact]
    public void LettersAndDigitsOutsideTheBmpStayInTheirRun()
    {
        // .NET's Regex would cut "a𝐀b" into "a", "𝐀", "b": it sees the surrogates of 𝐀 (U+1D400) as non-letters.
        Assert.Equal(["a𝐀b", " 𠀀中", " 𝟙𝟚", " 😀🎉"], Pieces("a𝐀b 𠀀中 𝟙𝟚 😀🎉"));
    }

    [Fact]
    public void MatchesTheRegexOnBmpText()
    {
        // On text without surrogates the hand-written matcher must agree with the regex it implements.
        string text = string.Concat(TokenizerFixtures.VariedText(100_000, seed: 17).Where(c => !char.IsSurrogate(c)));
        var regexPieces = Regex.Matches(text, PreTokenization.Gpt2Pattern).Select(m => m.Value).ToList();
        Assert.Equal(text, string.Concat(regexPieces)); // the pattern leaves no gaps
        Assert.Equal(regexPieces, Pieces(text));
    }

    [Fact]
    public void SplitStagesKeepTheGapsBetweenMatches()
    {
        // HF's "Isolated" behaviour: matches and the text between them are all pieces; nothing is dropped.
        var splitter = new SplitPreTokenizer([@"\d+"]);
        string text = "ab12cd345";
        Assert.Equal(["ab", "12", "cd", "345"], splitter.Split(text).Select(p => text.Substring(p.Offset, p.Length)));
    }
}
