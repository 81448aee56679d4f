namespace AmuroChar.Results;

/// <summary>Settings of a <see cref="ResultStore"/>.</summary>
public sealed record ResultStoreOptions
{
    /// <summary>
    /// Files up to this size are hashed whole in a directory entry's manifest; bigger ones only by their first and
    /// last MiB (plus their exact size). 256 MiB covers every model of the tiny presets; paper-scale checkpoints are
    /// then verified in milliseconds instead of seconds on each read.
    /// </summary>
    public long FullHashLimitBytes { get; init; } = 256L << 20;

    /// <summary>Check file hashes when reading an entry (sizes, names, key and marker are always checked).</summary>
    public bool VerifyHashes { get; init; } = true;

    /// <summary>Give up waiting for another process's lock after this long (null: wait; training can take hours).</summary>
    public TimeSpan? LockTimeout { get; init; }

    /// <summary>Say that we are waiting for another process's lock once the wait has lasted this long.</summary>
    public TimeSpan LockWaitNotice { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Files an entry of a key must hold besides what its manifest lists (e.g. every checkpoint a pre-training
    /// key promises), checked when sealing, reading and listing; null: none beyond what callers pass.</summary>
    public Func<ResultKey, IEnumerable<string>>? RequiredFiles { get; init; }

    /// <summary>Receives what the store noticed: damaged entries (and why) before recomputing them, removals, waits
    /// for another's lock. By default each is one line on stderr, so no repair is silent; null: not reported.</summary>
    public Action<StoreEvent>? Log { get; init; } = StoreEvent.WriteToStandardError;
}

public enum StoreEventKind { InvalidEntry, Removed, WaitingForLock }

/// <summary>Something the store noticed, e.g. (InvalidEntry, ".../model-dir", "truncated model.safetensors; recomputing").</summary>
public sealed record StoreEvent(StoreEventKind Kind, string Path, string Message)
{
    public override string ToString() => $"{Kind}: {Path}: {Message}";

    /// <summary>"store: entry pretrain 3f2a… is damaged (truncated model.safetensors); recomputing (/path)".</summary>
    public static void WriteToStandardError(StoreEvent e) => Console.Error.WriteLine($"store: {e.Message} ({e.Path})");
}

public enum StoreEntryType
{
    /// <summary>A JSON result: <c>&lt;kind&gt;/&lt;hh&gt;/&lt;hash&gt;.json</c>.</summary>
    Json,
    /// <summary>A directory artifact (a model): <c>&lt;kind&gt;/&lt;hh&gt;/&lt;hash&gt;/</c>.</summary>
    Directory,
    /// <summary>A directory being produced or discarded (<c>.tmp/</c>), or a half-written JSON file.</summary>
    Temporary,
    /// <summary>Anything else found in the store.</summary>
    Foreign,
}

public enum StoreEntryStatus
{
    Valid,
    /// <summary>Corrupt, foreign, or a temporary left by a dead process; <see cref="ResultStore.Prune"/> removes it.</summary>
    Invalid,
    /// <summary>A temporary whose producer is alive (holds the key's lock).</summary>
    InProgress,
}

/// <summary>One item of the store as <see cref="ResultStore.List"/> sees it.</summary>
/// <param name="Key">The stored key components, when they could be read (also for some invalid entries).</param>
/// <param name="Reason">Why the item is invalid or in progress; null when valid.</param>
/// <param name="Created">When the entry was completed (its marker or file time).</param>
public sealed record StoreEntryInfo(
    string Path, StoreEntryType Type, StoreEntryStatus Status, string? Reason,
    string? Kind, string? Hash, ResultKey? Key, long SizeBytes, DateTimeOffset Created);

/// <summary>
/// What <see cref="ResultStore.Prune"/> removes besides invalid entries and stale temporaries (always removed):
/// everything (<see cref="All"/>), or the valid entries matching both <see cref="Kinds"/> and <see cref="OlderThan"/>
/// where at least one of them is given. Nothing else is removed.
/// </summary>
public sealed record PruneOptions
{
    public bool All { get; init; }
    public IReadOnlyCollection<string>? Kinds { get; init; }
    public DateTimeOffset? OlderThan { get; init; }
    /// <summary>Says why a valid entry's key can no longer be reached (made by other code), or null: such entries are
    /// removed too. The store itself doesn't know what "current" means; the caller does (Study.CodeVersion).</summary>
    public Func<ResultKey, string?>? Stale { get; init; }
    /// <summary>Report what would be removed without removing it.</summary>
    public bool DryRun { get; init; }
    /// <summary>Check file hashes when deciding validity (slower on big stores; sizes are always checked).</summary>
    public bool VerifyHashes { get; init; } = true;
}

public sealed record PruneResult(IReadOnlyList<StoreEntryInfo> Removed, long BytesFreed);
