namespace AmuroChar.Tasks;

/// <summary>
/// The prompts of the authors' <c>open_instruct/format_generalization.py</c> where their text differs from the
/// suite's templates (<see cref="Tasks"/>), written as their code concatenates them, quirks included. The paper scale
/// under the authors' protocol gives each of these datasets its variant of the task (<c>PaperData.Load</c>), so
/// fine-tuning, evaluation and <c>datasets show</c> all see the very text that produced the published numbers; the CPU
/// scales keep the clean templates.
/// <list type="bullet">
/// <item>Question generation lists the answers without a space before some markers: SocialIQa "Answer B: xAnswer C:"
/// (<c>process_socialiqa</c>, <c>process_socialiqa_test</c>), SciQ "Answer C: xAnswer D:" in the default format and
/// "Answer B: xAnswer C: yAnswer D:" in the instruct one (<c>process_question_generation_test_sets</c>), and every
/// instruct prompt runs the answers into "Generate a suitable question: ". SocialIQa's inputoutput format joins
/// context and answers with no separator at all. Their code has no inputoutput prompt for SciQ or TweetQA: those keep
/// the suite's.</item>
/// <item>Paraphrase detection's instruct prompt opens with a typographic apostrophe, "Let’s" (U+2019), for PAWS, QQP
/// and STS-B (<c>process_paws</c>, <c>process_paraphrase_detection_test_sets</c>).</item>
/// </list>
/// Their question-generation prompts place the answers one by one, so <see cref="Apply"/> gives those items each
/// answer as a field of its own (<c>answer_a</c> … <c>answer_d</c>), split from the rendered list.
/// </summary>
public static class AuthorsTemplates
{
    const string ParaphraseInstruct = "Let\u2019s compare the two sentences: Sentence_1: {sentence1} Sentence_2: {sentence2} Are they paraphrasing?: ";

    static readonly Dictionary<string, Dictionary<string, string>> ByDataset = new()
    {
        ["socialiqa"] = new()
        {
            ["default"] = "### Input: {context}\n ### Answer: Answer A: {answer_a} Answer B: {answer_b}Answer C: {answer_c}\n ### Question: ",
            ["instruct"] = "Given the context: {context} And the answer: Answer A: {answer_a} Answer B: {answer_b}Answer C: {answer_c}Generate a suitable question: ",
            ["inputoutput"] = "{context}{answer_a}{answer_b}{answer_c}",
        },
        ["sciq_qg"] = new()
        {
            ["default"] = "### Input: {context}\n ### Answer: Answer A: {answer_a} Answer B: {answer_b} Answer C: {answer_c}Answer D: {answer_d}\n ### Question: ",
            ["instruct"] = "Given the context: {context} And the answer: Answer A: {answer_a} Answer B: {answer_b}Answer C: {answer_c}Answer D: {answer_d}Generate a suitable question: ",
        },
        ["tweetqa"] = new()
        {
            ["instruct"] = "Given the context: {context} And the answer: {answer_a}Generate a suitable question: ",
        },
        ["paws"] = new() { ["instruct"] = ParaphraseInstruct },
        ["qqp"] = new() { ["instruct"] = ParaphraseInstruct },
        ["stsb"] = new() { ["instruct"] = ParaphraseInstruct },
    };

    /// <summary>How many answers each question-generation dataset's items list (their <c>Answer A</c> … markers).</summary>
    static readonly Dictionary<string, int> AnswerCounts = new() { ["socialiqa"] = 3, ["sciq_qg"] = 4, ["tweetqa"] = 1 };

    /// <summary><paramref name="data"/> as the authors prompt it: the task with their text (<see cref="For"/>) and,
    /// for question generation, each answer as a field.</summary>
    public static Dataset Apply(Dataset data)
    {
        var task = For(data.Name, data.Task);
        if (ReferenceEquals(task, data.Task)) return data;
        var examples = AnswerCounts.TryGetValue(data.Name, out int count)
            ? data.Examples.Select(e => RealData.QgAnswers.WithEachAnswer(e, count)).ToList()
            : data.Examples;
        return data with { Task = task, Examples = examples };
    }

    /// <summary>The datasets whose prompts differ.</summary>
    public static IReadOnlyCollection<string> Datasets => ByDataset.Keys;

    /// <summary><paramref name="task"/> with the authors' text for <paramref name="dataset"/>'s formats where it
    /// differs; the task itself for every other dataset.</summary>
    public static TaskDefinition For(string dataset, TaskDefinition task)
    {
        if (!ByDataset.TryGetValue(dataset, out var theirs)) return task;
        var formats = new Dictionary<string, string>(task.Formats);
        foreach (var (format, template) in theirs)
        {
            if (!formats.ContainsKey(format)) throw new InvalidOperationException($"task '{task.Name}' has no format '{format}' for the authors' {dataset} prompt");
            formats[format] = template;
        }
        return task with { Formats = formats };
    }
}
