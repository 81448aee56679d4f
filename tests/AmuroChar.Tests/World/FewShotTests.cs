using AmuroChar.Tasks;
using Xunit;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.World;

public class FewShotTests
{
    static Dataset Pool(int n) => new("nli_pool", "fewshot", T.Nli, "test", "test", "test",
        Enumerable.Range(0, n).Select(i => new TaskExample($"item-{i}",
            new Dictionary<string, string> { ["premise"] = $"P{i}.", ["hypothesis"] = $"H{i}." }, T.Nli.Labels[i % 3])).ToList());

    [Fact]
    public void Draw_never_returns_an_evaluated_item()
    {
        var pool = Pool(12);
        var evaluated = Enumerable.Range(0, 8).Select(i => $"item-{i}").ToList();
        for (int seed = 0; seed < 50; seed++)
        {
            var demos = FewShot.Draw(pool, 4, seed, evaluated);
            Assert.Equal(4, demos.Count);
            Assert.Equal(4, demos.Select(d => d.Id).Distinct().Count());
            Assert.All(demos, d => Assert.DoesNotContain(d.Id, evaluated));
        }
    }

    [Fact]
    public void Draw_is_deterministic_per_seed_and_varies_with_it()
    {
        var pool = Pool(30);
        var a = FewShot.Draw(pool, 4, 1234, []).Select(d => d.Id).ToList();
        Assert.Equal(a, FewShot.Draw(pool, 4, 1234, []).Select(d => d.Id));
        var others = Enumerable.Range(0, 10).Select(s => string.Join(",", FewShot.Draw(pool, 4, s, []).Select(d => d.Id))).ToHashSet();
        Assert.True(others.Count > 5, $"only {others.Count} different draws over 10 seeds");
    }

    [Fact]
    public void Draw_refuses_a_pool_that_is_too_small()
    {
        var pool = Pool(6);
        var ex = Assert.Throws<ArgumentException>(() => FewShot.Draw(pool, 4, 1, ["item-0", "item-1", "item-2"]));
        Assert.Contains("fewer than 4 shots", ex.Message);
        Assert.Equal(3, FewShot.Draw(pool, 3, 1, ["item-0", "item-1", "item-2"]).Count);
        Assert.Empty(FewShot.Draw(pool, 0, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShot.Draw(pool, -1, 1, []));
    }

    [Fact]
    public void Prefix_joins_rendered_demonstrations_with_blank_lines()
    {
        var demos = Pool(2).Examples;
        string prefix = FewShot.Prefix(T.Nli, "default", demos);
        Assert.Equal(
            "### Input_1: P0.\n ### Input_2: H0.\n ### Inference: entailment\n\n" +
            "### Input_1: P1.\n ### Input_2: H1.\n ### Inference: neutral\n\n", prefix);
        Assert.Equal("\n\n", FewShot.Delimiter);
        Assert.Equal("", FewShot.Prefix(T.Nli, "default", []));
    }
}
