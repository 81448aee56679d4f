using System.Text.RegularExpressions;
using AmuroChar.Tasks;
using AmuroChar.World;
using Xunit;

namespace AmuroChar.Tests.World;

/// <summary>
/// Fine-tuning training sets mention only the training side of the world's held-out splits (people, cities,
/// characters, social scripts) and in-domain evaluation sets only the evaluation side. Country and team names are
/// shared by design (both sides cover every country).
/// </summary>
public partial class TrainEvalDisjointnessTests
{
    static TinyWorld W => WorldFixtures.World;

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (train, eval) in WorldFixtures.FineTuningPairs) data.Add(train, eval);
        return data;
    }

    static Dataset Get(string key) => WorldFixtures.Datasets.Resolve(key);

    /// <summary>Names held out by the world's splits, on the training side (true) or the evaluation side (false).</summary>
    static HashSet<string> HeldOutNames(bool train) =>
        W.PeopleSplit.For(train).Select(p => p.Name)
            .Concat(W.CitySplit.For(train).Select(c => c.Name))
            .Concat(W.CharacterSplit.For(train))
            .ToHashSet(StringComparer.Ordinal);

    static HashSet<string> Shared() =>
        W.Countries.Select(c => c.Name).Concat(W.Teams.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    static IEnumerable<string> Words(TaskExample e) =>
        e.Fields.Values.Append(e.Target).SelectMany(text => Word().Matches(text).Select(m => m.Value));

    [Fact]
    public void The_world_splits_are_disjoint_and_complete()
    {
        Assert.Empty(W.PeopleSplit.Train.Intersect(W.PeopleSplit.Eval));
        Assert.Empty(W.CitySplit.Train.Intersect(W.CitySplit.Eval));
        Assert.Empty(W.CharacterSplit.Train.Intersect(W.CharacterSplit.Eval));
        Assert.Empty(W.ScriptSplit.Train.Intersect(W.ScriptSplit.Eval));
        Assert.Equal(W.People.Count, W.PeopleSplit.Train.Count + W.PeopleSplit.Eval.Count);
        Assert.Equal(W.Cities.Count, W.CitySplit.Train.Count + W.CitySplit.Eval.Count);
        Assert.Equal(W.Characters.Count, W.CharacterSplit.Train.Count + W.CharacterSplit.Eval.Count);
        // People are split by home city: an evaluated person lives in an evaluated city.
        Assert.All(W.PeopleSplit.Eval, p => Assert.Contains(p.Home, W.CitySplit.Eval));
        Assert.All(W.PeopleSplit.Train, p => Assert.Contains(p.Home, W.CitySplit.Train));
        // Both sides cover every country.
        Assert.Equal(W.Countries.Count, W.CitySplit.Eval.Select(c => c.Country).Distinct().Count());
        Assert.Equal(W.Countries.Count, W.CitySplit.Train.Select(c => c.Country).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Train_and_eval_entities_are_disjoint_except_countries_and_teams(string train, string eval)
    {
        var trainEntities = Get(train).Examples.SelectMany(e => e.Entities).ToHashSet(StringComparer.Ordinal);
        var evalEntities = Get(eval).Examples.SelectMany(e => e.Entities).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(trainEntities);
        Assert.NotEmpty(evalEntities);
        var overlap = trainEntities.Intersect(evalEntities).Except(Shared()).Order(StringComparer.Ordinal).ToList();
        Assert.True(overlap.Count == 0, $"{train} and {eval} share entities: {string.Join(", ", overlap)}");

        // Each side lists only its own side's held-out names.
        Assert.Empty(trainEntities.Intersect(HeldOutNames(train: false)));
        Assert.Empty(evalEntities.Intersect(HeldOutNames(train: true)));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void No_item_text_names_a_held_out_entity_of_the_other_side(string train, string eval)
    {
        // Scans the text itself, so an entity an item mentions but does not list in Entities is caught too.
        static List<string> Leaks(Dataset d, HashSet<string> forbidden) =>
            d.Examples.SelectMany(e => Words(e).Where(forbidden.Contains).Select(w => $"{e.Id}: {w}")).Distinct().Take(10).ToList();

        var trainLeaks = Leaks(Get(train), HeldOutNames(train: false));
        Assert.True(trainLeaks.Count == 0, $"{train} mentions evaluation-side entities: {string.Join("; ", trainLeaks)}");
        var evalLeaks = Leaks(Get(eval), HeldOutNames(train: true));
        Assert.True(evalLeaks.Count == 0, $"{eval} mentions training-side entities: {string.Join("; ", evalLeaks)}");
    }

    [Fact]
    public void Social_question_generation_holds_out_its_scripts()
    {
        // The situation of an item is "<a> <action with b>"; find which script it is and check its side.
        SocialScript ScriptOf(TaskExample e)
        {
            string a = e.Entities[0], b = e.Entities[1];
            var matches = Lexicon.Scripts.Where(s => e["context"].Contains($"{a} {s.Action.Replace("{B}", b)}", StringComparison.Ordinal)).ToList();
            Assert.True(matches.Count == 1, $"{e.Id}: {matches.Count} scripts match '{e["context"]}'");
            return matches[0];
        }

        var trainScripts = Get("socialiqa/train").Examples.Select(ScriptOf).ToHashSet();
        var evalScripts = Get("socialiqa/validation").Examples.Select(ScriptOf).ToHashSet();
        Assert.Subset(W.ScriptSplit.Train.ToHashSet(), trainScripts);
        Assert.Subset(W.ScriptSplit.Eval.ToHashSet(), evalScripts);
        Assert.Empty(trainScripts.Intersect(evalScripts));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void No_evaluation_prompt_equals_a_training_prompt(string train, string eval)
    {
        var trainSet = Get(train);
        foreach (var format in trainSet.Task.Formats.Keys)
        {
            var prompts = trainSet.Examples.Select(e => trainSet.Task.RenderPrompt(e, format)).ToHashSet(StringComparer.Ordinal);
            var repeated = Get(eval).Examples.Where(e => prompts.Contains(trainSet.Task.RenderPrompt(e, format))).Select(e => e.Id).ToList();
            Assert.True(repeated.Count == 0, $"{format}: {eval} items with a training prompt: {string.Join(", ", repeated.Take(5))}");
        }
    }

    [Fact]
    public void Few_shot_pools_of_in_domain_sets_come_from_the_training_side()
    {
        foreach (var (_, eval) in WorldFixtures.FineTuningPairs)
        {
            var name = eval.Split('/')[0];
            var pool = WorldFixtures.Datasets.Get(name, "fewshot");
            var evalIds = Get(eval).Examples.Select(e => e.Id).ToHashSet();
            Assert.DoesNotContain(pool.Examples, e => evalIds.Contains(e.Id));
            var leaks = pool.Examples.SelectMany(Words).Where(HeldOutNames(train: false).Contains).ToList();
            Assert.True(leaks.Count == 0, $"{name}/fewshot mentions evaluation-side entities: {string.Join(", ", leaks.Take(5))}");
        }
    }
}
