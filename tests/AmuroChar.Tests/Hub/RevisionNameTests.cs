using AmuroChar.Hub;
using Xunit;

namespace AmuroChar.Tests.Hub;

public class RevisionNameTests
{
    [Theory]
    [InlineData("step1000-tokens4B", 1000, 4_000_000_000)]
    [InlineData("step20000-tokens84B", 20000, 84_000_000_000)]
    [InlineData("step738020-tokens3095B", 738020, 3_095_000_000_000)]
    [InlineData("step5-tokens10M", 5, 10_000_000)]
    [InlineData("step0-tokens0", 0, 0)]
    [InlineData("step0-tokens0B", 0, 0)]
    public void ParsesStepAndTokens(string name, long step, long tokens) =>
        Assert.Equal((step, (long?)tokens), RevisionName.Parse(name));

    /// <summary>Pythia's branches (EleutherAI/pythia-160m: step0, step1, …, step143000) name the step alone.</summary>
    [Theory]
    [InlineData("step143000", 143000)]
    [InlineData("step0", 0)]
    [InlineData("step512", 512)]
    public void ParsesAStepWithoutTokens(string name, long step) =>
        Assert.Equal((step, (long?)null), RevisionName.Parse(name));

    [Theory]
    [InlineData("main")]
    [InlineData("step-tokens84B")]
    [InlineData("xstep20000-tokens84B")]
    [InlineData("step20000-")]
    [InlineData("step1000-tokens4X")]
    [InlineData("Step1000-tokens4B")]
    [InlineData("step1000-tokens4B-extra")]
    [InlineData("step99999999999999999999999-tokens1B")]   // issue 21: an OverflowException took `hub revisions` down
    [InlineData("step1-tokens99999999999T")]
    [InlineData("step1-tokens9223372036854775808")]
    [InlineData("step\u0661-tokens4B")]                     // a non-ASCII digit
    public void OtherNamesHaveNoStep(string name) => Assert.Null(RevisionName.Parse(name));

    [Fact]
    public void Pythias_branches_sort_by_step()
    {
        var sorted = RevisionName.Sort(new[] { "step143000", "step3000", "main", "step1000", "step512" }.Select(n => HubRevision.FromBranch(n, new string('0', 40))));
        Assert.Equal(["main", "step512", "step1000", "step3000", "step143000"], sorted.Select(r => r.Name));
        Assert.All(sorted.Skip(1), r => Assert.Null(r.Tokens));
    }

    [Fact]
    public void SortsMainFirstThenByStepNotByName()
    {
        var sorted = RevisionName.Sort(new[] { "step20000-tokens84B", "v1", "main", "step1000-tokens4B", "step3000-tokens12B" }
            .Select(n => HubRevision.FromBranch(n, new string('0', 40))));
        // By name "step20000" would come before "step3000"; by step it comes after.
        Assert.Equal(["main", "step1000-tokens4B", "step3000-tokens12B", "step20000-tokens84B", "v1"], sorted.Select(r => r.Name));
    }

    [Theory]
    [InlineData("step1000-tokens4B", "step1000-tokens4B")]
    [InlineData("a\tb", "a\\tb")]
    [InlineData("a\nb\r", "a\\nb\\r")]
    [InlineData("a\u0001b\\", "a\\u0001b\\\\")]
    public void Tab_separated_listings_escape_control_characters_in_names(string name, string printed) =>
        Assert.Equal(printed, AmuroChar.Cli.Commands.HubRevisionsCommand.Escape(name));

    /// <summary>Issue 21: `--revision '../../x'` was refused only after the files were downloaded, blaming the Hub.</summary>
    [Theory]
    [InlineData("../../x")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("step1\tx")]
    public void A_revision_that_is_not_a_ref_name_is_refused_before_any_request(string revision)
    {
        var (exit, error) = AmuroChar.Tests.Cli.CliRun.Run("hub", "download", "allenai/OLMo-1B-hf", "--revision", revision);
        Assert.Equal(2, exit);
        Assert.Contains("is not a branch, tag or commit name", AmuroChar.Tests.Cli.CliRun.OneLine(error));
    }
}
