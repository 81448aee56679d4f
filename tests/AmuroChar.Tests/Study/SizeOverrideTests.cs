using AmuroChar.Study;
using AmuroChar.Tasks.RealData;
using AmuroChar.Tests.Cli;
using AmuroChar.Tests.RealData;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>The paper scale's size overrides (<see cref="SizeOverrides"/>): what they shrink and how bad values fail.</summary>
public class SizeOverrideTests
{
    [Fact]
    public void Max_items_keeps_the_first_rows_of_each_split_and_the_training_sets_first_rows_after_the_shuffle()
    {
        using var dir = new ScratchDirectory();
        string data = dir.Sub("data");
        RealFixtures.WriteDataFolder(data);
        var train = MicroFixtures.Nli(30, "train");
        HfSchemaExport.WriteJsonl(train, "mnli", Path.Combine(data, "mnli.train.jsonl"));

        var full = PaperData.Load(data);
        var small = PaperData.Load(data, maxItems: 6);
        // A set without a training split: pool = its first 6 rows, evaluated = the next 6 (uncapped, a 20-row file
        // gives all 20 to the 32-row pool and leaves nothing).
        var arc = RealFixtures.RawRows("ai2_arc/ARC-Easy/validation");
        Assert.Equal(20, full.Get("arc_easy", "fewshot").Count);
        Assert.Empty(full.Get("arc_easy", "test").Examples);
        Assert.Equal(arc.Take(6).Select(r => r.Values["id"]), small.Get("arc_easy", "fewshot").Examples.Select(e => (object?)e.Id));
        Assert.Equal(arc.Skip(6).Take(6).Select(r => r.Values["id"]), small.Get("arc_easy", "test").Examples.Select(e => (object?)e.Id));
        // A training set: the first 6 of the paper's seed-42 shuffle, the same order as the uncapped sample.
        Assert.Equal(full.Get("mnli", "train").Examples.Take(6).Select(e => e.Id), small.Get("mnli", "train").Examples.Select(e => e.Id));
        Assert.Equal(6, small.Get("mnli", "fewshot").Count);
        // An evaluation set whose dataset has a training split: its first 6 rows.
        Assert.Equal(full.Get("socialiqa", "validation").Examples.Take(6).Select(e => e.Id), small.Get("socialiqa", "validation").Examples.Select(e => e.Id));
    }

    [Fact]
    public void The_overrides_shrink_only_sizes_and_name_themselves()
    {
        var sizes = new SizeOverrides { MaxLength = 64, Epochs = 1, MaxNewTokens = 4 };
        var scale = sizes.Apply(Scale.Paper);
        Assert.Equal(Scale.Paper with { FineTune = Scale.Paper.FineTune with { MaxLength = 64, Epochs = 1 },
            Instruct = Scale.Paper.Instruct with { MaxLength = 64, Epochs = 1 }, MaxNewTokens = 4, Shrunk = sizes }, scale);
        Assert.Equal("max length 64, epochs 1, max new tokens 4", sizes.ToString());
        Assert.Same(Scale.Paper, new SizeOverrides().Apply(Scale.Paper));
    }

    [Theory]
    [InlineData("--max-items 0 --scale paper", "--max-items must be ≥ 1, not 0")]
    [InlineData("--epochs -1 --scale paper", "--epochs must be ≥ 1, not -1")]
    [InlineData("--max-items 8", "shrink the paper scale (--scale paper), not tiny")]
    [InlineData("--max-items 8 --scale paper --plan", "--plan prices the paper scale as designed")]
    public void Bad_overrides_are_refused_before_any_work(string arguments, string message)
    {
        var (exit, error) = CliRun.Run(["reproduce", .. arguments.Split(' ')]);
        Assert.Equal(2, exit);
        Assert.Contains(message, CliRun.OneLine(error));
    }
}
