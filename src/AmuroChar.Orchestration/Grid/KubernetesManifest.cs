using System.Globalization;
using YamlDotNet.Serialization;

namespace AmuroChar.Grid;

/// <summary>
/// The same cells as Kubernetes Indexed Jobs (batch/v1, <c>completionMode: Indexed</c>), one Job per stage: pod i runs
/// cell i of the stage (<c>$JOB_COMPLETION_INDEX</c>). Kubernetes has no <c>afterok</c> between Jobs, so the stages
/// are applied in order, each after the one before completes (<c>kubectl wait --for=condition=complete</c>); cells
/// already done in the store exit at once, so a whole stage can be reapplied after a failure.
/// </summary>
public sealed record KubernetesOptions(string Image, string ClaimName, string MountPath, int Parallelism = 8);

public static class KubernetesManifest
{
    /// <summary>The Job of one stage as YAML. The grid folder and the store must lie under the shared volume's mount path,
    /// which the pods mount at the same path (the grid records absolute paths).</summary>
    public static string Stage(GridFolder folder, GridSpec spec, GridStage stage, int cells, StageResources r, KubernetesOptions k)
    {
        CheckPaths(folder, spec, k);
        string name = GridCell.StageName(stage);
        string memory = r.MemoryMegabytes.ToString(CultureInfo.InvariantCulture) + "Mi";
        var limits = new Dictionary<string, object> { ["memory"] = memory };
        if (r.Gpus > 0) limits["nvidia.com/gpu"] = r.Gpus.ToString(CultureInfo.InvariantCulture);
        string run = $"exec amurochar grid run-cell --grid '{folder.Root}' --stage {name} --index \"$JOB_COMPLETION_INDEX\" --threads {r.Cpus}";
        var job = new Dictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new Dictionary<string, object>
            {
                ["name"] = $"amurochar-{name}",
                ["labels"] = new Dictionary<string, object> { ["app.kubernetes.io/name"] = "amurochar", ["amurochar/stage"] = name },
            },
            ["spec"] = new Dictionary<string, object>
            {
                ["completionMode"] = "Indexed",
                ["completions"] = cells,
                ["parallelism"] = Math.Min(cells, k.Parallelism),
                // Per-index retries: one failing cell neither fails nor restarts the others (batch/v1, Kubernetes 1.33+).
                ["backoffLimitPerIndex"] = 2,
                ["activeDeadlineSeconds"] = (long)r.TimeMinutes * 60 * Math.Max(1, (cells + k.Parallelism - 1) / k.Parallelism),
                ["template"] = new Dictionary<string, object>
                {
                    ["spec"] = new Dictionary<string, object>
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new List<object>
                        {
                            new Dictionary<string, object>
                            {
                                ["name"] = "cell",
                                ["image"] = k.Image,
                                ["command"] = new List<object> { "/bin/sh", "-c", run },
                                ["resources"] = new Dictionary<string, object>
                                {
                                    ["requests"] = new Dictionary<string, object> { ["cpu"] = r.Cpus.ToString(CultureInfo.InvariantCulture), ["memory"] = memory },
                                    ["limits"] = limits,
                                },
                                ["volumeMounts"] = new List<object> { new Dictionary<string, object> { ["name"] = "shared", ["mountPath"] = k.MountPath } },
                            },
                        },
                        ["volumes"] = new List<object>
                        {
                            new Dictionary<string, object>
                            {
                                ["name"] = "shared",
                                ["persistentVolumeClaim"] = new Dictionary<string, object> { ["claimName"] = k.ClaimName },
                            },
                        },
                    },
                },
            },
        };
        // Quantities are strings in the API ("1", not 1): quote every string that would read back as another type.
        return new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(job);
    }

    /// <summary>Throws unless the grid folder and the store lie under the mount path.</summary>
    public static void CheckPaths(GridFolder folder, GridSpec spec, KubernetesOptions k)
    {
        foreach (var (what, path) in new[] { ("grid folder", folder.Root), ("store", spec.Store) })
            if (!Path.GetFullPath(path).StartsWith(Path.GetFullPath(k.MountPath).TrimEnd('/') + "/", StringComparison.Ordinal))
                throw new ArgumentException($"the {what} {path} is not under the shared volume's mount path {k.MountPath} (--k8s-mount), so pods could not reach it");
    }
}
