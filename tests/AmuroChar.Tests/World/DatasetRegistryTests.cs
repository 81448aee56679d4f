using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AmuroChar.Findings;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using AmuroChar.World;
using Xunit;

namespace AmuroChar.Tests.World;

/// <summary>
/// <see cref="DatasetSpecs.All"/> is the one home of the study's datasets: the tiny world, the paper scale's files, the
/// findings' plan and the docs all name exactly its datasets, and the tiny world built from it is item for item what
/// the five parallel lists it replaced built.
/// </summary>
public class DatasetRegistryTests
{
    static IEnumerable<string> Names => DatasetSpecs.All.Select(d => d.Name);

    [Fact]
    public void Names_are_unique_and_every_spec_is_complete()
    {
        Assert.Equal(Names.Count(), Names.Distinct().Count());
        foreach (var d in DatasetSpecs.All)
        {
            Assert.NotEmpty(d.Schemas);
            Assert.Contains(d.Splits, s => true);
            Assert.Equal(d.Splits.Count, d.Splits.Select(s => s.Split).Distinct().Count());
            Assert.True(d.Splits.Count(s => !s.IsTrain) <= 1, $"{d.Name}: one evaluation split (its few-shot pool is named \"fewshot\")");
            Assert.DoesNotContain(d.Splits, s => s.Split == SplitSpec.FewShot);
            Assert.Equal(d.Is(DatasetRoles.FineTuneTrain), d.FineTuning is not null);
            Assert.Equal(d.Is(DatasetRoles.FineTuneTrain) || d.Is(DatasetRoles.InstructionData), d.Train is not null);
        }
    }

