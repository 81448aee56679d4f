using System.Text.Json;
using AmuroChar.Evaluation;
using AmuroChar.Tasks;
using AmuroChar.Tests.Shared;
using Xunit;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.Evaluation.Engine;

/// <summary>
/// The two evaluation protocols (issue 19): the authors' (eval/predict.py, generate_pred.sh, evaluate's rouge) at the
/// paper scale, the suite's like-for-like one at the CPU scales, which must stay what it was.
/// </summary>
public class EvalProtocolTests
{
    static Dataset Summaries(int n) => new("xsum", "test", T.Summary, "news", "file", "EdinburghNLP/xsum test",
        [.. Enumerable.Range(0, n).Select(i => new TaskExample($"x{i}", new Dictionary<string, string> { ["document"] = $"the cat {i} sat on the mat" }, $"a cat {i} sat"))]);

    [Fact]
    public void The_authors_demonstrations_are_the_evaluated_files_first_items_each_followed_by_a_newline()
    {
        var data = MicroFixtures.Nli(6);
        var demos = EvalProtocol.Authors.Demonstrations(data, MicroFixtures.Nli(8, "fewshot"), 2, 1234, data.Examples.Select(e => e.Id));
        Assert.Equal(data.Examples.Take(2), demos);
        string expected = string.Concat(demos.Select(d => T.Nli.RenderPrompt(d, "default") + T.Nli.Continuation(d.Target) + "\n"));
        Assert.Equal(expected, EvalProtocol.Authors.Prefix(T.Nli, "default", demos));
        Assert.Throws<ArgumentException>(() => EvalProtocol.Authors.Demonstrations(data, null, 7, 1234, []));
    }

    [Fact]
    public void Like_for_like_draws_from_the_pool_as_before_and_keeps_the_keys()
    {
        var data = MicroFixtures.Nli(6);
        var pool = MicroFixtures.Nli(8, "fewshot");
        var ids = data.Examples.Select(e => e.Id).ToList();
        var demos = EvalProtocol.LikeForLike.Demonstrations(data, pool, 3, 1234, ids);
        Assert.Equal(FewShot.Draw(pool, 3, 1234, ids), demos);
        Assert.Equal(FewShot.Prefix(T.Nli, "default", demos), EvalProtocol.LikeForLike.Prefix(T.Nli, "default", demos));
        // An evaluation spec without a protocol serializes as before, so stored results of the CPU scales keep their keys.
        Assert.DoesNotContain("Protocol", JsonSerializer.Serialize(new EvalSpec("default", Methods.Generate, 4)));
        Assert.Contains("\"Name\":\"authors\"", JsonSerializer.Serialize(new EvalSpec("default", Methods.Generate, 4, Protocol: EvalProtocol.Authors)));
    }

