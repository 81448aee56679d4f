using static AmuroChar.Tasks.DatasetRoles;

namespace AmuroChar.Tasks;

/// <summary>
/// Every dataset of the study, once. The tiny world (<c>TinyWorldDatasets</c>, <c>DataConfig</c>), the paper scale's
/// files (<c>PaperData</c>), the findings' plan (<c>StudyPlan</c>), <c>datasets export</c> and the grid planner all
/// derive their lists from this one, so adding a dataset is one declaration here, its tiny-world generator line and, for
/// a Hub layout not yet read, a schema in <c>HfSchemas</c>. The order is the catalog's construction order and the
/// order of the plan's lists (fine-tuning tasks, out-of-domain sets, learned suites): the paper's.
/// </summary>
public static class DatasetSpecs
{
    static SplitSpec Train(string standsFor) => new(SplitSpec.Train, SplitSize.FineTuneTrain, standsFor);
    static SplitSpec Eval(string split, string standsFor) => new(split, SplitSize.Eval, standsFor);
    static SplitSpec OutOfDomain(string split, string standsFor) => new(split, SplitSize.OutOfDomain, standsFor);
    static SplitSpec Suite(string split, string standsFor) => new(split, SplitSize.MultipleChoice, standsFor);

    static DatasetSpec Benchmark(string name, TaskDefinition task, string domain, string split, string standsFor, params string[] schemas) =>
        new(name, task, domain) { Roles = DatasetRoles.LearnedSuite, Splits = [Suite(split, standsFor)], Schemas = schemas };