    [Fact]
    public void Every_dataset_has_a_tiny_generator_and_every_generator_a_dataset()
    {
        Assert.Equal(Names.Order(StringComparer.Ordinal), TinyWorldDatasets.Generated.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_tiny_catalog_holds_the_declared_splits_and_a_few_shot_pool_for_each_evaluation_split()
    {
        var expected = DatasetSpecs.All.SelectMany(d => d.Splits.SelectMany(s => s.IsTrain ? [$"{d.Name}/{s.Split}"] : new[] { $"{d.Name}/{s.Split}", $"{d.Name}/fewshot" }));
        Assert.Equal(expected.Order(StringComparer.Ordinal), WorldFixtures.Datasets.All.Select(d => d.Key).Order(StringComparer.Ordinal));
        foreach (var d in WorldFixtures.Datasets.All)
            Assert.Equal(DatasetSpecs.Get(d.Name).Task, d.Task);
    }

    [Fact]
    public void Every_paper_file_is_a_declared_split_with_a_tiny_counterpart_and_a_known_schema()
    {
        var tiny = WorldFixtures.Datasets;
        foreach (var (name, split, schemas) in PaperData.Files)
        {
            var spec = DatasetSpecs.Get(name);
            Assert.Contains(spec.Splits, s => s.Split == split && s.OnDisk);
            Assert.Equal(spec.Schemas, schemas);
            // The paper-scale miniature writes each file from the tiny dataset of the same name and split.
            Assert.NotEmpty(tiny.Get(name, split).Examples);
            foreach (string schema in schemas)
                Assert.Equal(spec.Task.Name, HfSchemas.Get(schema).Task.Name);
        }
        Assert.Equal(DatasetSpecs.All.Sum(d => d.Splits.Count(s => s.OnDisk)), PaperData.Files.Count);
        // The paper's rule for RTE and TweetQA: evaluated on their training split.
        Assert.Equal(["tweetqa.train", "rte.train"], DatasetSpecs.All.Where(d => d.EvaluatedOnTrainSplit).Select(d => PaperData.FileName(d.Name, d.Eval!.Split)));
    }

    /// <summary>The paper's design, as the findings read it; a change to a dataset's roles shows here.</summary>
    [Fact]
    public void The_plan_is_the_papers_and_names_only_declared_datasets()
    {
        Assert.Equal(["arc_easy", "arc_challenge", "sciq", "hellaswag", "openbookqa", "boolq"], StudyPlan.LearnedSuites);
        Assert.Equal("tulu/test", StudyPlan.HeldOutInstructions);
        Assert.Equal("tulu", ModelRef.Instruction);
        Assert.Equal(
            "summary xsum xsum True [cnn_dailymail, xlsum] rougeL; question generation socialiqa socialiqa True [sciq_qg, tweetqa] rougeL; "
            + "NLI mnli mnli_matched False [mnli_mismatched, rte, gpt3nli] acc; paraphrase paws paws False [qqp, stsb] acc",
            string.Join("; ", StudyPlan.FineTuneTasks.Select(t => $"{t.Name} {t.TrainSet} {t.EvalSet} {t.IsGeneration} [{string.Join(", ", t.OutOfDomain)}] {t.Metric}")));
        Assert.Equal([StudyPlan.Summary, StudyPlan.QuestionGeneration, StudyPlan.Nli, StudyPlan.Paraphrase], StudyPlan.FineTuneTasks);
        Assert.Equal([StudyPlan.Nli, StudyPlan.Paraphrase], StudyPlan.FormatTasks);

        var planned = StudyPlan.LearnedSuites.Append(StudyPlan.HeldOutInstructions.Split('/')[0])
            .Concat(StudyPlan.FineTuneTasks.SelectMany(t => t.OutOfDomain.Append(t.TrainSet).Append(t.EvalSet)));
        Assert.Equal(Names.Order(StringComparer.Ordinal), planned.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The primary metric is chosen once, by the task: ROUGE-L for generated text, accuracy otherwise (the
    /// names every stored result and baseline uses).</summary>
    [Fact]
    public void The_primary_metric_is_the_tasks()
    {
        foreach (var task in AmuroChar.Tasks.Tasks.All)
            Assert.Equal(task.Kind is TaskKind.Generation or TaskKind.Chat ? "rougeL" : "acc", task.Metric);
    }

    [Fact]
    public void The_docs_list_every_dataset()
    {
        string docs = Path.Combine(AmuroChar.RepositoryRoot.FindFrom(AppContext.BaseDirectory)!, "docs");
        // hub-and-data.md: the stems of the data folder, in PaperData.Files' order.
        string hub = File.ReadAllText(Path.Combine(docs, "hub-and-data.md"));
        int start = hub.IndexOf("each split the study reads has a stem —", StringComparison.Ordinal);
        string paragraph = hub[start..hub.IndexOf(" — and is exactly one of", start, StringComparison.Ordinal)];
        var listed = Regex.Matches(paragraph, @"`([a-z0-9_]+\.[a-z]+)`").Select(m => m.Groups[1].Value);
        Assert.Equal(PaperData.Files.Select(f => PaperData.FileName(f.Name, f.Split)).Distinct(), listed);
        // tiny-world.md: a row per dataset.
        string tiny = File.ReadAllText(Path.Combine(docs, "tiny-world.md"));
        var rows = Regex.Matches(tiny, @"^\| (`[a-z0-9_]+`[^|]*)\|", RegexOptions.Multiline)
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`([a-z0-9_]+)`").Select(n => n.Groups[1].Value));
        Assert.Equal(Names.Order(StringComparer.Ordinal), rows.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Every item of every tiny split (fields, target, choices, entities) with its domain and stands-for text,
    /// for two world seeds at the tiny and small sizes: first the digests the code before the registry (five parallel
    /// lists) computed; since the second tiny world (issue 20: headlines, popularity, 24 verbs, RTE's mix, the Tulu
    /// listing, then MNLI-mismatched's genres and Tulu's animal instruction; after its confirmation, RTE's and GPT3NLI's
    /// hypotheses and Tulu's yes/no question and writing requests), that world's digests.</summary>
    [Theory]
    [InlineData(1, "tiny", "BDE45500584F020E9AA19FB1249247CC")]
    [InlineData(1, "small", "7251843B7DCC97DE50F59E13B66E1BDF")]
    [InlineData(6, "tiny", "82CABEB02F70581E211300C12B2DE467")]
    [InlineData(6, "small", "10AC1D2D1BE5BD19099AF34002895626")]
    public void The_tiny_datasets_are_unchanged(long seed, string sizes, string expected)
    {
        var catalog = TinyWorldDatasets.Build(new TinyWorld(WorldConfig.Tiny, seed), sizes == "tiny" ? DataConfig.Tiny : DataConfig.Small);
        var sb = new StringBuilder();
        foreach (var d in catalog.All)
        {
            sb.Append($"{d.Key}|{d.Task.Name}|{d.Domain}|{d.Source}|{d.StandsFor}\n");
            foreach (var e in d.Examples)
                sb.Append($"{e.Id} [{string.Join(" | ", e.Fields.Select(f => $"{f.Key}={f.Value}"))}] -> {e.Target} [{string.Join(" | ", e.Choices ?? [])}] {e.Gold} [{string.Join(", ", e.Entities)}]\n");
        }
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..32]);
    }
}
