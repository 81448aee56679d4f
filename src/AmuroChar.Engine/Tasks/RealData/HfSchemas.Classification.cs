namespace AmuroChar.Tasks.RealData;

// NLI and paraphrase schemas: MNLI (train, matched/mismatched validation), RTE and GPT3NLI (out-of-domain); PAWS
// (train/in-domain), QQP and STS-B (out-of-domain).
internal static partial class HfSchemas
{
    static IntLabels MnliLabels() => new("label", (0, "entailment"), (1, "neutral"), (2, "contradiction"));

    static readonly string[] NliNames = ["entailment", "neutral", "contradiction"];
    static readonly string[] RteNames = ["entailment", "not_entailment"];

    // RTE is two-way: not_entailment is read as "neutral", as the paper did; exporting a three-way dataset writes
    // contradiction as not_entailment too, so it comes back as "neutral".
    static IntLabels RteLabels() => new IntLabels("label", (0, "entailment"), (1, "neutral")).ExportAlso("contradiction", 1);

    static IEnumerable<HfSchema> Classification() =>
    [
        Pair("mnli", "nyu-mll/glue mnli", Tasks.Nli, "multi-genre", ["premise", "hypothesis", "label", "idx"], "premise", "hypothesis", "idx", MnliLabels(), NliNames),
        Pair("mnli_matched", "nyu-mll/glue mnli_matched", Tasks.Nli, "multi-genre (genres seen in training)",
            ["premise", "hypothesis", "label", "idx"], "premise", "hypothesis", "idx", MnliLabels(), NliNames),
        Pair("mnli_mismatched", "nyu-mll/glue mnli_mismatched", Tasks.Nli, "multi-genre (genres unseen in training)",
            ["premise", "hypothesis", "label", "idx"], "premise", "hypothesis", "idx", MnliLabels(), NliNames),
        // The same items in nyu-mll/multi_nli (splits train, validation_matched, validation_mismatched): string pairID
        // instead of GLUE's idx, and parse trees, genre and promptID besides.
        Pair("multi_nli", "nyu-mll/multi_nli", Tasks.Nli, "multi-genre", ["premise", "hypothesis", "label", "pairID"], "premise", "hypothesis", "pairID",
            MnliLabels(), NliNames, integerId: false),
        Pair("rte", "nyu-mll/glue rte", Tasks.Nli, "news and Wikipedia", ["sentence1", "sentence2", "label", "idx"], "sentence1", "sentence2", "idx",
            RteLabels(), RteNames),
        Pair("super_glue_rte", "aps/super_glue rte", Tasks.Nli, "news and Wikipedia", ["premise", "hypothesis", "idx", "label"], "premise", "hypothesis", "idx",
            RteLabels(), RteNames),
        Pair("gpt3_nli", "pietrolesci/gpt3_nli", Tasks.Nli, "synthetic (GPT-3 generated)", ["text_a", "text_b", "label", "guid"],
            "text_a", "text_b", "guid", MnliLabels()),

        Pair("paws", "google-research-datasets/paws labeled_final", Tasks.Paraphrase, "Wikipedia (word-scrambled pairs)",
            ["id", "sentence1", "sentence2", "label"], "sentence1", "sentence2", "id", new IntLabels("label", (0, "no"), (1, "yes")), ["0", "1"]),
        // SetFit/qqp's test split is entirely -1: the paper mapped that to "no", which made its QQP numbers invalid.
        Pair("qqp", "SetFit/qqp", Tasks.Paraphrase, "community questions (Quora)", ["text1", "text2", "label", "idx"],
            "text1", "text2", "idx", new IntLabels("label", (0, "no"), (1, "yes")), labelText: ["not_duplicate", "duplicate"],
            unlabeledNote: QqpUnlabeled),
        // GLUE's QQP holds the same pairs as SetFit's copy (whose test split is GLUE's, labels hidden).
        Pair("glue_qqp", "nyu-mll/glue qqp", Tasks.Paraphrase, "community questions (Quora)", ["question1", "question2", "label", "idx"],
            "question1", "question2", "idx", new IntLabels("label", (0, "no"), (1, "yes")), ["not_duplicate", "duplicate"], unlabeledNote: QqpUnlabeled),
        StsB("stsb", "SetFit/stsb", "text1", "text2"),
        StsB("glue_stsb", "nyu-mll/glue stsb", "sentence1", "sentence2"),
    ];

    const string QqpUnlabeled = "QQP's test split is entirely unlabeled, the defect that made the paper's QQP numbers invalid; use its validation split";

    /// <summary>A sentence-pair schema: two text columns, an integer label column and an integer id column;
    /// <paramref name="columns"/> lists them in the hub's order.</summary>
    static HfSchema Pair(string name, string hf, TaskDefinition task, string domain, string[] columns, string first, string second,
        string id, IntLabels labels, string[]? classNames = null, string[]? labelText = null, string? unlabeledNote = null, bool integerId = true)
    {
        string[] texts = [first, second];
        string[] fields = task == Tasks.Nli ? ["premise", "hypothesis"] : ["sentence1", "sentence2"];
        return new HfSchema
        {
            Name = name, HfDataset = hf, Task = task, Domain = domain, Columns = columns, IdColumn = id, IntegerId = integerId,
            ClassLabel = classNames is null ? null : new HubClassLabel(labels.Column, classNames),
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
    static HfSchema StsB(string name, string hf, string first, string second) => new()
    {
        Name = name, HfDataset = hf, Task = Tasks.Paraphrase, Domain = "mixed (news, captions, forums)",
        Columns = [first, second, "label", "idx"], IdColumn = "idx", IntegerId = true,
        ToExample = (row, id) =>
        {
            double score = row.Number("label");
            if (score == -1) return null;
            if (!(score >= 0 && score <= 5)) throw row.Error($"label {Invariant.Number(score)} in column 'label' is not a similarity score in [0, 5]");
            return new TaskExample(id, new Dictionary<string, string>
            {
                ["sentence1"] = row.String(first), ["sentence2"] = row.String(second), ["score"] = Invariant.Number(score),
            }, score > StsBThreshold ? "yes" : "no");
        },
        ToRow = (e, id, _) => [(first, e["sentence1"]), (second, e["sentence2"]), ("label", StsBScore(e)), ("idx", id)],
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
