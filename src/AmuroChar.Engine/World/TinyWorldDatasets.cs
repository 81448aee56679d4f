using AmuroChar.Tasks;
using T = AmuroChar.Tasks.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>How many items each tiny-world dataset gets. Classification sets are sized so a 95% CI on accuracy near
/// 0.5 is about ±0.05 (n = 400 in domain, ±0.057 at n = 300 out of domain and for multiple choice); ROUGE-L varies
/// less per item, so 120–160 generation items give CIs of about ±0.03.</summary>
public sealed record DataConfig
{
    /// <summary>Training-set sizes per task kind: classification needs more examples than generation before a tiny
    /// model's fine-tuning uses what pre-training taught it (measured: MNLI with 1,200 items never predicts
    /// "contradiction"; with 2,400 it reaches .68 at the last checkpoint).</summary>
    public int FineTuneTrainGeneration { get; init; } = 1200;
    public int FineTuneTrainClassification { get; init; } = 2400;
    public int InstructionTrain { get; init; } = 1200;
    public int EvalClassification { get; init; } = 400;
    public int EvalGeneration { get; init; } = 160;
    public int OodClassification { get; init; } = 300;
    public int OodGeneration { get; init; } = 120;
    public int MultipleChoice { get; init; } = 300;
    public int FewShotPool { get; init; } = 32;

    public static readonly DataConfig Tiny = new();
    public static readonly DataConfig Small = new() { FineTuneTrainGeneration = 3000, FineTuneTrainClassification = 6000, InstructionTrain = 3000, EvalClassification = 800, EvalGeneration = 400, OodClassification = 500, OodGeneration = 300, MultipleChoice = 500 };
}

