using System.Diagnostics;

namespace AmuroChar.Grid;

/// <summary>
/// The Slurm commands the grid uses, run as processes: sbatch (arrays with afterok dependencies), squeue (what is
/// pending or running), sacct (how finished tasks ended, where accounting is enabled), scancel.
/// </summary>
public static class Slurm
{
    /// <summary>Null when the Slurm client commands are on PATH and the controller answers; else why not.</summary>
    public static string? Unavailable()
    {
        try
        {
            var (code, output, error) = Run("scontrol", ["ping"]);
            if (code == 0 && output.Contains("is UP", StringComparison.Ordinal)) return null;
            return $"the Slurm controller does not answer `scontrol ping`: {(output + error).Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "the Slurm commands (sbatch, squeue, scontrol) are not installed or not on PATH";
        }
    }

    /// <summary>Submits a batch script; returns the job id.</summary>
    public static string Submit(string script, IReadOnlyList<string> dependsOn)
    {
        var args = new List<string> { "--parsable" };
        if (dependsOn.Count > 0) args.Add("--dependency=afterok:" + string.Join(":", dependsOn));
        args.Add(script);
        var (code, output, error) = Run("sbatch", args);
        if (code != 0) throw new InvalidOperationException($"sbatch {script} failed (exit {code}): {error.Trim()}");
        return JobId(output, script);
    }

    /// <summary>The id in sbatch --parsable's answer ("&lt;id&gt;" or "&lt;id&gt;;&lt;cluster&gt;"): digits only, since it goes
    /// into later jobs' --dependency and into squeue; anything else (a site's wrapper printing a banner, say) is an
    /// error quoting the answer, not an id.</summary>
    internal static string JobId(string output, string script)
    {
        string id = output.Trim().Split(';')[0].Trim();
        return id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit) ? id
            : throw new InvalidOperationException($"sbatch {script} answered '{output.Trim()}', which is not a job id (expected digits, as --parsable prints them)");
    }

    public sealed record TaskState(string State, string Reason);

    /// <summary>Pending and running tasks of these jobs, keyed "jobid_index" (arrays expanded with -r).</summary>
    public static IReadOnlyDictionary<string, TaskState> Queue(IEnumerable<string> jobIds)
    {
        var ids = jobIds.Distinct().ToList();
        var states = new Dictionary<string, TaskState>();
        if (ids.Count == 0) return states;
        var (code, output, error) = Run("squeue", ["-h", "-r", "-j", string.Join(",", ids), "-o", "%i|%T|%r"]);
        // squeue exits 1 with "Invalid job id" once every listed job has left the queue and its record expired.
        if (code != 0 && !error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"squeue failed (exit {code}): {error.Trim()}");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (line.Split('|') is [var id, var state, var reason]) states[id] = new TaskState(state, reason);
        return states;
    }

    /// <summary>How finished tasks ended (COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY…) from sacct; empty where
    /// the cluster keeps no accounting (then the grid relies on the store and squeue alone).</summary>
    public static IReadOnlyDictionary<string, string> Accounting(IEnumerable<string> jobIds)
    {
        var ids = jobIds.Distinct().ToList();
        var states = new Dictionary<string, string>();
        if (ids.Count == 0) return states;
        try
        {
            var (code, output, _) = Run("sacct", ["-n", "-P", "-X", "-j", string.Join(",", ids), "-o", "JobID,State"]);
            if (code != 0) return states;
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (line.Split('|') is [var id, var state]) states[id] = state.Split(' ')[0];
        }
        catch (System.ComponentModel.Win32Exception) { }
        return states;
    }

    public static void Cancel(IEnumerable<string> jobIds)
    {
        var ids = jobIds.Distinct().ToList();
        if (ids.Count == 0) return;
        var (code, _, error) = Run("scancel", ids);
        if (code != 0) throw new InvalidOperationException($"scancel {string.Join(" ", ids)} failed (exit {code}): {error.Trim()}");
    }

    /// <summary>"0-3,7,9-10": Slurm's --array syntax for a set of indices.</summary>
    public static string ArraySpec(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    static (int Code, string Output, string Error) Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }
}
