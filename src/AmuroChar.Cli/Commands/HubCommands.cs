using System.ComponentModel;
using System.Globalization;
using AmuroChar.Hub;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// Hub commands read HF_ENDPOINT, HF_TOKEN and the cache variables as huggingface_hub does. Results go to stdout
/// (one path per line, for scripts); progress and retries go to a live display on a terminal, else to stderr as
/// plain lines.
/// </summary>
class HubSettings : CommandSettings
{
    [CommandOption("--token <TOKEN>"), Description("Hub token (default: $HF_TOKEN, else the file `hf auth login` wrote).")]
    public string? Token { get; init; }

    [CommandOption("--cache-dir <DIR>"), Description("Hub cache (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).")]
    public string? CacheDir { get; init; }

    public HubClient Open() =>
        new(HubOptions.FromEnvironment(Environment.GetEnvironmentVariable, Token, CacheDir), line => Console.Error.WriteLine(line));

    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}

sealed class HubRevisionsCommand : AsyncCommand<HubRevisionsCommand.Settings>
{
    public sealed class Settings : HubSettings
    {
        [CommandArgument(0, "[REPO]"), Description("Model repository (default allenai/OLMo-1B-hf).")]
        public string Repo { get; init; } = "allenai/OLMo-1B-hf";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellation)
    {
        using var client = s.Open();
        var revisions = await client.ListRevisionsAsync(HubRepo.Model(s.Repo), cancellation);
        if (HubSettings.Interactive)
        {
            var table = new Table().AddColumns("revision", "step", "tokens", "commit");
            foreach (var r in revisions)
                table.AddRow(Markup.Escape(r.Name), Format(r.Step), r.Tokens is { } t ? $"{t / 1e9:N0}B" : "", r.Commit[..12]);
            AnsiConsole.Write(table);
            Console.WriteLine($"{revisions.Count} revisions of {s.Repo}");
        }
        else
        {
            // Tab-separated for scripts: name, step, tokens (a count, not "4B"), full commit sha.
            // A name with a tab, newline or other control character would break the lines scripts split: it is
            // printed with those characters escaped (\t, \n, \uXXXX), and so can't be mistaken for a real one.
            foreach (var r in revisions) Console.WriteLine($"{Escape(r.Name)}\t{Format(r.Step)}\t{Format(r.Tokens)}\t{Escape(r.Commit)}");
        }
        return 0;
    }

    static string Format(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";

    internal static string Escape(string text) => string.Concat(text.Select(c => c switch
    {
        '\t' => "\\t", '\n' => "\\n", '\r' => "\\r", '\\' => "\\\\",
        _ when char.IsControl(c) => $"\\u{(int)c:X4}",
        _ => c.ToString(),
    }));
}

sealed class HubDownloadCommand : AsyncCommand<HubDownloadCommand.Settings>
{
    public sealed class Settings : HubSettings
    {
        [CommandArgument(0, "<REPO>"), Description("Model repository, e.g. allenai/OLMo-1B-hf.")]
        public string Repo { get; init; } = "";

        [CommandOption("--revision <R>"), Description("Branch, tag or commit (default main), e.g. step20000-tokens84B.")]
        public string Revision { get; init; } = "main";

        [CommandOption("--include <GLOB>"), Description("Only files matching this pattern (fnmatch, as huggingface_hub's allow_patterns); repeatable.")]
        public string[]? Include { get; init; }

        // Checked before any request: '../../x' used to be refused only after the files were downloaded, blaming the Hub.
        public override ValidationResult Validate() =>
            Revision.Length == 0 || Revision.StartsWith('/') || Revision.Contains('\\') || Revision.Any(char.IsControl)
            || Revision.Split('/').Any(p => p is "" or "." or "..")
                ? ValidationResult.Error($"--revision '{HubRevisionsCommand.Escape(Revision)}' is not a branch, tag or commit name (no '..' or empty segments, no leading '/', backslash or control characters)")
                : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellation)
    {
        using var client = s.Open();
        var snapshot = await HubProgressDisplay.Run(progress =>
            client.DownloadAsync(HubRepo.Model(s.Repo), s.Revision, s.Include, progress, cancellation));
        Console.Error.WriteLine($"{s.Repo} {s.Revision} (commit {snapshot.Commit}): {snapshot.Files.Count} files, " +
                                $"{snapshot.Downloaded} downloaded, {snapshot.Cached} already cached");
        Console.WriteLine(snapshot.Folder);
        return 0;
    }
}

sealed class HubDatasetCommand : AsyncCommand<HubDatasetCommand.Settings>
{
    public sealed class Settings : HubSettings
    {
        [CommandArgument(0, "<NAME>"), Description("Dataset repository, e.g. EdinburghNLP/xsum.")]
        public string Name { get; init; } = "";

        [CommandOption("--config <C>"), Description("Configuration (subset) name (default \"default\").")]
        public string Config { get; init; } = "default";

        [CommandOption("--split <S>"), Description("Split, e.g. train, validation, test.")]
        public string? Split { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Split) ? ValidationResult.Error("--split is required (e.g. --split test)") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellation)
    {
        using var client = s.Open();
        var snapshot = await HubProgressDisplay.Run(progress =>
            client.DownloadParquetAsync(s.Name, s.Config, s.Split!, progress, cancellation));
        Console.Error.WriteLine($"{s.Name} {s.Config}/{s.Split} (refs/convert/parquet, commit {snapshot.Commit}): " +
                                $"{snapshot.Files.Count} Parquet files, {snapshot.Downloaded} downloaded, {snapshot.Cached} already cached");
        foreach (string file in snapshot.Files) Console.WriteLine(Path.Combine(snapshot.Folder, HubCache.RelativePath(file)));
        return 0;
    }
}

/// <summary>A bar per file on a terminal; otherwise a line per file when it starts, every 10%, and when it ends.</summary>
sealed class HubProgressDisplay(Action<HubProgress> report) : IProgress<HubProgress>
{
    public void Report(HubProgress value) => report(value);

    public static Task<T> Run<T>(Func<IProgress<HubProgress>, Task<T>> work)
    {
        if (!HubSettings.Interactive) return work(Plain());
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                     new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                return work(new HubProgressDisplay(p =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(p.File, out var task))
                            tasks[p.File] = task = ctx.AddTask(Markup.Escape(p.File), maxValue: Math.Max(1, p.Total));
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Bytes;
                        if (p.State == HubFileState.Cached) task.Description = $"{Markup.Escape(p.File)} [grey](cached)[/]";
                        if (p.State != HubFileState.Downloading) task.StopTask();
                    }
                }));
            });
    }

    static HubProgressDisplay Plain()
    {
        var lastDecile = new Dictionary<string, long>();
        return new HubProgressDisplay(p =>
        {
            lock (lastDecile)
            {
                string size = Size(p.Total);
                if (p.State == HubFileState.Cached) Console.Error.WriteLine($"{p.File}: cached ({size})");
                else if (p.State == HubFileState.Completed) Console.Error.WriteLine($"{p.File}: done ({size}, verified)");
                else
                {
                    long decile = p.Total == 0 ? 10 : p.Bytes * 10 / p.Total;
                    if (lastDecile.TryGetValue(p.File, out long last) && decile <= last) return;
                    lastDecile[p.File] = decile;
                    Console.Error.WriteLine($"{p.File}: {decile * 10}% of {size}");
                }
            }
        });
    }

    static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
