using System.Text.Json.Nodes;
using AmuroChar.Cli.Commands;
using AmuroChar.Findings;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary><c>amurochar findings list [--json]</c>: the declarations as tools read them.</summary>
public class FindingsListTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("paper")]
    public void Json_lists_every_finding_with_its_checkpoints_metrics_and_claims(string scale)
    {
        var output = new StringWriter();
        FindingsListCommand.Write(output, scale, json: true);
        var root = JsonNode.Parse(output.ToString())!;
        Assert.Equal(scale, root["scale"]!.GetValue<string>());
        var findings = root["findings"]!.AsArray();
        var checkpoints = scale == "paper" ? AmuroChar.Grid.GridSpec.PaperCheckpoints : Scale.ByName(scale).Checkpoints;
        var declared = Declaration.All(Scale.ByName(scale), checkpoints);
        Assert.Equal(declared.Select(d => d.Id), findings.Select(f => f!["id"]!.GetValue<string>()));
        foreach (var (d, f) in declared.Zip(findings))
        {
            Assert.Equal(d.Title, f!["title"]!.GetValue<string>());
            Assert.Equal(d.Metrics, f["metrics"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal(d.Checkpoints.Count, f["checkpoints"]!.AsArray().Count);
            Assert.Equal(d.Claims.Select(c => (c.Id, c.Title, c.Asserted)),
                f["claims"]!.AsArray().Select(c => (c!["id"]!.GetValue<string>(), c["title"]!.GetValue<string>(), c["asserted"]!.GetValue<bool>())));
        }
        var latent = findings.Single(f => f!["id"]!.GetValue<string>() == "latent_improvement")!;
        Assert.Contains("latent_improvement.fine_tuned_rises_while_base_flat", latent["claims"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        Assert.Contains("mnli_matched/gain", latent["metrics"]!.AsArray().Select(m => m!.GetValue<string>()));
        if (scale == "paper") Assert.Equal("main", findings[0]!["checkpoints"]!.AsArray()[^1]!.GetValue<string>());
    }

    [Fact]
    public void Text_names_each_claim_by_its_id_and_says_whether_it_is_asserted()
    {
        var output = new StringWriter();
        FindingsListCommand.Write(output, "tiny", json: false);
        string text = output.ToString();
        Assert.Contains("dichotomy: ", text);
        Assert.Contains("  asserted  format_sensitivity.format_gap_shrinks: ", text);
        Assert.Contains("  recorded  domain_knowledge.out_of_domain_changes: ", text);
    }

    [Fact]
    public void An_unknown_scale_is_one_line_and_exit_2()
    {
        var (exit, error) = CliRun.Run("findings", "list", "--scale", "huge");
        Assert.Equal(2, exit);
        Assert.Contains("unknown scale 'huge'", CliRun.OneLine(error));
    }
}
