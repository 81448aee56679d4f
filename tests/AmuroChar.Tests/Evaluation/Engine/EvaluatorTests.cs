using AmuroChar.Evaluation;
using AmuroChar.Tests.Shared;
using Xunit;
using static TorchSharp.torch;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.Evaluation.Engine;

public class EvaluatorTests
{
    static readonly string[] Labels = ["entailment", "neutral", "contradiction"];

    [Fact]
    public void The_fixture_tokenizer_makes_every_label_one_token()
    {
        foreach (var label in Labels) Assert.Single(MicroFixtures.Tokenizer.Encode(T.Nli.Continuation(label)));
    }

    [Theory]
    [InlineData(Methods.NextWord, 0)]
    [InlineData(Methods.NextWord, 2)]
    [InlineData(Methods.Ranked, 0)]
    [InlineData(Methods.Ranked, 2)]
    public void Constrained_methods_predict_only_label_words(string method, int shots)
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var data = MicroFixtures.Nli(12);
        var result = new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(data, MicroFixtures.Nli(8, "fewshot"), new EvalSpec("default", method, shots));
        Assert.Equal(12, result.N);
        Assert.All(result.Items, r => Assert.Contains(r.Prediction, Labels));
        Assert.All(result.Items, r => Assert.Equal(r.Prediction == r.Reference ? 1.0 : 0.0, r.Score));
        Assert.Equal(0.0, result.LabelShare["(none)"]);
        Assert.Equal(1.0, result.LabelShare.Values.Sum(), 9);
        Assert.Equal(result.Items.Average(r => r.Score), result.Metrics["acc"].Mean, 12);
    }

    [Fact]
    public void Generation_predicts_a_label_word_or_none()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var result = new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(MicroFixtures.Nli(6), null, new EvalSpec("default", Methods.Generate, 0));
        Assert.All(result.Items, r => Assert.Contains(r.Prediction, Labels.Append("(none)")));
        Assert.Equal(result.Items.Average(r => r.Prediction == "(none)" ? 0.0 : 1.0), result.Metrics["label_produced"].Mean, 12);
    }

    [Theory]
    [InlineData("Neutral.", "neutral")]
    [InlineData("  entailment because", "entailment")]
    [InlineData("contradictions", "(none)")]
    [InlineData("maybe neutral", "(none)")]
    [InlineData("", "(none)")]
    public void A_generated_answer_matches_a_label_by_its_first_word(string generated, string expected) =>
        Assert.Equal(expected, LabelReading.FirstWord(generated, Labels));

    [Fact]
    public void Next_word_picks_the_label_whose_first_token_is_most_likely()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var tok = MicroFixtures.Tokenizer;
        var data = MicroFixtures.Nli(9);
        var result = new Evaluator(model, tok).Evaluate(data, null, new EvalSpec("default", Methods.NextWord, 0));
        var labelIds = Labels.Select(l => (long)tok.Encode(T.Nli.Continuation(l))[0]).ToArray();
        using var _ = no_grad();
        for (int i = 0; i < data.Count; i++)
        {
            using var scope = NewDisposeScope();
            var ids = tok.Encode(T.Nli.RenderPrompt(data.Examples[i], "default")).Select(x => (long)x).ToArray();
            var logits = model.Forward(tensor(ids).unsqueeze(0))[0, -1];
            int best = (int)logits.index_select(0, tensor(labelIds)).argmax().item<long>();
            Assert.Equal(Labels[best], result.Items[i].Prediction);
        }
    }

    [Fact]
    public void Evaluating_twice_gives_identical_results()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var evaluator = new Evaluator(model, MicroFixtures.Tokenizer);
        var data = MicroFixtures.Nli(10);
        var pool = MicroFixtures.Nli(8, "fewshot");
        foreach (var method in new[] { Methods.NextWord, Methods.Ranked, Methods.Generate })
        {
            var spec = new EvalSpec("instruct", method, 2);
            var a = evaluator.Evaluate(data, pool, spec);
            var b = evaluator.Evaluate(data, pool, spec);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(a.Metrics, b.Metrics);
            Assert.Equal(a.LabelShare, b.LabelShare);
        }
    }

    [Fact]
    public void Chat_items_are_generated_and_scored_with_rouge_l()
    {
        // The instruction-tuning finding's positive control evaluates held-out chat items this way.
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var items = Enumerable.Range(0, 4).Select(i => new AmuroChar.Tasks.TaskExample($"chat-{i}",
            new Dictionary<string, string> { ["prompt"] = $"Where does person {i} live?" }, $"Person {i} lives in the town.")).ToList();
        var data = new AmuroChar.Tasks.Dataset("micro_chat", "test", T.Chat, "test", "hand-built", "test", items);
        var result = new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(data, null, new EvalSpec("default", Methods.DefaultFor(T.Chat.Kind), 0, MaxNewTokens: 6));
        Assert.Equal(Methods.Generate, result.Spec.Method);
        Assert.Equal(["rougeL"], result.Metrics.Keys);
        Assert.All(result.Items, r => Assert.InRange(r.Score, 0.0, 1.0));
        Assert.Equal(result.Items.Average(r => r.Score), result.Metrics["rougeL"].Mean, 12);
        Assert.Throws<ArgumentException>(() => new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(data, null, new EvalSpec("default", Methods.NextWord, 0)));
    }

    [Fact]
    public void Methods_that_do_not_apply_are_refused()
    {
        using var model = MicroFixtures.Model();
        var e = Assert.Throws<ArgumentException>(() =>
            new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(MicroFixtures.Nli(3), null, new EvalSpec("default", Methods.MultipleChoice, 0)));
        Assert.Contains("valid methods", e.Message);
    }
}