/// <summary>Every dataset of the tiny world, named after the paper's dataset it stands in for.</summary>
public static class TinyWorldDatasets
{
    public static DatasetCatalog Build(TinyWorld world, DataConfig sizes)
    {
        string source = $"tiny-world (seed {world.Seed})";
        var list = new List<Dataset>();
        var sum = new SummaryData(world);
        var qg = new QuestionGenerationData(world);
        var nli = new NliData(world);
        var para = new ParaphraseData(world);
        var mc = new MultipleChoiceData(world);

        // Each dataset split draws from its own named random stream, so resizing one never changes another.
        void Add(string name, string split, TaskDefinition task, string domain, string standsFor, Func<string, Rng, IEnumerable<TaskExample>> make, int count)
        {
            var rng = Rng.For(world.Seed, $"{name}/{split}");
            list.Add(new Dataset(name, split, task, domain, source, standsFor, make($"{name}-{split}", rng).Take(count).ToList()));
        }

        // An evaluation set with its few-shot pool: separate items from the same generator (or, for in-domain sets,
        // from the training side), so a demonstration is never the evaluated item.
        void AddEval(string name, string split, TaskDefinition task, string domain, string standsFor, Func<string, Rng, int, IEnumerable<TaskExample>> make, int count,
            Func<string, Rng, int, IEnumerable<TaskExample>>? fewShotFrom = null)
        {
            Add(name, split, task, domain, standsFor, (id, rng) => make(id, rng, count), count);
            Add(name, "fewshot", task, domain, standsFor + " (few-shot pool)", (id, rng) => (fewShotFrom ?? make)(id, rng, sizes.FewShotPool), sizes.FewShotPool);
        }

        int ftg = sizes.FineTuneTrainGeneration, ftc = sizes.FineTuneTrainClassification, ec = sizes.EvalClassification, eg = sizes.EvalGeneration, oc = sizes.OodClassification, og = sizes.OodGeneration, m = sizes.MultipleChoice;

        Add("xsum", "train", T.Summary, "news", "EdinburghNLP/xsum train", (id, r) => sum.XSum(id, true, ftg, r), ftg);
        AddEval("xsum", "test", T.Summary, "news", "EdinburghNLP/xsum test", (id, r, n) => sum.XSum(id, false, n, r), eg, (id, r, n) => sum.XSum(id, true, n, r));
        AddEval("cnn_dailymail", "test", T.Summary, "sports", "cnn_dailymail 3.0.0 test", (id, r, n) => sum.CnnDailyMail(id, n, r), og);
        AddEval("xlsum", "test", T.Summary, "institutions", "csebuetnlp/xlsum english test", (id, r, n) => sum.XlSum(id, n, r), og);

        Add("socialiqa", "train", T.QuestionGeneration, "social", "social_i_qa train (as question generation)", (id, r) => qg.SocialIqa(id, true, ftg, r), ftg);
        AddEval("socialiqa", "validation", T.QuestionGeneration, "social", "social_i_qa validation (as question generation)", (id, r, n) => qg.SocialIqa(id, false, n, r), eg, (id, r, n) => qg.SocialIqa(id, true, n, r));
        AddEval("sciq_qg", "test", T.QuestionGeneration, "science", "sciq test (as question generation)", (id, r, n) => qg.SciQ(id, n, r), og);
        AddEval("tweetqa", "test", T.QuestionGeneration, "social media", "tweet_qa train (as question generation)", (id, r, n) => qg.TweetQa(id, n, r), og);

        Add("mnli", "train", T.Nli, "news, everyday", "glue mnli train", (id, r) => nli.Mnli(id, true, true, ftc, r), ftc);
        AddEval("mnli_matched", "validation", T.Nli, "news, everyday", "glue mnli_matched validation", (id, r, n) => nli.Mnli(id, false, true, n, r), ec, (id, r, n) => nli.Mnli(id, true, true, n, r));
        AddEval("mnli_mismatched", "validation", T.Nli, "science, sports", "glue mnli_mismatched validation", (id, r, n) => nli.Mnli(id, false, false, n, r), ec);
        AddEval("rte", "test", T.Nli, "encyclopedia", "glue rte train (two-way; not_entailment → neutral)", (id, r, n) => nli.Rte(id, n, r), oc);
        AddEval("gpt3nli", "test", T.Nli, "formal", "pietrolesci/gpt3_nli train", (id, r, n) => nli.Gpt3Nli(id, n, r), oc);

        Add("paws", "train", T.Paraphrase, "everyday", "paws labeled_final train", (id, r) => para.Paws(id, true, ftc, r), ftc);
        AddEval("paws", "test", T.Paraphrase, "everyday", "paws labeled_final test", (id, r, n) => para.Paws(id, false, n, r), ec, (id, r, n) => para.Paws(id, true, n, r));
        AddEval("qqp", "test", T.Paraphrase, "questions", "SetFit/qqp test (valid labels)", (id, r, n) => para.Qqp(id, n, r), oc);
        AddEval("stsb", "test", T.Paraphrase, "graded pairs", "SetFit/stsb test (score > 3.5 → yes)", (id, r, n) => para.StsB(id, n, r), oc);

        AddEval("arc_easy", "test", T.ArcEasy, "science", "allenai/ai2_arc ARC-Easy test", (id, r, n) => mc.ArcEasy(id, n, r), m);
        AddEval("arc_challenge", "test", T.ArcChallenge, "science", "allenai/ai2_arc ARC-Challenge test", (id, r, n) => mc.ArcChallenge(id, n, r), m);
        AddEval("sciq", "test", T.SciQ, "science", "allenai/sciq test", (id, r, n) => mc.SciQ(id, n, r), m);
        AddEval("hellaswag", "validation", T.HellaSwag, "everyday", "Rowan/hellaswag validation", (id, r, n) => mc.HellaSwag(id, n, r), m);
        AddEval("openbookqa", "test", T.OpenBookQa, "science", "allenai/openbookqa main test", (id, r, n) => mc.OpenBookQa(id, n, r), m);
        AddEval("boolq", "validation", T.BoolQ, "encyclopedia", "super_glue boolq validation", (id, r, n) => mc.BoolQ(id, n, r), m);

        Add("tulu", "train", T.Chat, "instructions", "allenai/tulu-v2-sft-mixture (sampled)", (id, r) => new InstructionData(world).Tulu(id, sizes.InstructionTrain, r), sizes.InstructionTrain);
        // Held-out instructions (their own random stream) for the instruction-tuning finding's positive control: an
        // instruction tuning that changed nothing would otherwise pass "changes the learned suites little".
        AddEval("tulu", "test", T.Chat, "instructions", "allenai/tulu-v2-sft-mixture (held-out sample)", (id, r, n) => new InstructionData(world).Tulu(id, n, r), og);
        return new DatasetCatalog(list);
    }
}