    public static readonly IReadOnlyList<DatasetSpec> All =
    [
        // Summary: fine-tuned and evaluated on XSum; CNN/DailyMail and XL-Sum out of domain.
        new("xsum", Tasks.Summary, "news")
        {
            Roles = FineTuneTrain | InDomainEval, FineTuning = "summary", Schemas = ["xsum"],
            Splits = [Train("EdinburghNLP/xsum train"), Eval("test", "EdinburghNLP/xsum test")],
        },
        new("cnn_dailymail", Tasks.Summary, "sports")
        {
            Roles = OutOfDomainEval, Schemas = ["cnn_dailymail"],
            Splits = [OutOfDomain("test", "cnn_dailymail 3.0.0 test")],
        },
        new("xlsum", Tasks.Summary, "institutions")
        {
            Roles = OutOfDomainEval, Schemas = ["xlsum"],
            Splits = [OutOfDomain("test", "csebuetnlp/xlsum english test")],
        },

        // Question generation: SocialIQa turned around (context and answers → the question); SciQ and TweetQA out of domain.
        new("socialiqa", Tasks.QuestionGeneration, "social")
        {
            Roles = FineTuneTrain | InDomainEval, FineTuning = "question generation", Schemas = ["social_i_qa"],
            Splits = [Train("social_i_qa train (as question generation)"), Eval("validation", "social_i_qa validation (as question generation)")],
        },
        new("sciq_qg", Tasks.QuestionGeneration, "science")
        {
            Roles = OutOfDomainEval, Schemas = ["sciq_qg"],
            Splits = [OutOfDomain("test", "sciq test (as question generation)")],
        },
        new("tweetqa", Tasks.QuestionGeneration, "social media")
        {
            Roles = OutOfDomainEval, EvaluatedOnTrainSplit = true, Schemas = ["tweet_qa"],
            Splits = [OutOfDomain("test", "tweet_qa train (as question generation)")],
        },

        // NLI: fine-tuned on MNLI train, evaluated on matched validation; mismatched, RTE and GPT3NLI out of domain.
        new("mnli", Tasks.Nli, "news, everyday")
        {
            Roles = FineTuneTrain | FormatFigure, FineTuning = "NLI", Schemas = ["mnli", "multi_nli"],
            Splits = [Train("glue mnli train")],
        },
        new("mnli_matched", Tasks.Nli, "news, everyday")
        {
            Roles = InDomainEval, Schemas = ["mnli_matched", "multi_nli"],
            Splits = [Eval("validation", "glue mnli_matched validation")],
        },
        // Out of domain, but as many items as the in-domain set.
        new("mnli_mismatched", Tasks.Nli, "science, sports")
        {
            Roles = OutOfDomainEval, Schemas = ["mnli_mismatched", "multi_nli"],
            Splits = [Eval("validation", "glue mnli_mismatched validation")],
        },
        new("rte", Tasks.Nli, "encyclopedia")
        {
            Roles = OutOfDomainEval, EvaluatedOnTrainSplit = true, Schemas = ["rte", "super_glue_rte"],
            Splits = [OutOfDomain("test", "glue rte train (two-way; not_entailment → neutral)")],
        },
        new("gpt3nli", Tasks.Nli, "formal")
        {
            Roles = OutOfDomainEval, Schemas = ["gpt3_nli"],
            Splits = [OutOfDomain("test", "pietrolesci/gpt3_nli train")],
        },

        // Paraphrase: PAWS in domain; QQP and STS-B (from SetFit, the paper's copies, or GLUE) out of domain.
        new("paws", Tasks.Paraphrase, "everyday")
        {
            Roles = FineTuneTrain | InDomainEval | FormatFigure, FineTuning = "paraphrase", Schemas = ["paws"],
            Splits = [Train("paws labeled_final train"), Eval("test", "paws labeled_final test")],
        },
        new("qqp", Tasks.Paraphrase, "questions")
        {
            Roles = OutOfDomainEval, Schemas = ["qqp", "glue_qqp"],
            Splits = [OutOfDomain("test", "SetFit/qqp test (valid labels)")],
        },
        new("stsb", Tasks.Paraphrase, "graded pairs")
        {
            Roles = OutOfDomainEval, Schemas = ["stsb", "glue_stsb"],
            Splits = [OutOfDomain("test", "SetFit/stsb test (score > 3.5 → yes)")],
        },

        // The suites pre-training alone learns, scored by ranked log-likelihood.
        Benchmark("arc_easy", Tasks.ArcEasy, "science", "test", "allenai/ai2_arc ARC-Easy test", "arc_easy"),
        Benchmark("arc_challenge", Tasks.ArcChallenge, "science", "test", "allenai/ai2_arc ARC-Challenge test", "arc_challenge"),
        Benchmark("sciq", Tasks.SciQ, "science", "test", "allenai/sciq test", "sciq"),
        Benchmark("hellaswag", Tasks.HellaSwag, "everyday", "validation", "Rowan/hellaswag validation", "hellaswag"),
        Benchmark("openbookqa", Tasks.OpenBookQa, "science", "test", "allenai/openbookqa main test", "openbookqa"),
        Benchmark("boolq", Tasks.BoolQ, "encyclopedia", "validation", "super_glue boolq validation", "boolq", "google_boolq"),

        // Instruction tuning. The held-out instructions are the instruction-tuning finding's positive control: an
        // instruction tuning that changed nothing would otherwise pass "changes the learned suites little".
        new("tulu", Tasks.Chat, "instructions")
        {
            Roles = InstructionData, Schemas = ["tulu"],
            Splits =
            [
                new(SplitSpec.Train, SplitSize.InstructionTrain, "allenai/tulu-v2-sft-mixture (sampled)"),
                // Sized as an out-of-domain generation set.
                OutOfDomain("test", "allenai/tulu-v2-sft-mixture (held-out sample)") with { OnDisk = false },
            ],
        },
    ];

    static readonly Dictionary<string, DatasetSpec> ByName = All.ToDictionary(d => d.Name);

    public static DatasetSpec? Find(string name) => ByName.GetValueOrDefault(name);

    public static DatasetSpec Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown dataset '{name}'; valid datasets: {string.Join(", ", All.Select(d => d.Name))}", nameof(name));

    /// <summary>The datasets with <paramref name="role"/>, in declaration order.</summary>
    public static IEnumerable<DatasetSpec> With(DatasetRoles role) => All.Where(d => d.Is(role));

    /// <summary>The instruction-tuning data (one dataset).</summary>
    public static DatasetSpec Instructions => With(InstructionData).Single();
}
