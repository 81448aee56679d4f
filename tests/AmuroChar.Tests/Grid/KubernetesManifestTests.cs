using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Grid;
using Json.Schema;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace AmuroChar.Tests.Grid;

/// <summary>The emitted Indexed Jobs against a JSON schema of the batch/v1 Job fields they use (no cluster here).</summary>
public class KubernetesManifestTests
{
    static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(SourceDirectory(), "k8s-job.schema.json"));

    static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [Fact]
    public void Every_stage_is_a_valid_indexed_job_with_the_planners_resources()
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-k8s-").FullName;
        try
        {
            string shared = Path.Combine(dir, "shared");
            var output = GridCli.RunOk("grid", "submit", "--emit", "k8s", "--scale", "micro", "--seeds", "1,2",
                "--store", Path.Combine(shared, "store"), "--grid", Path.Combine(shared, "grid"),
                "--k8s-image", "registry.example/amurochar:1", "--k8s-pvc", "amurochar-shared", "--k8s-mount", shared);
            var spec = new GridSpec { Scale = "micro", Seeds = [1, 2], Store = Path.Combine(shared, "store") };
            var cells = StudyGrid.Cells(spec);
            foreach (var stage in Enum.GetValues<GridStage>())
            {
                string name = GridCell.StageName(stage);
                Assert.Contains($"job/amurochar-{name}", output);
                var job = ToJson(File.ReadAllText(Path.Combine(shared, "grid", "k8s", $"{(int)stage}-{name}.yaml")));
                var result = Schema.Evaluate(JsonDocument.Parse(job.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
                Assert.True(result.IsValid, $"{name}: " + string.Join("; ", result.Details?.Where(d => d.Errors is not null)
                    .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
                Assert.Equal(cells.Stage(stage).Count, job["spec"]!["completions"]!.GetValue<long>());
                var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
                Assert.Contains($"--stage {name} --index \"$JOB_COMPLETION_INDEX\"", container["command"]![2]!.GetValue<string>());
                var planner = new GridPlanner(spec, new PlanOptions());
                var resources = StageResources.For(planner, planner.Costs(cells.Stage(stage)), 1);
                Assert.Equal($"{resources.MemoryMegabytes}Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_store_outside_the_shared_volume_is_refused()
    {
        var (code, _, error) = GridCli.Run([], "grid", "submit", "--emit", "k8s", "--scale", "micro", "--store", "/elsewhere/store",
            "--grid", Path.Combine(Path.GetTempPath(), $"amurochar-k8s-{Guid.NewGuid():N}"), "--k8s-image", "x", "--k8s-pvc", "y", "--k8s-mount", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("/elsewhere/store is not under the shared volume", error);
    }

    /// <summary>YAML → JSON with Kubernetes' typing of plain scalars: integers and booleans as such, the rest strings
    /// (quoted scalars stay strings, so "1" as a quantity is a string, as the API expects).</summary>
    static JsonNode ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents.Single().RootNode)!;

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, out long n) => JsonValue.Create(n),
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
            YamlScalarNode s => JsonValue.Create(s.Value),
            _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType}"),
        };
    }
}
