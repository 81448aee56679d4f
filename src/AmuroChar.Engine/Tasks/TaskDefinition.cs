namespace AmuroChar.Tasks;

/// <summary>How a task is scored: generated text against a reference (ROUGE-L), a label word (accuracy), or a choice
/// among options ranked by log-likelihood (multiple-choice accuracy).</summary>
public enum TaskKind { Generation, Classification, MultipleChoice, Chat }

/// <summary>One item of any task. <see cref="Fields"/> holds the inputs by name (the names the templates use);
/// <see cref="Target"/> is the reference output: the summary or question, the label word, or the correct choice.
/// Multiple-choice items also carry <see cref="Choices"/> and the index of the correct one.</summary>
public sealed record TaskExample(string Id, IReadOnlyDictionary<string, string> Fields, string Target)
{
    public IReadOnlyList<string>? Choices { get; init; }
    public int Gold { get; init; } = -1;

    /// <summary>Entities the item mentions (for the train/eval disjointness checks of the tiny world).</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    public string this[string field] =>
        Fields.TryGetValue(field, out var v) ? v : throw new KeyNotFoundException($"example {Id} has no field '{field}'");
}

/// <summary>
/// A task as a short declarative definition, in the spirit of lm-evaluation-harness task configs: its kind, label
/// words, and one template per prompt format. Templates name fields in braces; a template ends where the model's
/// answer begins. Following the harness, trailing whitespace of the rendered prompt moves to the answer side
/// (prompt "### Summary:", answer " The …"), so the answer's first word tokenizes as it would in running text.
/// <see cref="Metric"/> is the primary metric's name in every result: "rougeL" for generated text (chat replies
/// included), "acc" for label words and ranked choices; the evaluator, the fault injections and the findings' plan
/// read it from here.
/// </summary>
public sealed record TaskDefinition(
    string Name,
    TaskKind Kind,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Formats,
    string Metric,
    string TargetDelimiter = " ")
{
    public const string DefaultFormat = "default";
    public static readonly IReadOnlyList<string> FormatNames = ["default", "instruct", "inputoutput"];

    public string Template(string format) =>
        Formats.TryGetValue(format, out var t)
            ? t
            : throw new ArgumentException($"task '{Name}' has no format '{format}'; valid formats: {string.Join(", ", Formats.Keys)}");

    /// <summary>The prompt for <paramref name="example"/> in <paramref name="format"/>, without trailing whitespace.</summary>
    public string RenderPrompt(TaskExample example, string format) => PromptTemplate.Render(Template(format), example).TrimEnd();

    /// <summary>The answer as it follows the prompt: the delimiter (one space, lm-evaluation-harness's default;
    /// a newline for the chat format), then the target.</summary>
    public string Continuation(string target) => TargetDelimiter + target.Trim();
}

/// <summary>Fills <c>{field}</c> placeholders; <c>\n</c> in a template is a newline. An unknown field is an error.</summary>
public static class PromptTemplate
{
    public static string Render(string template, TaskExample example)
    {
        var sb = new System.Text.StringBuilder(template.Length + 256);
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            int close = template.IndexOf('}', open + 1);
            if (close < 0) throw new FormatException($"template has an unclosed '{{': {template}");
            sb.Append(template, i, open - i);
            sb.Append(example[template.Substring(open + 1, close - open - 1)]);
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>The field names a template uses.</summary>
    public static IEnumerable<string> Fields(string template)
    {
        int i = 0;
        while ((i = template.IndexOf('{', i)) >= 0)
        {
            int close = template.IndexOf('}', i);
            if (close < 0) yield break;
            yield return template.Substring(i + 1, close - i - 1);
            i = close + 1;
        }
    }
}
