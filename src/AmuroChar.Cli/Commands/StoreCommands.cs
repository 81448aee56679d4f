using System.ComponentModel;
using AmuroChar.Baselines;
using AmuroChar.Results;
using AmuroChar.Study;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

class StoreSettings : CommandSettings
{
    [CommandOption("--store <DIR>"), Description("Result store (default: $AMUROCHAR_STORE, else .amurochar/store in the repository).")]
    public string? Store { get; init; }

    /// <summary>The existing store (a missing or mistyped path is an error, not a new store), checking that each
    /// pre-training entry holds every checkpoint it promises.</summary>
    public ResultStore Open() => ResultStore.OpenExisting(Store ?? ResultStore.DefaultRoot(), StoreRequirements.Options());
}

sealed class StoreListCommand : Command<StoreSettings>
{
    public override int Execute(CommandContext context, StoreSettings s, CancellationToken cancellation)
    {
        var store = s.Open();
        TableOutput.Write(["kind", "hash", "status", "size", "created", "key"], store.List().Select(e => (IReadOnlyList<string>)
            [e.Kind ?? "?", e.Hash?[..12] ?? "-", e.Status + (e.Reason is null ? "" : $": {e.Reason}"),
             $"{e.SizeBytes / 1024.0:N0} KiB", e.Created.ToString("yyyy-MM-dd HH:mm"), e.Key?.Describe() ?? e.Path]));
        // Piped, stdout holds only the table's lines; the footer goes beside the progress, on stderr.
        (Console.IsOutputRedirected ? Console.Error : Console.Out).WriteLine($"store: {store.Root}");
        return 0;
    }
}

sealed class StorePruneCommand : Command<StorePruneCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--all"), Description("Remove every entry, not only invalid ones and leftovers.")]
        public bool All { get; init; }

        [CommandOption("--kind <KIND>"), Description("Remove entries of this kind (pretrain, finetune, instruct, eval, tokenizer).")]
        public string[]? Kinds { get; init; }

        [CommandOption("--older-than <DAYS>"), Description("Remove entries older than this many days.")]
        public double? OlderThanDays { get; init; }

        [CommandOption("--stale"), Description("Also remove entries made by other code than this build (no current key reaches them).")]
        public bool Stale { get; init; }

        [CommandOption("--dry-run"), Description("List what would be removed.")]
        public bool DryRun { get; init; }

        // NaN compares false with every date and a negative age lies in the future: either would select every entry.
        public override ValidationResult Validate() =>
            OlderThanDays is { } d && !(double.IsFinite(d) && d >= 0)
                ? ValidationResult.Error($"--older-than must be a finite number of days ≥ 0, not {d.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
                : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var result = s.Open().Prune(new PruneOptions
        {
            All = s.All,
            Kinds = s.Kinds,
            // More days than the calendar holds (--older-than 1e308): no entry is that old, so the cut-off is its start.
            OlderThan = s.OlderThanDays is { } d
                ? d >= (DateTimeOffset.UtcNow - DateTimeOffset.MinValue).TotalDays ? DateTimeOffset.MinValue : DateTimeOffset.UtcNow.AddDays(-d)
                : null,
            DryRun = s.DryRun,
            Stale = s.Stale ? AmuroChar.Study.CodeVersion.Stale : null,
        });
        foreach (var e in result.Removed) Console.WriteLine($"{(s.DryRun ? "would remove" : "removed")} {e.Kind ?? e.Type.ToString()} {e.Path}{(e.Reason is null ? "" : $" ({e.Reason})")}");
        Console.WriteLine($"{result.Removed.Count} entries, {result.BytesFreed / 1048576.0:N1} MiB");
        return 0;
    }
}

sealed class BaselinesAcceptCommand : Command<BaselinesAcceptCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--root <DIR>"), Description("The baselines folder (default: baselines/ of the repository).")]
        public string? Root { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        string root = s.Root ?? Path.Combine(RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("not inside the AmuroChar repository; pass --root"), "baselines");
        var promoted = Snapshot.AcceptAll(root);
        foreach (var p in promoted) Console.WriteLine($"accepted {Path.GetRelativePath(Environment.CurrentDirectory, p)}");
        Console.WriteLine(promoted.Count == 0 ? "nothing to accept (no *.received.json)" : $"{promoted.Count} baselines accepted; review with git diff and commit them");
        return 0;
    }
}
