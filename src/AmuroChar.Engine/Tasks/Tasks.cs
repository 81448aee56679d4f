namespace AmuroChar.Tasks;

/// <summary>
/// The tasks of the paper. The four fine-tuning tasks use the prompt formats of the authors' released scripts
/// (open_instruct/format_generalization.py): "default" (the training format), "instruct" and "inputoutput".
/// The learned-in-pre-training suites use lm-evaluation-harness's prompts and are scored by ranked log-likelihood.
/// </summary>
public static class Tasks
{
    public static readonly TaskDefinition Summary = new("summary", TaskKind.Generation, [], new Dictionary<string, string>
    {
        ["default"] = "### Input: {document}\n ### Summary: ",
        ["instruct"] = "Please read the following text: {document} Provide a summary: ",
        ["inputoutput"] = "{document}",
    }, "rougeL");

    /// <summary>Context plus candidate answers → the question. <c>answers</c> is rendered "Answer A: … Answer B: …";
    /// <c>answers_plain</c> is the bare answers joined by spaces (the authors' inputoutput format).</summary>
    public static readonly TaskDefinition QuestionGeneration = new("question_generation", TaskKind.Generation, [], new Dictionary<string, string>
    {
        ["default"] = "### Input: {context}\n ### Answer: {answers}\n ### Question: ",
        ["instruct"] = "Given the context: {context} And the answer: {answers} Generate a suitable question: ",
        ["inputoutput"] = "{context} {answers_plain}",
    }, "rougeL");

    public static readonly TaskDefinition Nli = new("nli", TaskKind.Classification, ["entailment", "neutral", "contradiction"], new Dictionary<string, string>
    {
        ["default"] = "### Input_1: {premise}\n ### Input_2: {hypothesis}\n ### Inference: ",
        ["instruct"] = "Consider the following texts: Text 1: {premise} Text 2: {hypothesis} The relation is ",
        ["inputoutput"] = "{premise} {hypothesis}",
    }, "acc");

    public static readonly TaskDefinition Paraphrase = new("paraphrase", TaskKind.Classification, ["yes", "no"], new Dictionary<string, string>
    {
        ["default"] = "### Input_1: {sentence1}\n ### Input_2: {sentence2}\n ### Paraphrase Classification: ",
        ["instruct"] = "Let's compare the two sentences: Sentence_1: {sentence1} Sentence_2: {sentence2} Are they paraphrasing?: ",
        ["inputoutput"] = "{sentence1} {sentence2}",
    }, "acc");

    /// <summary>Instruction tuning: the Tulu chat format. The assistant's reply is the target.</summary>
    public static readonly TaskDefinition Chat = new("chat", TaskKind.Chat, [], new Dictionary<string, string>
    {
        ["default"] = "<|user|>\n{prompt}\n<|assistant|>\n",
    }, "rougeL", TargetDelimiter: "\n");

    // lm-evaluation-harness prompts for the multiple-choice suites; the choices are continuations " {choice}".
    public static readonly TaskDefinition ArcEasy = MultipleChoice("arc_easy", "Question: {question}\nAnswer:");
    public static readonly TaskDefinition ArcChallenge = MultipleChoice("arc_challenge", "Question: {question}\nAnswer:");
    public static readonly TaskDefinition SciQ = MultipleChoice("sciq", "{support}\nQuestion: {question}\nAnswer:");
    public static readonly TaskDefinition HellaSwag = MultipleChoice("hellaswag", "{context}");
    public static readonly TaskDefinition OpenBookQa = MultipleChoice("openbookqa", "{question}");
    public static readonly TaskDefinition BoolQ = MultipleChoice("boolq", "{passage}\nQuestion: {question}?\nAnswer:");

    static TaskDefinition MultipleChoice(string name, string template) =>
        new(name, TaskKind.MultipleChoice, [], new Dictionary<string, string> { ["default"] = template }, "acc");

    /// <summary>The fine-tuning tasks, in the paper's order.</summary>
    public static readonly IReadOnlyList<TaskDefinition> FineTuning = [Summary, QuestionGeneration, Nli, Paraphrase];

    /// <summary>The suites pre-training alone learns (evaluated before and after instruction tuning).</summary>
    public static readonly IReadOnlyList<TaskDefinition> LearnedInPretraining = [ArcEasy, ArcChallenge, SciQ, HellaSwag, OpenBookQa, BoolQ];

    public static readonly IReadOnlyList<TaskDefinition> All = [.. FineTuning, .. LearnedInPretraining, Chat];

    public static TaskDefinition ByName(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"unknown task '{name}'; valid tasks: {string.Join(", ", All.Select(t => t.Name))}");
}
