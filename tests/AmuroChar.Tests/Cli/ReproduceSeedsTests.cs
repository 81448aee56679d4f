using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary>`reproduce --seeds` is checked before any world is built or trained.</summary>
public sealed class ReproduceSeedsTests
{
    [Theory]
    [InlineData("2,x,4")]
    [InlineData("2,2")]
    [InlineData("-1")]
    [InlineData("")]
    public void A_bad_seed_list_is_a_one_line_error(string seeds)
    {
        using var dir = new ScratchDirectory();
        var (exit, error) = CliRun.Run("reproduce", "--seeds", seeds, "--store", dir.Sub("store"));
        Assert.Equal(2, exit);
        Assert.Contains("--seeds", CliRun.OneLine(error));
    }

    [Fact]
    public void Seeds_and_a_single_seed_exclude_each_other()
    {
        using var dir = new ScratchDirectory();
        var (exit, error) = CliRun.Run("reproduce", "--seeds", "2,3", "--seed", "4", "--store", dir.Sub("store"));
        Assert.Equal(2, exit);
        Assert.Contains("--seeds", CliRun.OneLine(error));
    }

    [Fact]
    public void Parses_a_list_in_order() =>
        Assert.Equal([2L, 3L, 4L, 5L], AmuroChar.Findings.SeedSweep.ParseWorldSeeds("2, 3,4 ,5"));

    /// <summary>The same parse serves AMUROCHAR_WORLD_SEEDS in the findings suite, which fails discovery on null.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("2,,3")]
    [InlineData("2,3,2")]
    [InlineData("-1")]
    [InlineData("2;3")]
    [InlineData("seed2")]
    public void Rejects_anything_but_distinct_non_negative_integers(string text) =>
        Assert.Null(AmuroChar.Findings.SeedSweep.ParseWorldSeeds(text));
}