    [Fact]
    public void The_authors_generation_runs_past_the_line_end_and_their_rouge_is_unstemmed()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var evaluator = new Evaluator(model, MicroFixtures.Tokenizer);
        var data = Summaries(6);
        // The same prompts, stopped at the line end and with stemming: what the authors' run would give with our stop rule.
        var cut = EvalProtocol.Authors with { Name = "authors, cut at the line end", StopAtLineEnd = true, StemRouge = true };
        var ours = evaluator.Evaluate(data, null, new EvalSpec("default", Methods.Generate, 0, MaxNewTokens: 12, Protocol: cut));
        var theirs = evaluator.Evaluate(data, null, new EvalSpec("default", Methods.Generate, 0, MaxNewTokens: 12, Protocol: EvalProtocol.Authors));
        Assert.Equal(6, theirs.N);
        for (int i = 0; i < data.Count; i++)
        {
            Assert.StartsWith(ours.Items[i].Prediction, theirs.Items[i].Prediction);   // the same greedy path, not cut at a newline
            Assert.Equal(RougeL.Score(theirs.Items[i].Prediction, data.Examples[i].Target, stem: false).F, theirs.Items[i].Score);
            Assert.Equal(RougeL.Score(ours.Items[i].Prediction, data.Examples[i].Target, stem: true).F, ours.Items[i].Score);
        }
        // eval_pred.py's estimate beside the mean: the midpoint of a 3,000-resample percentile interval.
        var scores = theirs.Items.Select(r => r.Score).ToList();
        var interval = Bootstrap.MeanCi(scores, 20240814, 3000);
        Assert.Equal(new Estimate(interval.Lo + (interval.Hi - interval.Lo) / 2, interval.Lo, interval.Hi, 6), theirs.Metrics["rougeL_authors"]);
        Assert.Equal(scores.Average(), theirs.Metrics["rougeL"].Mean, 12);
        var plain = evaluator.Evaluate(data, null, new EvalSpec("default", Methods.Generate, 0, MaxNewTokens: 12));
        Assert.DoesNotContain("rougeL_authors", plain.Metrics.Keys);
    }

    [Fact]
    public void Under_the_authors_protocol_the_demonstrations_are_scored_too()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var data = MicroFixtures.Nli(6);
        var result = new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(data, null, new EvalSpec("default", Methods.NextWord, 2, Protocol: EvalProtocol.Authors));
        Assert.Equal(data.Examples.Select(e => e.Id), result.Items.Select(r => r.Id));
    }

    /// <summary>predict_classification.py --constraint_type next_word: every sub-token of "entailment", "neutral",
    /// "contradiction", " entailment", … is a candidate; the word owning the most likely one is the answer.</summary>
    [Fact]
    public void The_authors_next_word_reading_takes_every_subtoken_of_the_bare_and_spaced_label_words()
    {
        using var model = MicroFixtures.Model(seed: 6, initializerRange: 0.3);
        var tok = MicroFixtures.Tokenizer;
        var data = MicroFixtures.Nli(9);
        var words = T.Nli.Labels.Concat(T.Nli.Labels.Select(l => " " + l)).ToList();
        var candidates = words.SelectMany(w => tok.Encode(w).Select(id => (Id: id, Word: w.TrimStart()))).ToList();
        Assert.True(candidates.Count > words.Count, "the fixture tokenizer splits some bare label word, so sub-tokens matter here");

        var result = new Evaluator(model, tok).Evaluate(data, null, new EvalSpec("default", Methods.NextWord, 0, Protocol: EvalProtocol.Authors));
        using var _ = TorchSharp.torch.no_grad();
        for (int i = 0; i < data.Count; i++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var ids = tok.Encode(PromptTemplate.Render(T.Nli.Template("default"), data.Examples[i])).Select(x => (long)x).ToArray();   // as written
            var logits = model.Forward(TorchSharp.torch.tensor(ids).unsqueeze(0))[0, -1];
            var scores = candidates.Select(c => logits[c.Id].item<float>()).ToList();
            int best = 0;
            for (int k = 1; k < scores.Count; k++) if (scores[k] > scores[best]) best = k;
            Assert.Equal(candidates[best].Word, result.Items[i].Prediction);
        }
    }

    /// <summary>The authors' files hold "### Input: …\n ### Summary: " and the model continues after that space;
    /// like-for-like ends the prompt at "Summary:" and puts the space on the answer's side.</summary>
    [Fact]
    public void The_authors_prompt_keeps_its_trailing_space_for_their_methods()
    {
        var item = Summaries(1).Examples[0];
        Assert.EndsWith("### Summary: ", EvalProtocol.Authors.Context(T.Summary, item, "default", "", Methods.Generate));
        Assert.EndsWith("### Summary:", EvalProtocol.LikeForLike.Context(T.Summary, item, "default", "", Methods.Generate));
        var nli = MicroFixtures.Nli(1).Examples[0];
        Assert.EndsWith("### Inference: ", EvalProtocol.Authors.Context(T.Nli, nli, "default", "demo\n", Methods.NextWord));
        Assert.StartsWith("demo\n", EvalProtocol.Authors.Context(T.Nli, nli, "default", "demo\n", Methods.NextWord));
        Assert.EndsWith("### Inference:", EvalProtocol.Authors.Context(T.Nli, nli, "default", "", Methods.Ranked));   // not theirs
    }

    [Fact]
    public void Protocols_are_parsed_by_name() =>
        Assert.Contains("valid protocols: like-for-like, authors", Assert.Throws<ArgumentException>(() => EvalProtocol.Parse("theirs")).Message);
}
