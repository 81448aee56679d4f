using AmuroChar.Tasks;
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

    /// <summary>The items of a split of <paramref name="size"/> for a task of <paramref name="kind"/> (a chat set is
    /// sized as generation).</summary>
    public int Count(SplitSize size, TaskKind kind)
    {
        bool generation = kind is TaskKind.Generation or TaskKind.Chat;
        return size switch
        {
            SplitSize.FineTuneTrain => generation ? FineTuneTrainGeneration : FineTuneTrainClassification,
            SplitSize.Eval => generation ? EvalGeneration : EvalClassification,
            SplitSize.OutOfDomain => generation ? OodGeneration : OodClassification,
            SplitSize.MultipleChoice => MultipleChoice,
            SplitSize.InstructionTrain => InstructionTrain,
            _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
        };
    }
}

/// <summary>Every dataset of <see cref="DatasetSpecs.All"/> in the tiny world, by the generator of its name.</summary>
public static class TinyWorldDatasets
{
    /// <summary>The tiny world's item makers, one of each (they keep no state between calls).</summary>
    sealed class Makers(TinyWorld world)
    {
        public readonly SummaryData Summary = new(world);
        public readonly QuestionGenerationData Questions = new(world);
        public readonly NliData Nli = new(world);
        public readonly ParaphraseData Paraphrase = new(world);
        public readonly MultipleChoiceData Choice = new(world);
        public readonly InstructionData Instructions = new(world);
    }

    /// <summary>Items of one split: <c>train</c> is true for a train split and for the few-shot pool of an in-domain
    /// set (the training side of the generator, so a demonstration never names an evaluated entity); generators
    /// without a training side ignore it.</summary>
    delegate IEnumerable<TaskExample> Generator(Makers make, string idPrefix, bool train, int count, Rng rng);

    /// <summary>The generator of each dataset, by its <see cref="DatasetSpec.Name"/>; a dataset without one is an error
    /// of <see cref="Build"/> (and of a unit test).</summary>
    static readonly IReadOnlyDictionary<string, Generator> Generators = new Dictionary<string, Generator>
    {
        ["xsum"] = (m, id, train, n, r) => m.Summary.XSum(id, train, n, r),
        ["cnn_dailymail"] = (m, id, _, n, r) => m.Summary.CnnDailyMail(id, n, r),
        ["xlsum"] = (m, id, _, n, r) => m.Summary.XlSum(id, n, r),
        ["socialiqa"] = (m, id, train, n, r) => m.Questions.SocialIqa(id, train, n, r),
        ["sciq_qg"] = (m, id, _, n, r) => m.Questions.SciQ(id, n, r),
        ["tweetqa"] = (m, id, _, n, r) => m.Questions.TweetQa(id, n, r),
        // MNLI's training set and its matched evaluation set are the two sides of one generator.
        ["mnli"] = (m, id, train, n, r) => m.Nli.Mnli(id, train, true, n, r),
        ["mnli_matched"] = (m, id, train, n, r) => m.Nli.Mnli(id, train, true, n, r),
        ["mnli_mismatched"] = (m, id, train, n, r) => m.Nli.Mnli(id, train, false, n, r),
        ["rte"] = (m, id, _, n, r) => m.Nli.Rte(id, n, r),
        ["gpt3nli"] = (m, id, _, n, r) => m.Nli.Gpt3Nli(id, n, r),
        ["paws"] = (m, id, train, n, r) => m.Paraphrase.Paws(id, train, n, r),
        ["qqp"] = (m, id, _, n, r) => m.Paraphrase.Qqp(id, n, r),
        ["stsb"] = (m, id, _, n, r) => m.Paraphrase.StsB(id, n, r),
        ["arc_easy"] = (m, id, _, n, r) => m.Choice.ArcEasy(id, n, r),
        ["arc_challenge"] = (m, id, _, n, r) => m.Choice.ArcChallenge(id, n, r),
        ["sciq"] = (m, id, _, n, r) => m.Choice.SciQ(id, n, r),
        ["hellaswag"] = (m, id, _, n, r) => m.Choice.HellaSwag(id, n, r),
        ["openbookqa"] = (m, id, _, n, r) => m.Choice.OpenBookQa(id, n, r),
        ["boolq"] = (m, id, _, n, r) => m.Choice.BoolQ(id, n, r),
        ["tulu"] = (m, id, _, n, r) => m.Instructions.Tulu(id, n, r),
    };

    /// <summary>The names that have a tiny-world generator (a dataset spec without one can't be built).</summary>
    public static IEnumerable<string> Generated => Generators.Keys;

    public static DatasetCatalog Build(TinyWorld world, DataConfig sizes)
    {
        string source = $"tiny-world (seed {world.Seed})";
        var makers = new Makers(world);
        var list = new List<Dataset>();
        foreach (var spec in DatasetSpecs.All)
        {
            var generate = Generators.GetValueOrDefault(spec.Name) ?? throw new InvalidOperationException($"dataset {spec.Name} has no tiny-world generator");

            // Each dataset split draws from its own named random stream, so resizing one never changes another.
            void Add(string split, string standsFor, bool train, int count)
            {
                var rng = Rng.For(world.Seed, $"{spec.Name}/{split}");
                list.Add(new Dataset(spec.Name, split, spec.Task, spec.Domain, source, standsFor, generate(makers, $"{spec.Name}-{split}", train, count, rng).Take(count).ToList()));
            }

            foreach (var split in spec.Splits)
            {
                Add(split.Split, split.StandsFor, split.IsTrain, sizes.Count(split.Size, spec.Task.Kind));
                // An evaluation set's few-shot pool: separate items from the same generator (for an in-domain set, from
                // the training side), so a demonstration is never the evaluated item.
                if (!split.IsTrain) Add(SplitSpec.FewShot, split.StandsFor + " (few-shot pool)", spec.Is(DatasetRoles.InDomainEval), sizes.FewShotPool);
            }
        }
        return new DatasetCatalog(list);
    }
}
