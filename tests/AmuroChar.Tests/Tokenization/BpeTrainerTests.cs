using AmuroChar.Tokenization;
using Xunit;

namespace AmuroChar.Tests.Tokenization;

public class BpeTrainerTests
{
    /// <summary>
    /// hug×10 pug×5 pun×12 bun×4 hugs×5, one word per text (so no 'Ġ'). By hand: (u,g)=20 → ug; (u,n)=16 → un;
    /// (h,ug)=15 → hug; (p,un)=12 → pun; then (hug,s)=5 and (p,ug)=5 tie and "hug" sorts before "p"; last (b,un)=4.
    /// </summary>
    private static IEnumerable<string> HugCorpus() =>
        Enumerable.Repeat("hug", 10).Concat(Enumerable.Repeat("pug", 5)).Concat(Enumerable.Repeat("pun", 12))
            .Concat(Enumerable.Repeat("bun", 4)).Concat(Enumerable.Repeat("hugs", 5));

    [Fact]
    public void LearnsTheHandComputedMerges()
    {
        HfTokenizer tokenizer = BpeTrainer.Train(HugCorpus(), vocabSize: 2 + 256 + 100, TokenizerFixtures.Specials);

        Assert.Equal([("u", "g"), ("u", "n"), ("h", "ug"), ("p", "un"), ("hug", "s"), ("p", "ug"), ("b", "un")], tokenizer.Merges);
        // Every word is one token after 7 merges, so training stops short of the requested size.
        Assert.Equal(2 + 256 + 7, tokenizer.VocabularySize);
        Assert.Equal(2 + 256, tokenizer.TokenToId("ug"));
        Assert.Equal(2 + 256 + 6, tokenizer.TokenToId("bun"));
        Assert.Equal([tokenizer.TokenToId("hugs")!.Value], tokenizer.Encode("hugs"));
        Assert.Equal([tokenizer.TokenToId("b")!.Value, tokenizer.TokenToId("ug")!.Value], tokenizer.Encode("bug"));
    }

    [Fact]
    public void StopsAtTheRequestedVocabularySize()
    {
        HfTokenizer tokenizer = BpeTrainer.Train(HugCorpus(), vocabSize: 2 + 256 + 3, TokenizerFixtures.Specials);
        Assert.Equal([("u", "g"), ("u", "n"), ("h", "ug")], tokenizer.Merges);
        Assert.Equal(2 + 256 + 3, tokenizer.VocabularySize);
    }

    [Fact]
    public void SpecialTokensComeFirstInListOrderThenBytes()
    {
        HfTokenizer tokenizer = BpeTrainer.Train(HugCorpus(), 300, ["<|padding|>", "<|endoftext|>", "<|x|>"]);
        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal(1, tokenizer.EosId);
        Assert.Equal(2, tokenizer.TokenToId("<|x|>"));
        Assert.All(tokenizer.AddedTokens, t => Assert.True(t.Special));
        Assert.Equal(3, tokenizer.TokenToId("Ā")); // byte 0
        Assert.Equal(3 + 'h', tokenizer.TokenToId("h"));
    }

    [Fact]
    public void SpecialTokensInTheTextAreNotLearnedFrom()
    {
        HfTokenizer tokenizer = BpeTrainer.Train(Enumerable.Repeat("xy<|endoftext|>", 50), 400, TokenizerFixtures.Specials);
        Assert.Equal([("x", "y")], tokenizer.Merges);
        Assert.Equal([2 + 256, 0], tokenizer.Encode("xy<|endoftext|>"));
    }

    [Fact]
    public void MergesTakeSpacesWithTheFollowingWord()
    {
        // GPT-2's regex keeps a leading space with its word: " the" is learned as "Ġthe". All three pairs of " the"
        // occur 60 times; ties go to the ordinally first spelling, and 'Ġ' (U+0120) sorts after the letters.
        HfTokenizer tokenizer = BpeTrainer.Train(Enumerable.Repeat("a the the the", 20), 2 + 256 + 3, TokenizerFixtures.Specials);
        Assert.Equal([("h", "e"), ("t", "he"), ("Ġ", "the")], tokenizer.Merges);
        Assert.Equal([2 + 'a', 2 + 256 + 2, 2 + 256 + 2, 2 + 256 + 2], tokenizer.Encode("a the the the"));
    }

    [Fact]
    public void TrainingIsDeterministicAndIgnoresTextOrder()
    {
        List<string> corpus = TokenizerFixtures.SmallCorpus(3000, seed: 21).ToList();
        using var dir = new TempDir();
        BpeTrainer.Train(corpus, 512, TokenizerFixtures.Specials).Save(dir.File("a.json"));
        BpeTrainer.Train(corpus, 512, TokenizerFixtures.Specials).Save(dir.File("b.json"));
        corpus.Reverse();
        BpeTrainer.Train(corpus, 512, TokenizerFixtures.Specials).Save(dir.File("reversed.json"));

        byte[] a = File.ReadAllBytes(dir.File("a.json"));
        Assert.Equal(a, File.ReadAllBytes(dir.File("b.json")));
        Assert.Equal(a, File.ReadAllBytes(dir.File("reversed.json")));
    }

    [Fact]
    public void FrequentWordsBecomeSingleTokens()
    {
        HfTokenizer tokenizer = TokenizerFixtures.Small;
        foreach (string word in new[] { "Amuro", " pilots", " Gundam", " remembers" })
            Assert.Single(tokenizer.Encode(word));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeTrainer.Train(HugCorpus(), 2 + 255, TokenizerFixtures.Specials));
        Assert.Throws<ArgumentException>(() => BpeTrainer.Train(HugCorpus(), 300, ["<a>", "<a>"]));
        Assert.Throws<ArgumentException>(() => BpeTrainer.Train(HugCorpus(), 300, [""]));
        Assert.Throws<ArgumentException>(() => BpeTrainer.Train(HugCorpus(), 300, ["a"]));
    }
}
