using System.Globalization;
using System.Text.RegularExpressions;

namespace AmuroChar.Tasks.RealData;

// The learned-in-pre-training suites, read the way lm-evaluation-harness's task configs read them (arc_easy.yaml,
// sciq.yaml, hellaswag/utils.py, openbookqa.yaml, super_glue/boolq/default.yaml), and the Tulu instruction mixture.
internal static partial class HfSchemas
{
    static IEnumerable<HfSchema> MultipleChoice() =>
    [
        Lettered("arc_easy", "allenai/ai2_arc ARC-Easy", Tasks.ArcEasy, "science exams (grade school)", question: "question", trimKey: false),
        Lettered("arc_challenge", "allenai/ai2_arc ARC-Challenge", Tasks.ArcChallenge, "science exams (grade school)", question: "question", trimKey: false),
        // The harness strips leading spaces from OpenBookQA's answer key (choices.label.index(answerKey.lstrip())).
        Lettered("openbookqa", "allenai/openbookqa main", Tasks.OpenBookQa, "science facts", question: "question_stem", trimKey: true),

        // SciQ as the harness scores it: the correct answer is always the last of the four choices, and the support
        // paragraph loses its leading whitespace.
        new HfSchema
        {
            Name = "sciq", HfDataset = "allenai/sciq", Task = Tasks.SciQ, Domain = "science", Columns = SciQColumns,
            ToExample = (row, id) => Choice(id,
                new() { ["support"] = row.String("support").TrimStart(), ["question"] = row.String("question") },
                [row.String("distractor1"), row.String("distractor2"), row.String("distractor3"), row.String("correct_answer")], gold: 3),
            ToRow = (e, id, _) =>
            {
                var choices = ChoicesOf(e, count: 4);
                var distractors = choices.Where((_, i) => i != e.Gold).ToList();
                return SciQRow(e["question"], correct: choices[e.Gold], distractors, support: e["support"]);
            },
        },

        HellaSwag(),

        // super_glue boolq (integer label, idx) and google/boolq (boolean answer, no id): the same items.
        new HfSchema
        {
            Name = "boolq", HfDataset = "aps/super_glue boolq", Task = Tasks.BoolQ, Domain = "Wikipedia (yes/no questions)",
            Columns = ["question", "passage", "idx", "label"], IdColumn = "idx", IntegerId = true,
            ClassLabel = new HubClassLabel("label", ["False", "True"]),
            UnlabeledNote = "super_glue's test split carries no labels; use the validation split",
            ToExample = (row, id) => row.Integer("label") switch
            {
                -1 => null,
                var l when l is 0 or 1 => BoolQ(row, id, (int)l),
                var l => throw row.Error($"unknown label {l} in column 'label'; valid: 0 (no), 1 (yes)"),
            },
            ToRow = (e, id, _) => [("question", e["question"]), ("passage", e["passage"]), ("idx", id), ("label", (long)BoolQGold(e))],
        },
        new HfSchema
        {
            Name = "google_boolq", HfDataset = "google/boolq", Task = Tasks.BoolQ, Domain = "Wikipedia (yes/no questions)",
            Columns = ["question", "answer", "passage"],
            ToExample = (row, id) => BoolQ(row, id, row.Bool("answer") ? 1 : 0),
            ToRow = (e, id, _) => [("question", e["question"]), ("answer", BoolQGold(e) == 1), ("passage", e["passage"])],
        },

        // Tulu v2: the first user message is the prompt and the assistant message right after it the target; later
        // turns of multi-turn conversations and any system message are left out (the chat template has one exchange).
        new HfSchema
        {
            Name = "tulu", HfDataset = "allenai/tulu-v2-sft-mixture", Task = Tasks.Chat, Domain = "instruction mixture",
            Columns = ["dataset", "id", "messages"], IdColumn = "id",
            ToExample = (row, id) =>
            {
                var messages = row.StructList("messages");
                int user = messages.ToList().FindIndex(m => m.String("role") == "user");
                if (user < 0) throw row.Error("column 'messages' has no user message");
                if (user + 1 >= messages.Count || messages[user + 1].String("role") != "assistant")
                    throw row.Error($"column 'messages': the first user message (messages[{user}]) is not followed by an assistant reply");
                return new TaskExample(id, new Dictionary<string, string> { ["prompt"] = messages[user].String("content") },
                    messages[user + 1].String("content"));
            },
            ToRow = (e, id, dataset) =>
            [
                ("dataset", dataset.Name), ("id", id),
                ("messages", new List<object?> { Message("user", e["prompt"]), Message("assistant", e.Target) }),
            ],
        },
    ];

