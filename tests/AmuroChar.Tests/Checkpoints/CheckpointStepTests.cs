using AmuroChar.Checkpoints;
using Xunit;

namespace AmuroChar.Tests.Checkpoints;

/// <summary><c>main</c> reads as "main" wherever a step would read as its number, and sorts after every step.</summary>
public class CheckpointStepTests
{
    [Theory]
    [InlineData(738000, "738000", "step 738000", "step-738000")]
    [InlineData(0, "0", "step 0", "step-0")]
    [InlineData(CheckpointStep.Main, "main", "main", "step-main")]
    public void Labels_names_and_file_stems(int step, string label, string name, string stem)
    {
        Assert.Equal(label, CheckpointStep.Label(step));
        Assert.Equal(name, CheckpointStep.Name(step));
        Assert.Equal(stem, CheckpointStep.FileStem(step));
        Assert.Equal(step, CheckpointStep.Parse(label));
    }

    [Fact]
    public void Main_sorts_after_every_step_and_is_named_as_the_paper_baselines_name_it()
    {
        Assert.Equal([0, 1000, 738000, CheckpointStep.Main], new[] { CheckpointStep.Main, 738000, 0, 1000 }.Order());
        Assert.Equal(CheckpointStep.Main, CheckpointStep.Parse(" MAIN "));
        string repo = AmuroChar.RepositoryRoot.Find() ?? throw new InvalidOperationException("no repository root");
        Assert.True(File.Exists(Path.Combine(repo, "baselines", "paper", "latent_improvement", CheckpointStep.FileStem(CheckpointStep.Main) + ".json")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("2147483647")]
    [InlineData("step1000-tokens4B")]
    public void Anything_else_is_refused_saying_what_a_checkpoint_is(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => CheckpointStep.Parse(text));
        Assert.Contains("--step", e.Message);
        Assert.Contains("'main'", e.Message);
    }
}
