namespace AmuroChar.Tasks.RealData;

// Summary and question-generation schemas: XSum (train/in-domain), XL-Sum and CNN/DM (out-of-domain), SocialIQa
// (train/in-domain), SciQ and TweetQA (out-of-domain).
internal static partial class HfSchemas
{
    static IEnumerable<HfSchema> Generation() =>
    [
        Summary("xsum", "EdinburghNLP/xsum", "news (BBC)", document: "document", summary: "summary", id: "id",
            order: ["document", "summary", "id"]),
        Summary("cnn_dailymail", "abisee/cnn_dailymail 3.0.0", "news (CNN, Daily Mail)", document: "article", summary: "highlights",
            id: "id", order: ["article", "highlights", "id"]),
        // XL-Sum's url and title are not needed and not written on export.
        Summary("xlsum", "csebuetnlp/xlsum english", "news (BBC, multilingual corpus)", document: "text", summary: "summary",
            id: "id", order: ["id", "summary", "text"]),

        // SocialIQa: context + the three candidate answers → the question. The label column (which answer is right)
        // plays no part in question generation: not required, not kept, not written on export.
        new HfSchema
        {
            Name = "social_i_qa", HfDataset = "allenai/social_i_qa", Task = Tasks.QuestionGeneration, Domain = "social commonsense",
            Columns = ["context", "question", "answerA", "answerB", "answerC"],
            ToExample = (row, id) => new TaskExample(id,
                QgAnswers.Fields(row.String("context"), [row.String("answerA"), row.String("answerB"), row.String("answerC")]),
                row.String("question")),
            ToRow = (e, id, _) =>
            {
                var a = QgAnswers.Parse(e, 3);
                return [("context", e["context"]), ("question", e.Target), ("answerA", a[0]), ("answerB", a[1]), ("answerC", a[2])];
            },
        },

        // SciQ as question generation, as the authors did: the support paragraph is the context, and the four
        // answers are the correct one (A) followed by the three distractors.
        new HfSchema
        {
            Name = "sciq_qg", HfDataset = "allenai/sciq", Task = Tasks.QuestionGeneration, Domain = "science",
            Columns = SciQColumns,
            ToExample = (row, id) => new TaskExample(id,
                QgAnswers.Fields(row.String("support"),
                    [row.String("correct_answer"), row.String("distractor1"), row.String("distractor2"), row.String("distractor3")]),
                row.String("question")),
            ToRow = (e, id, _) =>
            {
                var a = QgAnswers.Parse(e, 4);
                return SciQRow(e.Target, correct: a[0], distractors: [a[1], a[2], a[3]], support: e["context"]);
            },
        },

        // TweetQA: the tweet and its (first) gold answer → the question. A single answer renders as its bare text.
        new HfSchema
        {
            Name = "tweet_qa", HfDataset = "ucsbnlp/tweet_qa", Task = Tasks.QuestionGeneration, Domain = "social media (Twitter)",
            Columns = ["Question", "Answer", "Tweet", "qid"], IdColumn = "qid",
            ToExample = (row, id) =>
            {
                var answers = row.StringList("Answer");
                if (answers.Count == 0) throw row.Error("column 'Answer' is an empty list; TweetQA items need an answer");
                return new TaskExample(id, QgAnswers.Fields(row.String("Tweet"), [answers[0]]), row.String("Question"));
            },
            ToRow = (e, id, _) => [("Question", e.Target), ("Answer", new List<object?> { QgAnswers.Parse(e, 1)[0] }), ("Tweet", e["context"]), ("qid", id)],
        },
    ];

    static HfSchema Summary(string name, string hf, string domain, string document, string summary, string id, string[] order) => new()
    {
        Name = name, HfDataset = hf, Task = Tasks.Summary, Domain = domain, Columns = order, IdColumn = id,
        ToExample = (row, rowId) => new TaskExample(rowId, new Dictionary<string, string> { ["document"] = row.String(document) }, row.String(summary)),
        ToRow = (e, rowId, _) => order.Select(c => (c, (object?)(c == document ? e["document"] : c == summary ? e.Target : rowId))),
    };

    // The hub's column order for allenai/sciq.
    static string[] SciQColumns => ["question", "distractor3", "distractor1", "distractor2", "correct_answer", "support"];

    static IEnumerable<(string, object?)> SciQRow(string question, string correct, IReadOnlyList<string> distractors, string support) =>
    [
        ("question", question), ("distractor3", distractors[2]), ("distractor1", distractors[0]),
        ("distractor2", distractors[1]), ("correct_answer", correct), ("support", support),
    ];
}
