using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Baselines;

public sealed class BaselinePlatformTests
{
    static readonly BaselinePlatform Made = new("x86-64-avx2", "1|2|4", "");

    [Fact]
    public void The_same_numeric_path_compares_exactly_and_catches_any_drop()
    {
        var (rule, why) = BaselinePlatform.RuleFor(Made, "x86-64-avx2", "1|2|4");
        Assert.Same(ToleranceRule.Exact, rule);
        Assert.Contains("exact", why);
        // A 4-point drop inside one CI half-width: the old default let it through, exactness does not.
        var baseline = new Estimate(0.80, 0.76, 0.84, 400);
        var measured = new Estimate(0.76, 0.72, 0.80, 400);
        Assert.True(ToleranceRule.Default.For(baseline, measured) >= 0.04);
        Assert.True(rule.For(baseline, measured) < 1e-6);
    }

    [Theory]
    [InlineData("arm64-native", "1|2|4")]
    [InlineData("x86-64-avx2", "3")]
    [InlineData("x64-native (AMUROCHAR_NUMERICS=native)", "1|2|4")]
    public void Another_platform_compares_statistically(string numerics, string threads)
    {
        var (rule, why) = BaselinePlatform.RuleFor(Made, numerics, threads);
        Assert.Same(ToleranceRule.CrossPlatform, rule);
        Assert.Contains("statistical", why);
        Assert.Equal(0.12, rule.For(new Estimate(0.5, 0.46, 0.54, 400), new Estimate(0.5, 0.46, 0.54, 400)), 9);
    }

    [Fact]
    public void No_platform_file_keeps_the_default_rule() =>
        Assert.Same(ToleranceRule.Default, BaselinePlatform.RuleFor(null, "x86-64-avx2", "1|2|4").Rule);

    [Fact]
    public void Round_trips_and_names_the_file_when_malformed()
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-platform-").FullName;
        try
        {
            Assert.Null(BaselinePlatform.Read(dir));
            Made.Write(dir);
            Assert.Equal(Made, BaselinePlatform.Read(dir));
            File.WriteAllText(Path.Combine(dir, BaselinePlatform.FileName), "{\"numerics\": \"x\"}");
            var e = Assert.Throws<InvalidDataException>(() => BaselinePlatform.Read(dir));
            Assert.Contains(BaselinePlatform.FileName, e.Message);
            Assert.Contains("threads", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_committed_tiny_baselines_record_the_pinned_path()
    {
        string root = AmuroChar.RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("repository root");
        var platform = BaselinePlatform.Read(Path.Combine(root, "baselines", "tiny"));
        Assert.NotNull(platform);
        Assert.Equal(AmuroChar.Model.NumericPath.PinnedX64, platform.Numerics);
    }
}
