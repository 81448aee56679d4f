using AmuroChar.Tasks;
using AmuroChar.World;
using Xunit;

namespace AmuroChar.Tests.World;

public class DeterminismTests
{
    static IEnumerable<string> Describe(TinyWorld w) =>
        w.Countries.Select(c => $"country {c.Name}")
            .Concat(w.Cities.Select(c => $"city {c.Name} in {c.Country.Name}"))
            .Concat(w.People.Select(p => $"person {p.Name} {p.Home.Name} {p.Job} {p.Pronoun}"))
            .Concat(w.Teams.Select(t => $"team {t.Name} {t.Home.Name}"))
            .Concat(w.Animals.Select(a => $"animal {a}"))
            .Concat(w.Substances.Select(s => $"substance {s}"))
            .Concat(w.Characters.Select(c => $"character {c}"))
            .Concat(w.PeopleSplit.Eval.Select(p => $"eval person {p.Name}"))
            .Concat(w.CitySplit.Eval.Select(c => $"eval city {c.Name}"))
            .Concat(w.AnimalSplit.Eval.Select(a => $"eval animal {a.Name}"))
            .Concat(w.TeamSplit.Eval.Select(t => $"eval team {t.Name}"))
            .Concat(w.ScriptSplit.Eval.Select(s => $"eval script {s.Action}"))
            .Concat(w.CharacterSplit.Eval.Select(c => $"eval character {c}"));

    /// <summary>Every observable part of every item, one line per item, datasets in catalog order.</summary>
    static List<string> Describe(DatasetCatalog catalog) =>
        catalog.All.SelectMany(d => d.Examples.Select(e =>
            $"{d.Key} {e.Id} [{string.Join(" | ", e.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))}] " +
            $"-> {e.Target} choices [{string.Join(" | ", e.Choices ?? [])}] gold {e.Gold} entities [{string.Join(", ", e.Entities)}]")).ToList();

    [Fact]
    public void The_same_seed_gives_the_same_entities()
    {
        var a = new TinyWorld(WorldConfig.Tiny, 7);
        var b = new TinyWorld(WorldConfig.Tiny, 7);
        Assert.Equal(Describe(a), Describe(b));
        Assert.Equal(a.People, b.People);                       // record equality, down to home city and country
        Assert.Equal(a.EntityNames, b.EntityNames);
    }

    [Fact]
    public void A_different_seed_gives_a_different_world()
    {
        var a = new TinyWorld(WorldConfig.Tiny, 7);
        var c = new TinyWorld(WorldConfig.Tiny, 8);
        Assert.NotEqual(Describe(a), Describe(c));
        Assert.NotEqual(a.People.Select(p => p.Name), c.People.Select(p => p.Name));
    }

    [Fact]
    public void The_same_seed_gives_the_same_corpus_and_another_seed_a_different_one()
    {
        var w = new TinyWorld(WorldConfig.Tiny, 7);
        var first = Corpus.Generate(w, 20_000).ToList();
        var second = Corpus.Generate(new TinyWorld(WorldConfig.Tiny, 7), 20_000).ToList();
        Assert.Equal(first, second);   // Document is a record: genre and text
        Assert.InRange(first.Sum(d => Corpus.CountWords(d.Text)), 20_000, 21_000);

        var other = Corpus.Generate(new TinyWorld(WorldConfig.Tiny, 8), 20_000).Select(d => d.Text).ToList();
        Assert.NotEqual(first.Select(d => d.Text), other);
    }

    [Fact]
    public void The_same_seed_gives_the_same_datasets_and_another_seed_different_ones()
    {
        var sizes = new DataConfig
        {
            FineTuneTrainGeneration = 40, FineTuneTrainClassification = 60, InstructionTrain = 24, EvalClassification = 30,
            EvalGeneration = 20, OodClassification = 20, OodGeneration = 12, MultipleChoice = 12, FewShotPool = 8,
        };
        var a = Describe(TinyWorldDatasets.Build(new TinyWorld(WorldConfig.Tiny, 7), sizes));
        var b = Describe(TinyWorldDatasets.Build(new TinyWorld(WorldConfig.Tiny, 7), sizes));
        Assert.Equal(a, b);
        Assert.True(a.Count > 500, $"{a.Count} items");

        var c = Describe(TinyWorldDatasets.Build(new TinyWorld(WorldConfig.Tiny, 8), sizes));
        Assert.Equal(a.Count, c.Count);
        Assert.NotEqual(a, c);
        // Not just the names: the items themselves differ in most places.
        Assert.True(a.Zip(c).Count(p => p.First != p.Second) > a.Count * 0.9);
    }

    [Fact]
    public void Resizing_one_dataset_leaves_the_others_unchanged()
    {
        var w = WorldFixtures.World;
        var small = TinyWorldDatasets.Build(w, WorldFixtures.Small with { EvalClassification = 50 });
        var large = WorldFixtures.Datasets;
        var xsumSmall = small.Get("xsum", "test").Examples;
        var xsumLarge = large.Get("xsum", "test").Examples;
        Assert.Equal(xsumLarge.Select(e => e.Target), xsumSmall.Select(e => e.Target));
        Assert.Equal(50, small.Get("paws", "test").Count);
    }
}