    /// <summary>ARC and OpenBookQA: <c>choices</c> is a struct of parallel <c>text</c> and <c>label</c> lists, and the
    /// gold index is the position of <c>answerKey</c> among the labels (ARC uses "1".."4" for some items).</summary>
    static HfSchema Lettered(string name, string hf, TaskDefinition task, string domain, string question, bool trimKey) => new()
    {
        Name = name, HfDataset = hf, Task = task, Domain = domain, Columns = ["id", question, "choices", "answerKey"], IdColumn = "id",
        ToExample = (row, id) =>
        {
            var choices = row.Struct("choices");
            var texts = choices.StringList("text");
            var labels = choices.StringList("label");
            if (texts.Count != labels.Count || texts.Count == 0)
                throw row.Error($"column 'choices' has {texts.Count} texts and {labels.Count} labels; expected the same number, at least one");
            string key = row.String("answerKey");
            int gold = labels.ToList().IndexOf(trimKey ? key.TrimStart() : key);
            if (gold < 0) throw row.Error($"unknown answerKey \"{key}\"; valid: {string.Join(", ", labels)}");
            return Choice(id, new() { ["question"] = row.String(question) }, texts, gold);
        },
        ToRow = (e, id, _) =>
        {
            var choices = ChoicesOf(e, count: null);
            if (choices.Count > Letters.Length) throw new ArgumentException($"example {e.Id}: {choices.Count} choices; at most {Letters.Length} can be lettered");
            var labels = choices.Select((_, i) => (object?)Letters[i].ToString()).ToList();
            return
            [
                ("id", id), (question, e["question"]),
                ("choices", new Dictionary<string, object?> { ["text"] = choices.Cast<object?>().ToList(), ["label"] = labels }),
                ("answerKey", Letters[e.Gold].ToString()),
            ];
        },
    };

    const string Letters = "ABCDEFGH";

    /// <summary>HellaSwag as lm-evaluation-harness preprocesses it: the query is "activity_label: ctx_a Ctx_b" and every
    /// text is cleaned of WikiHow's bracket artifacts. On export a context splits at its first ": " into activity_label
    /// and ctx_a (ctx_b left empty), which the loader puts back together; only text already in the harness's cleaned
    /// form can make that trip, so anything else is refused rather than changed.</summary>
    static HfSchema HellaSwag() => new()
    {
        Name = "hellaswag", HfDataset = "Rowan/hellaswag", Task = Tasks.HellaSwag, Domain = "ActivityNet and WikiHow",
        Columns = ["ind", "activity_label", "ctx_a", "ctx_b", "endings", "label"], IdColumn = "ind", IntegerId = true,
        UnlabeledNote = "HellaSwag's test split has empty labels; use the validation split",
        ToExample = (row, id) =>
        {
            var endings = row.StringList("endings");
            string label = row.String("label");
            if (label == "") return null;
            if (!int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int gold) || gold >= endings.Count)
                throw row.Error($"unknown label \"{label}\" in column 'label'; valid: \"0\" to \"{endings.Count - 1}\" (one per ending)");
            string query = HellaSwagPreprocess(row.String("activity_label") + ": " + row.String("ctx_a") + " " + Capitalize(row.String("ctx_b")));
            return Choice(id, new() { ["context"] = query }, endings.Select(HellaSwagPreprocess).ToList(), gold);
        },
        ToRow = (e, id, _) =>
        {
            var choices = ChoicesOf(e, count: null);
            string context = e["context"];
            int colon = context.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || HellaSwagPreprocess(context[..colon] + ": " + context[(colon + 2)..] + " ") != context
                || choices.Any(c => HellaSwagPreprocess(c) != c))
                throw new ArgumentException($"example {e.Id}: HellaSwag export needs a context \"activity: text\" and choices in the harness's preprocessed form");
            return
            [
                ("ind", id), ("activity_label", context[..colon]), ("ctx_a", context[(colon + 2)..]), ("ctx_b", ""),
                ("ctx", context[(colon + 2)..]), ("endings", choices.Cast<object?>().ToList()),
                ("label", e.Gold.ToString(CultureInfo.InvariantCulture)),
            ];
        },
    };

    /// <summary>The harness's HellaSwag <c>preprocess</c>: strip, " [title]" → ". ", drop "[…]", "  " → " " (one pass).</summary>
    internal static string HellaSwagPreprocess(string text) =>
        Regex.Replace(text.Trim().Replace(" [title]", ". ", StringComparison.Ordinal), @"\[.*?\]", "").Replace("  ", " ", StringComparison.Ordinal);

    /// <summary>Python's <c>str.capitalize</c>: the first character upper-cased, all the others lower-cased.</summary>
    internal static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    static TaskExample BoolQ(HfRow row, string id, int gold) =>
        Choice(id, new() { ["passage"] = row.String("passage"), ["question"] = row.String("question") }, ["no", "yes"], gold);

    static int BoolQGold(TaskExample e) => ChoicesOf(e, count: 2) is ["no", "yes"]
        ? e.Gold
        : throw new ArgumentException($"example {e.Id}: BoolQ choices must be [no, yes], found [{string.Join(", ", e.Choices!)}]");

    static TaskExample Choice(string id, Dictionary<string, string> fields, IReadOnlyList<string> choices, int gold) =>
        new(id, fields, choices[gold]) { Choices = choices, Gold = gold };

    static IReadOnlyList<string> ChoicesOf(TaskExample e, int? count)
    {
        if (e.Choices is not { Count: > 0 } choices) throw new ArgumentException($"example {e.Id} has no choices");
        if (count is { } n && choices.Count != n) throw new ArgumentException($"example {e.Id} has {choices.Count} choices; this schema has {n}");
        if (e.Gold < 0 || e.Gold >= choices.Count) throw new ArgumentException($"example {e.Id}: gold index {e.Gold} is outside its {choices.Count} choices");
        return choices;
    }

    static Dictionary<string, object?> Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
