using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Evaluation;

public class PorterStemmerTests
{
    // The examples of Porter (1980), checked against NLTK 3.8's PorterStemmer("ORIGINAL_ALGORITHM"). All but "ties"
    // stem the same in NLTK's default mode, which rouge-score uses.
    public static TheoryData<string, string> PaperVocabulary => new()
    {
        { "caresses", "caress" }, { "ponies", "poni" }, { "ties", "ti" }, { "caress", "caress" }, { "cats", "cat" },
        { "feed", "feed" }, { "agreed", "agre" }, { "plastered", "plaster" }, { "bled", "bled" },
        { "motoring", "motor" }, { "sing", "sing" }, { "conflated", "conflat" }, { "troubled", "troubl" },
        { "sized", "size" }, { "hopping", "hop" }, { "tanned", "tan" }, { "falling", "fall" }, { "hissing", "hiss" },
        { "fizzed", "fizz" }, { "failing", "fail" }, { "filing", "file" }, { "happy", "happi" }, { "sky", "sky" },
        { "relational", "relat" }, { "conditional", "condit" }, { "rational", "ration" }, { "valenci", "valenc" },
        { "digitizer", "digit" }, { "conformabli", "conform" }, { "radicalli", "radic" },
        { "differentli", "differ" }, { "vileli", "vile" }, { "analogousli", "analog" },
        { "vietnamization", "vietnam" }, { "predication", "predic" }, { "operator", "oper" },
        { "feudalism", "feudal" }, { "decisiveness", "decis" }, { "hopefulness", "hope" },
        { "callousness", "callous" }, { "formaliti", "formal" }, { "sensitiviti", "sensit" },
        { "sensibiliti", "sensibl" }, { "triplicate", "triplic" }, { "formative", "form" }, { "formalize", "formal" },
        { "electriciti", "electr" }, { "electrical", "electr" }, { "hopeful", "hope" }, { "goodness", "good" },
        { "revival", "reviv" }, { "allowance", "allow" }, { "inference", "infer" }, { "airliner", "airlin" },
        { "gyroscopic", "gyroscop" }, { "adjustable", "adjust" }, { "defensible", "defens" }, { "irritant", "irrit" },
        { "replacement", "replac" }, { "adjustment", "adjust" }, { "dependent", "depend" }, { "adoption", "adopt" },
        { "homologou", "homolog" }, { "communism", "commun" }, { "activate", "activ" }, { "angulariti", "angular" },
        { "homologous", "homolog" }, { "effective", "effect" }, { "bowdlerize", "bowdler" }, { "probate", "probat" },
        { "rate", "rate" }, { "cease", "ceas" }, { "controll", "control" }, { "roll", "roll" },
    };

    [Theory]
    [MemberData(nameof(PaperVocabulary))]
    public void Original_algorithm_stems_the_paper_vocabulary(string word, string stem)
    {
        Assert.Equal(stem, new PorterStemmer(PorterMode.OriginalAlgorithm).Stem(word));
        Assert.Equal(word == "ties" ? "tie" : stem, PorterStemmer.Rouge.Stem(word));
    }

    [Theory]
    [InlineData("skies", "sky", "ski")]        // NLTK's irregular forms
    [InlineData("dying", "die", "dy")]
    [InlineData("news", "news", "new")]
    [InlineData("proceed", "proceed", "proce")]
    [InlineData("dies", "die", "di")]          // four-letter -ies / -ied
    [InlineData("died", "die", "di")]
    [InlineData("spied", "spi", "spi")]
    [InlineData("enjoy", "enjoy", "enjoi")]    // (*c and not c) y → i
    [InlineData("by", "by", "by")]
    [InlineData("hopefully", "hope", "hopefulli")]   // -fulli
    [InlineData("generically", "gener", "gener")]    // -alli re-stepped
    [InlineData("geology", "geolog", "geologi")]     // -logi
    [InlineData("oed", "o", "o")]
    public void Nltk_extensions_differ_from_the_original_where_NLTK_says(string word, string nltk, string original)
    {
        Assert.Equal(nltk, PorterStemmer.Rouge.Stem(word));
        Assert.Equal(original, new PorterStemmer(PorterMode.OriginalAlgorithm).Stem(word));
    }

    [Fact]
    public void Rouge_uses_the_default_NLTK_mode() => Assert.Equal(PorterMode.NltkExtensions, PorterStemmer.Rouge.Mode);

    [Fact]
    public void Irregular_forms_are_looked_up_before_lower_casing_as_NLTK_does()
    {
        Assert.Equal("ski", PorterStemmer.Rouge.Stem("Skies"));
        Assert.Equal("run", PorterStemmer.Rouge.Stem("RUNNING"));
    }

    /// <summary>Every word of porter_stems.tsv (generated with NLTK 3.8; see Data/generate.py) in all three modes.</summary>
    [Fact]
    public void Matches_NLTK_on_the_generated_word_list_in_every_mode()
    {
        var stemmers = new[] { PorterMode.NltkExtensions, PorterMode.MartinExtensions, PorterMode.OriginalAlgorithm }
            .Select(m => new PorterStemmer(m)).ToArray();
        var mismatches = new List<string>();
        int rows = 0;
        foreach (var line in File.ReadLines(TestData.Path("porter_stems.tsv")))
        {
            if (line.StartsWith('#')) continue;
            var cols = line.Split('\t');
            Assert.Equal(4, cols.Length);
            rows++;
            for (int m = 0; m < 3; m++)
            {
                string got = stemmers[m].Stem(cols[0]);
                if (got != cols[m + 1]) mismatches.Add($"{stemmers[m].Mode} {cols[0]}: expected {cols[m + 1]}, got {got}");
            }
        }
        Assert.True(rows > 1000, $"only {rows} words");
        Assert.Empty(mismatches);
    }
}

static class TestData
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", name);
}
