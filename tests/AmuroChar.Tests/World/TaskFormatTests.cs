using AmuroChar.Tasks;
using Xunit;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.World;

/// <summary>The prompt formats of every task, rendered on real tiny-world items.</summary>
public class TaskFormatTests
{
    /// <summary>Each task with a dataset that has items for it.</summary>
    static readonly Dictionary<string, string> SampleSet = new()
    {
        ["summary"] = "xsum/test", ["question_generation"] = "socialiqa/validation", ["nli"] = "mnli_matched/validation",
        ["paraphrase"] = "paws/test", ["chat"] = "tulu/train", ["arc_easy"] = "arc_easy/test", ["arc_challenge"] = "arc_challenge/test",
        ["sciq"] = "sciq/test", ["hellaswag"] = "hellaswag/validation", ["openbookqa"] = "openbookqa/test", ["boolq"] = "boolq/validation",
    };

    public static TheoryData<string, string> TasksAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var task in T.All)
            foreach (var format in task.Formats.Keys) data.Add(task.Name, format);
        return data;
    }

    [Fact]
    public void Fine_tuning_tasks_have_the_three_formats_and_the_others_one()
    {
        foreach (var task in T.FineTuning) Assert.Equal(TaskDefinition.FormatNames.Order(), task.Formats.Keys.Order());
        foreach (var task in T.LearnedInPretraining.Append(T.Chat)) Assert.Equal(["default"], task.Formats.Keys);
        Assert.Equal(T.All.Select(t => t.Name).Order(), SampleSet.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(TasksAndFormats))]
    public void Every_format_renders_the_fields_it_names(string taskName, string format)
    {
        var task = T.ByName(taskName);
        var examples = WorldFixtures.Datasets.Resolve(SampleSet[taskName]).Examples.Take(5).ToList();
        var fields = PromptTemplate.Fields(task.Template(format)).ToList();
        Assert.NotEmpty(fields);
        foreach (var e in examples)
        {
            Assert.Equal(task, WorldFixtures.Datasets.Resolve(SampleSet[taskName]).Task);
            string prompt = task.RenderPrompt(e, format);
            Assert.DoesNotContain("{", prompt);
            Assert.DoesNotContain("}", prompt);
            Assert.Equal(prompt.TrimEnd(), prompt);
            foreach (var f in fields) Assert.Contains(e[f].Trim(), prompt);
        }
    }

    [Fact]
    public void Every_input_field_is_used_by_some_format()
    {
        // "score" is STS-B's grade (the label's source), not an input.
        foreach (var (taskName, key) in SampleSet)
        {
            var task = T.ByName(taskName);
            var used = task.Formats.Values.SelectMany(PromptTemplate.Fields).ToHashSet();
            var unused = WorldFixtures.Datasets.Resolve(key).Examples[0].Fields.Keys.Where(f => !used.Contains(f)).ToList();
            Assert.True(unused.Count == 0, $"{taskName}: fields never rendered: {string.Join(", ", unused)}");
        }
    }

    [Fact]
    public void The_default_nli_prompt_is_the_authors_format()
    {
        var e = new TaskExample("x", new Dictionary<string, string> { ["premise"] = "P", ["hypothesis"] = "H" }, "neutral");
        Assert.Equal("### Input_1: P\n ### Input_2: H\n ### Inference:", T.Nli.RenderPrompt(e, "default"));
        Assert.Equal("Consider the following texts: Text 1: P Text 2: H The relation is", T.Nli.RenderPrompt(e, "instruct"));
        Assert.Equal("P H", T.Nli.RenderPrompt(e, "inputoutput"));
        Assert.Equal(" neutral", T.Nli.Continuation("neutral"));
        Assert.Equal(" yes", T.Paraphrase.Continuation(" yes "));
    }

    [Fact]
    public void The_other_default_prompts_are_the_authors_formats()
    {
        var doc = new TaskExample("s", new Dictionary<string, string> { ["document"] = "D." }, "S.");
        Assert.Equal("### Input: D.\n ### Summary:", T.Summary.RenderPrompt(doc, "default"));
        Assert.Equal("Please read the following text: D. Provide a summary:", T.Summary.RenderPrompt(doc, "instruct"));
        var pair = new TaskExample("p", new Dictionary<string, string> { ["sentence1"] = "A.", ["sentence2"] = "B." }, "yes");
        Assert.Equal("### Input_1: A.\n ### Input_2: B.\n ### Paraphrase Classification:", T.Paraphrase.RenderPrompt(pair, "default"));
    }

    [Fact]
    public void The_chat_format_puts_the_reply_on_a_new_line()
    {
        var e = WorldFixtures.Datasets.Get("tulu", "train").Examples[0];
        string prompt = T.Chat.RenderPrompt(e, "default");
        Assert.Equal($"<|user|>\n{e["prompt"]}\n<|assistant|>", prompt);
        string continuation = T.Chat.Continuation(e.Target);
        Assert.StartsWith("\n", continuation);
        Assert.Equal("\n" + e.Target.Trim(), continuation);
    }

    /// <summary>Free generation of a chat reply starts after the delimiter's newline, as training did: the first
    /// generated token is the reply, not the newline that would end a one-line answer before it began (a regression:
    /// every instruction-tuned reply was empty).</summary>
    [Fact]
    public void Chat_generation_starts_on_the_reply_line()
    {
        var e = WorldFixtures.Datasets.Get("tulu", "train").Examples[0];
        string prompt = T.Chat.RenderPrompt(e, "default");
        Assert.Equal([prompt + "\n"], AmuroChar.Evaluation.Evaluator.GenerationContexts(T.Chat, [prompt]));
        var xsum = WorldFixtures.Datasets.Get("xsum", "train").Examples[0];
        string summary = T.Summary.RenderPrompt(xsum, "default");
        Assert.Equal([summary], AmuroChar.Evaluation.Evaluator.GenerationContexts(T.Summary, [summary]));   // a space stays with the continuation
    }

    [Fact]
    public void Unknown_formats_and_fields_are_clear_errors()
    {
        var e = WorldFixtures.Datasets.Get("paws", "test").Examples[0];
        var ex = Assert.Throws<ArgumentException>(() => T.Paraphrase.RenderPrompt(e, "nope"));
        Assert.Contains("valid formats", ex.Message);
        Assert.Throws<KeyNotFoundException>(() => T.Nli.RenderPrompt(e, "default"));   // paws items have no premise
        Assert.Throws<FormatException>(() => PromptTemplate.Render("{premise", e));
    }
}
