using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using AmuroChar.Model;
using Xunit;

namespace AmuroChar.Tests.Baselines;

/// <summary>The baseline rule is decided by the measured numeric fingerprint, both ways.</summary>
public sealed class BaselinePlatformTests
{
    static readonly Dictionary<string, string> Families = new()
    {
        ["attention"] = "2d5a038f04a9c574", ["elementwise"] = "0db798b0590a7279", ["gemm"] = "28abd93e7f5eef3f",
        ["generate"] = "c3b4e540b7408e9f", ["init"] = "1aa66fb64d88d9b4", ["train"] = "f1e5f18c867f1394",
    };

    static BaselinePlatform Platform(IReadOnlyDictionary<string, string> families, string machine = "AMD EPYC (AVX-512)", string threads = "1|2|4") =>
        new(NumericFingerprint.FromFamilies(families).Digest, families, machine, "x86-64-avx2", threads, "TorchSharp 0.107.0", "cpu", "");

    static readonly BaselinePlatform Made = Platform(Families);

    [Fact]
    public void The_same_fingerprint_compares_exactly_and_catches_any_drop()
    {
        // Another machine name, same bits: the fingerprint decides, not the description.
        var (rule, why) = BaselinePlatform.RuleFor(Made, Platform(Families, machine: "another EPYC"));
        Assert.Same(ToleranceRule.Exact, rule);
        Assert.Contains("exact", why);
        Assert.Contains(Made.Fingerprint[..16], why);
        // A 4-point drop inside one CI half-width: the old default let it through, exactness does not.
        var baseline = new Estimate(0.80, 0.76, 0.84, 400);
        var measured = new Estimate(0.76, 0.72, 0.80, 400);
        Assert.True(ToleranceRule.Default.For(baseline, measured) >= 0.04);
        Assert.True(rule.For(baseline, measured) < 1e-6);
    }

    [Theory]
    [InlineData("gemm")]
    [InlineData("train")]
    [InlineData("elementwise")]
    public void A_different_fingerprint_compares_statistically_and_names_the_family(string family)
    {
        var other = new Dictionary<string, string>(Families) { [family] = "0000000000000000" };
        var (rule, why) = BaselinePlatform.RuleFor(Made, Platform(other, machine: "Intel Xeon (AVX-512 + AMX)"));
        Assert.Same(ToleranceRule.CrossPlatform, rule);
        Assert.Contains("statistical", why);
        Assert.Contains($"kernel families that differ: {family}", why);
        Assert.Contains("Intel Xeon", why);
        // 3.3 × √(0.04² + 0.165²): the interval's half-width and the platform's own spread.
        Assert.Equal(0.5602716, rule.For(new Estimate(0.5, 0.46, 0.54, 400), new Estimate(0.5, 0.46, 0.54, 400)), 6);
    }

    [Fact]
    public void Another_thread_class_compares_statistically() =>
        Assert.Same(ToleranceRule.CrossPlatform, BaselinePlatform.RuleFor(Made, Platform(Families, threads: "3")).Rule);

    [Fact]
    public void Baselines_without_a_fingerprint_compare_statistically_and_say_why()
    {
        var legacy = new BaselinePlatform("", new Dictionary<string, string>(), "", "x86-64-avx2", "1|2|4", "", "", "");
        var (rule, why) = BaselinePlatform.RuleFor(legacy, Made);
        Assert.Same(ToleranceRule.CrossPlatform, rule);
        Assert.Contains("no numeric fingerprint", why);
    }

    [Fact]
    public void No_platform_file_keeps_the_default_rule() =>
        Assert.Same(ToleranceRule.Default, BaselinePlatform.RuleFor(null, Made).Rule);

    [Fact]
    public void Round_trips_and_names_the_file_when_malformed()
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-platform-").FullName;
        try
        {
            Assert.Null(BaselinePlatform.Read(dir));
            Made.Write(dir);
            var read = BaselinePlatform.Read(dir)!;
            Assert.True(read.SameAs(Made));
            Assert.Equal(Made.Families, read.Families);
            string path = Path.Combine(dir, BaselinePlatform.FileName);
            File.WriteAllText(path, "{\"numerics\": \"x\"}");
            var e = Assert.Throws<InvalidDataException>(() => BaselinePlatform.Read(dir));
            Assert.Contains(BaselinePlatform.FileName, e.Message);
            Assert.Contains("threads", e.Message);
            // A fingerprint that is not the digest of its families (hand-edited) is refused, not trusted.
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"x\"", "\"x\", \"threads\": \"1|2|4\", \"fingerprint\": \"" + new string('a', 64) + "\""));
            Assert.Contains("not the digest", Assert.Throws<InvalidDataException>(() => BaselinePlatform.Read(dir)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_committed_tiny_baselines_record_a_measured_fingerprint()
    {
        string root = AmuroChar.RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("repository root");
        var platform = BaselinePlatform.Read(Path.Combine(root, "baselines", "tiny"));
        Assert.NotNull(platform);
        Assert.Equal(64, platform.Fingerprint.Length);
        Assert.Equal(["attention", "elementwise", "gemm", "generate", "init", "train"], platform.Families.Keys.Order(StringComparer.Ordinal));
    }
}
