using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Checkpoints;
using AmuroChar.Findings;
using AmuroChar.Grid;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// Every finding as declared (<see cref="Declaration"/>): id, title, checkpoints, the metric names its baselines hold
/// and its claims with their ids, found by a recording run without inputs. With --json, one object for tools
/// (tools/paper_baselines.py's names, CI scripts) instead of a second hand-kept list of ids.
/// </summary>
sealed class FindingsListCommand : Command<FindingsListCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scale <NAME>"), Description("The scale the findings are declared at (tiny, small, micro, paper; default tiny): its checkpoints and seeds.")]
        public string Scale { get; init; } = "tiny";

        [CommandOption("--json"), Description("One JSON object: every finding with its checkpoints, metric names and claims.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        Write(Console.Out, s.Scale, s.Json);
        return 0;
    }

    /// <summary>The listing, as text or JSON. The paper scale's checkpoints are the paper's (no checkpoints are read).</summary>
    public static void Write(TextWriter output, string scaleName, bool json)
    {
        var scale = AmuroChar.Study.Scale.ByName(scaleName);
        var declared = Declaration.All(scale, scaleName == "paper" ? GridSpec.PaperCheckpoints : scale.Checkpoints);
        if (json)
        {
            var o = new JsonObject
            {
                ["scale"] = scale.Name,
                ["findings"] = new JsonArray(declared.Select(d => (JsonNode)new JsonObject
                {
                    ["id"] = d.Id,
                    ["title"] = d.Title,
                    // As results.json writes them: numbers, the main revision as "main".
                    ["checkpoints"] = new JsonArray(d.Checkpoints.Select(c => c == CheckpointStep.Main ? (JsonNode)CheckpointStep.MainName : c).ToArray()),
                    ["metrics"] = new JsonArray(d.Metrics.Select(m => (JsonNode)m).ToArray()),
                    ["claims"] = new JsonArray(d.Claims.Select(c => (JsonNode)new JsonObject
                    {
                        ["id"] = c.Id, ["title"] = c.Title, ["asserted"] = c.Asserted,
                    }).ToArray()),
                }).ToArray()),
            };
            output.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        foreach (var d in declared)
        {
            output.WriteLine($"{d.Id}: {d.Title}");
            output.WriteLine($"  checkpoints: {string.Join(", ", d.Checkpoints.Select(CheckpointStep.Label))}; {d.Metrics.Count} metrics, {d.Requirements.Count} evaluations");
            foreach (var c in d.Claims) output.WriteLine($"  {(c.Asserted ? "asserted" : "recorded")}  {c.Id}: {c.Title}");
        }
    }
}
