using AmuroChar.Evaluation;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tests.Tokenization;
using Xunit;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.RealData;

/// <summary>
/// The paper scale's prompts are the authors' text (issue 19): each expected string below is built the way their
/// <c>open_instruct/format_generalization.py</c> concatenates it, from the raw columns of the committed real samples,
/// independently of our templates.
/// </summary>
public class AuthorsPromptTests
{
    static DatasetCatalog Catalog(TempDir folder, EvalProtocol protocol)
    {
        RealFixtures.WriteDataFolder(folder.Path);
        return PaperData.Load(folder.Path, maxItems: 8, protocol);
    }

    static string Prompt(Dataset data, int i, string format) => PromptTemplate.Render(data.Task.Template(format), data.Examples[i]);

    [Fact]
    public void SocialIQa_question_generation_is_prompted_with_their_concatenation_quirks_included()
    {
        using var folder = new TempDir();
        var data = Catalog(folder, EvalProtocol.Authors).Get("socialiqa", "validation");
        var rows = RealFixtures.RawRows("social_i_qa/none/validation");
        for (int i = 0; i < 3; i++)
        {
            var row = rows.Single(r => data.Examples[i].Fields["context"] == r.String("context") && data.Examples[i].Target == r.String("question"));
            string ctx = row.String("context"), a = row.String("answerA"), b = row.String("answerB"), c = row.String("answerC");
            Assert.Equal("### Input: " + ctx + "\n ### Answer: Answer A: " + a + " Answer B: " + b + "Answer C: " + c + "\n ### Question: ", Prompt(data, i, "default"));
            Assert.Equal("Given the context: " + ctx + " And the answer: Answer A: " + a + " Answer B: " + b + "Answer C: " + c + "Generate a suitable question: ", Prompt(data, i, "instruct"));
            Assert.Equal(ctx + a + b + c, Prompt(data, i, "inputoutput"));
        }
    }

    [Fact]
    public void SciQ_and_TweetQA_question_generation_and_paraphrase_instruct_follow_their_text()
    {
        var sciq = new TaskExample("s", new Dictionary<string, string>
        {
            ["context"] = "S.", ["answers"] = "-", ["answers_plain"] = "-", ["answer_a"] = "w", ["answer_b"] = "x", ["answer_c"] = "y", ["answer_d"] = "z",
        }, "Q?");
        var qg = AuthorsTemplates.For("sciq_qg", T.QuestionGeneration);
        Assert.Equal("### Input: S.\n ### Answer: Answer A: w Answer B: x Answer C: yAnswer D: z\n ### Question: ", PromptTemplate.Render(qg.Template("default"), sciq));
        Assert.Equal("Given the context: S. And the answer: Answer A: w Answer B: xAnswer C: yAnswer D: zGenerate a suitable question: ", PromptTemplate.Render(qg.Template("instruct"), sciq));
        var tweet = new TaskExample("t", new Dictionary<string, string> { ["context"] = "T.", ["answers"] = "a", ["answers_plain"] = "a", ["answer_a"] = "a" }, "Q?");
        var tq = AuthorsTemplates.For("tweetqa", T.QuestionGeneration);
        Assert.Equal("### Input: T.\n ### Answer: a\n ### Question: ", PromptTemplate.Render(tq.Template("default"), tweet));
        Assert.Equal("Given the context: T. And the answer: aGenerate a suitable question: ", PromptTemplate.Render(tq.Template("instruct"), tweet));
        var pair = new TaskExample("p", new Dictionary<string, string> { ["sentence1"] = "A.", ["sentence2"] = "B." }, "yes");
        foreach (string name in new[] { "paws", "qqp", "stsb" })
            Assert.Equal("Let\u2019s compare the two sentences: Sentence_1: A. Sentence_2: B. Are they paraphrasing?: ",
                PromptTemplate.Render(AuthorsTemplates.For(name, T.Paraphrase).Template("instruct"), pair));
        // Every other dataset, and every format they wrote as we do, keeps the suite's template.
        Assert.Same(T.Nli, AuthorsTemplates.For("mnli_matched", T.Nli));
        Assert.Equal(T.Paraphrase.Template("default"), AuthorsTemplates.For("paws", T.Paraphrase).Template("default"));
    }

    [Fact]
    public void Like_for_like_keeps_the_suite_s_templates_and_the_authors_demonstrations_are_prompt_plus_completion()
    {
        using var folder = new TempDir();
        var clean = Catalog(folder, EvalProtocol.LikeForLike).Get("socialiqa", "validation");
        Assert.Equal(T.QuestionGeneration.Formats, clean.Task.Formats);
        // inputoutput prompts end without a space; their demonstrations run prompt and answer together.
        var item = new TaskExample("n", new Dictionary<string, string> { ["premise"] = "P.", ["hypothesis"] = "H." }, "neutral");
        Assert.Equal("P. H.neutral\n", EvalProtocol.Authors.Prefix(T.Nli, "inputoutput", [item]));
        Assert.Equal("P. H. neutral\n\n", EvalProtocol.LikeForLike.Prefix(T.Nli, "inputoutput", [item]));
        Assert.Equal(EvalProtocol.LikeForLike.Prefix(T.Nli, "default", [item])[..^1], EvalProtocol.Authors.Prefix(T.Nli, "default", [item]));
    }
}
