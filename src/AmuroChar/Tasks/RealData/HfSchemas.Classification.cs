namespace AmuroChar.Tasks.RealData;

// NLI and paraphrase schemas: MNLI (train, matched/mismatched validation), RTE and GPT3NLI (out-of-domain); PAWS
// (train/in-domain), QQP and STS-B (out-of-domain).
internal static partial class HfSchemas
{
    static IntLabels MnliLabels() => new("label", (0, "entailment"), (1, "neutral"), (2, "contradiction"));

    static IEnumerable<HfSchema> Classification() =>
    [
        Pair("mnli", "nyu-mll/glue mnli", Tasks.Nli, "multi-genre", ["premise", "hypothesis", "label", "idx"], "premise", "hypothesis", "idx", MnliLabels()),
        Pair("mnli_matched", "nyu-mll/glue mnli_matched", Tasks.Nli, "multi-genre (genres seen in training)",
            ["premise", "hypothesis", "label", "idx"], "premise", "hypothesis", "idx", MnliLabels()),
        Pair("mnli_mismatched", "nyu-mll/glue mnli_mismatched", Tasks.Nli, "multi-genre (genres unseen in training)",
            ["premise", "hypothesis", "label", "idx"], "premise", "hypothesis", "idx", MnliLabels()),
        // RTE is two-way: not_entailment is read as "neutral", as the paper did; exporting a three-way dataset
        // writes contradiction as not_entailment too, so it comes back as "neutral".
        Pair("rte", "nyu-mll/glue rte", Tasks.Nli, "news and Wikipedia", ["sentence1", "sentence2", "label", "idx"], "sentence1", "sentence2", "idx",
            new IntLabels("label", (0, "entailment"), (1, "neutral")).ExportAlso("contradiction", 1)),
        Pair("gpt3_nli", "pietrolesci/gpt3_nli", Tasks.Nli, "synthetic (GPT-3 generated)", ["text_a", "text_b", "label", "guid"],
            "text_a", "text_b", "guid", MnliLabels()),

        Pair("paws", "google-research-datasets/paws labeled_final", Tasks.Paraphrase, "Wikipedia (word-scrambled pairs)",
            ["id", "sentence1", "sentence2", "label"], "sentence1", "sentence2", "id", new IntLabels("label", (0, "no"), (1, "yes"))),
        // SetFit/qqp's test split is entirely -1: the paper mapped that to "no", which made its QQP numbers invalid.
        Pair("qqp", "SetFit/qqp", Tasks.Paraphrase, "community questions (Quora)", ["text1", "text2", "label", "idx"],
            "text1", "text2", "idx", new IntLabels("label", (0, "no"), (1, "yes")), labelText: ["not_duplicate", "duplicate"],
            unlabeledNote: "SetFit/qqp's test split is entirely unlabeled, the defect that made the paper's QQP numbers invalid; use its validation split"),
        StsB(),
    ];

    /// <summary>A sentence-pair schema: two text columns, an integer label column and an integer id column;
    /// <paramref name="columns"/> lists them in the hub's order.</summary>
    static HfSchema Pair(string name, string hf, TaskDefinition task, string domain, string[] columns, string first, string second,
        string id, IntLabels labels, string[]? labelText = null, string? unlabeledNote = null)
    {
        string[] texts = [first, second];
        string[] fields = task == Tasks.Nli ? ["premise", "hypothesis"] : ["sentence1", "sentence2"];
        return new HfSchema
        {
            Name = name, HfDataset = hf, Task = task, Domain = domain, Columns = columns, IdColumn = id, IntegerId = true,
            UnlabeledNote = unlabeledNote ?? "GLUE-style test splits carry no labels; use the validation split",
            ToExample = (row, rowId) => labels.Read(row) is { } word
                ? new TaskExample(rowId, new Dictionary<string, string> { [fields[0]] = row.String(texts[0]), [fields[1]] = row.String(texts[1]) }, word)
                : null,
            ToRow = (e, rowId, _) =>
            {
                long label = labels.Write(e);
                var row = columns.Select(c => (c, c == texts[0] ? e[fields[0]] : c == texts[1] ? e[fields[1]] : c == id ? rowId : (object?)label));
                return labelText is null ? row : row.Append(("label_text", labelText[label]));
            },
        };
    }

    /// <summary>STS-B scores similarity 0–5; a pair counts as a paraphrase when its score is above 3.5 (strictly), as in
    /// the paper. The raw score is kept in the field "score".</summary>
    static HfSchema StsB() => new()
    {
        Name = "stsb", HfDataset = "SetFit/stsb", Task = Tasks.Paraphrase, Domain = "mixed (news, captions, forums)",
        Columns = ["text1", "text2", "label", "idx"], IdColumn = "idx", IntegerId = true,
        ToExample = (row, id) =>
        {
            double score = row.Number("label");
            if (score == -1) return null;
            if (!(score >= 0 && score <= 5)) throw row.Error($"label {Invariant.Number(score)} in column 'label' is not a similarity score in [0, 5]");
            return new TaskExample(id, new Dictionary<string, string>
            {
                ["sentence1"] = row.String("text1"), ["sentence2"] = row.String("text2"), ["score"] = Invariant.Number(score),
            }, score > StsBThreshold ? "yes" : "no");
        },
        ToRow = (e, id, _) => [("text1", e["sentence1"]), ("text2", e["sentence2"]), ("label", StsBScore(e)), ("idx", id)],
    };

    const double StsBThreshold = 3.5;

    /// <summary>The example's own score when it has one (it must agree with its label); otherwise 5 for "yes" and 0
    /// for "no", the ends of the scale, so that the label survives the threshold.</summary>
    static double StsBScore(TaskExample e)
    {
        bool yes = e.Target switch
        {
            "yes" => true,
            "no" => false,
            _ => throw new ArgumentException($"example {e.Id}: label '{e.Target}' is not yes or no"),
        };
        if (!e.Fields.TryGetValue("score", out var text)) return yes ? 5.0 : 0.0;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double score))
            throw new ArgumentException($"example {e.Id}: field 'score' is not a number: {text}");
        return score > StsBThreshold == yes
            ? score
            : throw new ArgumentException($"example {e.Id}: score {text} disagrees with its label '{e.Target}' (yes iff score > {StsBThreshold})");
    }
}
