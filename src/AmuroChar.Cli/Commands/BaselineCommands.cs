using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Baselines;
using AmuroChar.Model;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// <c>amurochar baselines diff [GIT_REF]</c>: the metrics that differ between the baselines committed at a git ref
/// (HEAD by default) and the working tree's (each received file in place of its baseline), as a Markdown table.
/// </summary>
sealed class BaselinesDiffCommand : Command<BaselinesDiffCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[GIT_REF]"), Description("The version to compare against (default: HEAD).")]
        public string Ref { get; init; } = "HEAD";

        [CommandOption("--root <DIR>"), Description("The baselines folder (default: baselines/ of the repository); it must be inside a git work tree.")]
        public string? Root { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        string root = Path.GetFullPath(s.Root ?? Path.Combine(RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("not inside the AmuroChar repository; pass --root"), "baselines"));
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"baselines folder {root} does not exist");
        if (s.Ref.StartsWith('-')) throw new ArgumentException($"'{s.Ref}' is not a git ref");
        string top = Git(root, "rev-parse", "--show-toplevel").Trim();
        string prefix = Path.GetRelativePath(top, root).Replace('\\', '/');
        Git(root, "rev-parse", "--verify", "--quiet", s.Ref + "^{commit}");

        // The old side: every file under the folder at the ref.
        // From the top of the work tree: ls-tree takes its pathspec, and prints its paths, relative to where it runs.
        var oldFiles = Git(top, "ls-tree", "-r", "--name-only", s.Ref, "--", prefix)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.GetRelativePath(prefix, p).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        string? OldText(string relative) => oldFiles.Contains(relative) ? Git(root, "show", $"{s.Ref}:{prefix}/{relative}") : null;

        // The new side: the working tree's baselines, received files in their place.
        var newFiles = Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Select(p => p.EndsWith(Snapshot.ReceivedSuffix, StringComparison.Ordinal) ? p[..^Snapshot.ReceivedSuffix.Length] + Snapshot.VerifiedSuffix : p)
            .ToHashSet(StringComparer.Ordinal);
        // A baseline is <scale>/<finding>/<checkpoint>.json; platform files and READMEs are not.
        bool IsBaseline(string relative) => relative.Count(c => c == '/') == 2 && relative.EndsWith(Snapshot.VerifiedSuffix, StringComparison.Ordinal)
            && !relative.EndsWith(Snapshot.ReceivedSuffix, StringComparison.Ordinal) && Path.GetFileName(relative) is not BaselinePlatform.FileName;

        var rules = new Dictionary<string, BaselineDiff.ScaleRule>(StringComparer.Ordinal);
        BaselineDiff.ScaleRule RuleOf(string scale)
        {
            if (rules.TryGetValue(scale, out var known)) return known;
            string folder = Path.Combine(root, scale);
            var old = OldText($"{scale}/{BaselinePlatform.FileName}") is { } text ? BaselinePlatform.Parse(text, $"{s.Ref}:{prefix}/{scale}/{BaselinePlatform.FileName}") : null;
            var current = BaselinePlatform.ReadFile(Path.Combine(folder, BaselinePlatform.ReceivedFileName)) ?? BaselinePlatform.Read(folder);
            var (rule, why) = current is null ? (ToleranceRule.Default, "no platform recorded for the new numbers: one CI half-width")
                : BaselinePlatform.RuleFor(old, current);
            return rules[scale] = new BaselineDiff.ScaleRule($"{prefix}/{scale}", rule, why);
        }

        var pairs = new List<BaselineDiff.FilePair>();
        foreach (string relative in oldFiles.Union(newFiles).Where(IsBaseline).Order(StringComparer.Ordinal))
        {
            string scale = relative.Split('/')[0];
            var old = OldText(relative) is { } text ? BaselineFile.ParseBaseline(text, $"{s.Ref}:{prefix}/{relative}") : null;
            string verified = Path.Combine(root, relative), received = verified[..^Snapshot.VerifiedSuffix.Length] + Snapshot.ReceivedSuffix;
            var current = File.Exists(received) ? BaselineFile.ReadBaseline(received) : File.Exists(verified) ? BaselineFile.ReadBaseline(verified) : null;
            pairs.Add(new(relative, old, current, RuleOf(scale).Rule));
        }
        var changes = BaselineDiff.Changes(pairs);
        Console.Write(BaselineDiff.Render(s.Ref, "working tree (received files in place of their baselines)", rules.Values.ToList(), changes, pairs.Count));
        return 0;
    }

    /// <summary>Runs git in <paramref name="directory"/>; its own message becomes the error when it fails.</summary>
    static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start) ?? throw new InvalidOperationException("git did not start"); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"baselines diff needs git on PATH ({e.Message})", e); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new ArgumentException($"git {string.Join(' ', args)} (in {directory}) failed: {(stderr.Trim() is { Length: > 0 } m ? m : $"exit {process.ExitCode}")}");
            return stdout.Result;
        }
    }
}

/// <summary><c>amurochar fingerprint</c>: this machine's numeric fingerprint, per kernel family, as JSON.</summary>
sealed class FingerprintCommand : Command<FingerprintCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--threads <N>"), Description("CPU threads (the tiny study uses 2).")]
        public int Threads { get; init; } = 2;

        [CommandOption("--no-cache"), Description("Measure again instead of reading this machine's cached fingerprint.")]
        public bool NoCache { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        TorchRuntime.SetThreads(s.Threads);
        var p = s.NoCache ? NumericPlatform.Measure(TorchSharp.torch.CPU, cacheDirectory: null) : NumericPlatform.Current;
        var o = new JsonObject
        {
            ["fingerprint"] = p.Fingerprint.Digest,
            ["families"] = new JsonObject(p.Fingerprint.Families.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
            ["machine"] = p.Cpu, ["numerics"] = p.Numerics, ["threads"] = p.Threads, ["torch"] = p.Torch, ["device"] = p.Device,
            ["workload"] = NumericFingerprint.WorkloadVersion,
        };
        Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
