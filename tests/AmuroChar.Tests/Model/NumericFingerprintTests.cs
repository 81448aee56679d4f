using System.Text.Json.Nodes;
using AmuroChar.Baselines;
using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using TorchSharp;
using Xunit;

namespace AmuroChar.Tests.Model;

/// <summary>
/// The fingerprint is a measurement: the same process computes it the same way every time, other kernels give another
/// one (so the rule it decides changes), and a cached value is only reused when it checks out.
/// </summary>
public sealed class NumericFingerprintTests
{
    [Fact]
    public void The_same_kernels_give_the_same_fingerprint_and_every_family_is_present()
    {
        var a = NumericFingerprint.Compute();
        var b = NumericFingerprint.Compute();
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(["attention", "elementwise", "gemm", "generate", "init", "train"], a.Families.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(a.DifferingFamilies(b));
        Assert.Equal(a.Digest, NumericFingerprint.FromFamilies(a.Families).Digest);
    }

    /// <summary>ATen's portable kernels and MKL's vendor-neutral branch (what another CPU stands in for here): a real
    /// process, since libtorch reads the variables once, before its first kernel.</summary>
    [Fact]
    public void Other_kernels_give_another_fingerprint_and_so_the_statistical_rule()
    {
        var (code, stdout, stderr) = PaperCli.Run(new()
        {
            ["AMUROCHAR_NUMERICS"] = "native", ["ATEN_CPU_CAPABILITY"] = "default", ["MKL_CBWR"] = "COMPATIBLE", ["ONEDNN_MAX_CPU_ISA"] = "SSE41",
        }, "fingerprint", "--no-cache");
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!.AsObject();
        var families = o["families"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var other = NumericFingerprint.FromFamilies(families);
        Assert.Equal(o["fingerprint"]!.GetValue<string>(), other.Digest);

        var here = NumericPlatform.Current;
        Assert.NotEqual(here.Fingerprint.Digest, other.Digest);
        // ATen's default capability changes the vectorised fills and kernels; MKL's COMPATIBLE branch the GEMMs.
        Assert.Contains("init", here.Fingerprint.DifferingFamilies(other));
        Assert.Contains("gemm", here.Fingerprint.DifferingFamilies(other));

        var baselines = BaselinePlatform.Of(here, Precision.Fp32);
        var run = new BaselinePlatform(other.Digest, other.Families, o["machine"]!.GetValue<string>(), o["numerics"]!.GetValue<string>(),
            o["threads"]!.GetValue<string>(), o["torch"]!.GetValue<string>(), o["device"]!.GetValue<string>(), "");
        var (rule, why) = BaselinePlatform.RuleFor(baselines, run);
        Assert.Same(ToleranceRule.CrossPlatform, rule);
        Assert.Contains("gemm", why);
        Assert.Same(ToleranceRule.Exact, BaselinePlatform.RuleFor(baselines, BaselinePlatform.Of(here, Precision.Fp32)).Rule);
        // The same machine in bf16 computes other bits: statistical, and the reason names the precision.
        var (bf16, bf16Why) = BaselinePlatform.RuleFor(baselines, BaselinePlatform.Of(here, Precision.Bf16Mixed));
        Assert.Same(ToleranceRule.CrossPlatform, bf16);
        Assert.Contains("precision bf16-mixed is not fp32", bf16Why);
    }

    [Fact]
    public void A_cached_fingerprint_is_reused_only_when_it_checks_out()
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-fingerprints-").FullName;
        try
        {
            var measured = NumericPlatform.Measure(torch.CPU, dir);
            string file = Assert.Single(Directory.GetFiles(dir, "*.json"));
            Assert.Equal(measured.Fingerprint.Digest, NumericPlatform.Measure(torch.CPU, dir).Fingerprint.Digest);

            // A family edited in the cache no longer hashes to the stored digest: it is measured again, not believed.
            string text = File.ReadAllText(file);
            string gemm = measured.Fingerprint.Families["gemm"];
            File.WriteAllText(file, text.Replace(gemm, "0000000000000000"));
            Assert.Equal(measured.Fingerprint.Digest, NumericPlatform.Measure(torch.CPU, dir).Fingerprint.Digest);

            // A truncated (half-written) or foreign file is measured again too, and replaced.
            File.WriteAllText(file, text[..(text.Length / 2)]);
            Assert.Equal(measured.Fingerprint.Digest, NumericPlatform.Measure(torch.CPU, dir).Fingerprint.Digest);
            Assert.Equal(text, File.ReadAllText(file));
        }
        finally { Directory.Delete(dir, true); }
    }
}
