namespace AmuroChar.Results;

public sealed partial class ResultStore
{
    /// <summary>
    /// Every item under the root (lock files aside): entries with their stored keys and validity, temporaries (in
    /// progress or stale), work folders, and foreign files or folders. Never throws for a bad item; it is listed as
    /// invalid. Listing writes nothing (no lock file is created), so a read-only store can be listed.
    /// </summary>
    public IEnumerable<StoreEntryInfo> List(bool verifyHashes = true)
    {
        foreach (string path in Candidates())
            if (Inspect(path, verifyHashes) is { } info) yield return info;
    }

    /// <summary>
    /// Removes invalid entries, foreign items and stale temporaries, plus the valid entries that
    /// <paramref name="options"/> selects. An item whose key lock is held (being produced) is left alone.
    /// </summary>
    /// <exception cref="StoreNotWritableException">The store can't be written (read-only, no permission), unless
    /// it is a dry run.</exception>
    public PruneResult Prune(PruneOptions? options = null)
    {
        options ??= new PruneOptions();
        if (!options.DryRun) ProbeWritable();
        // Removing valid entries under a running study took it down mid-phase (an entry it had made, gone when it read
        // it back): a selection waits for no study to hold the store, or says who does. Invalid items and leftovers
        // of dead processes are nobody's, so plain prune and dry runs go ahead.
        using var exclusive = SelectsValidEntries(options) && !options.DryRun
            ? locks.TryAcquire(StudyLease) ?? throw new StoreInUseException(Root)
            : null;
        var removed = new List<StoreEntryInfo>();
        foreach (var listed in List(options.VerifyHashes).ToList())
        {
            var info = StaleReason(listed, options) is { } stale ? listed with { Reason = stale } : listed;
            if (ShouldRemove(info, options) && (options.DryRun || Remove(info, options)))
                removed.Add(info);
        }
        return new PruneResult(removed, removed.Sum(r => r.SizeBytes));
    }

    /// <summary>
    /// Holds the store against <see cref="Prune"/>'s removal of valid entries until disposed (or the process ends): a
    /// study's inputs (pre-training checkpoints, fine-tuned models) are read back long after they were made. Any number
    /// of studies hold it at once; a prune with a selection in progress is waited for. Null for a store that can't be
    /// written (nothing can be pruned from it).
    /// </summary>
    public IDisposable? HoldForStudy(CancellationToken cancel = default) => locks.HoldShared(StudyLease, cancel);

    const string StudyLease = "study-lease";

    static bool SelectsValidEntries(PruneOptions o) => o.All || o.Kinds is not null || o.OlderThan is not null || o.Stale is not null;

    /// <summary>Fails before anything is listed as removed if a file can't be created and deleted in the root.</summary>
    void ProbeWritable()
    {
        string probe = Path.Combine(Root, $"{StoreMarker}.probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        StoreNotWritableException.Wrap(Root, () =>
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write)) { }
            File.Delete(probe);
        });
    }

    /// <summary>In .tmp and .work, prune removes only what the store named itself; a foreign item there is someone
    /// else's and stays.</summary>
    bool IsOwnFolderForeignItem(StoreEntryInfo info) =>
        info.Type == StoreEntryType.Foreign
        && Path.GetRelativePath(Root, info.Path).Split(Path.DirectorySeparatorChar) is [TempFolder or WorkFolder, _];

    static string? StaleReason(StoreEntryInfo info, PruneOptions o) =>
        info.Status == StoreEntryStatus.Valid && info.Key is { } key && o.Stale is { } stale ? stale(key) : null;

    bool ShouldRemove(StoreEntryInfo info, PruneOptions o) => info.Status switch
    {
        StoreEntryStatus.Invalid => !IsOwnFolderForeignItem(info),
        StoreEntryStatus.InProgress => false,
        _ => o.All || StaleReason(info, o) is not null || ((o.Kinds is not null || o.OlderThan is not null)
                       && (o.Kinds is null || (info.Kind is not null && o.Kinds.Contains(info.Kind)))
                       && (o.OlderThan is null || info.Created < o.OlderThan)),
    };

    bool Remove(StoreEntryInfo info, PruneOptions options)
    {
        try
        {
            string? lockName = info.Type switch
            {
                StoreEntryType.Directory => $"{info.Hash}.{DirLock}",
                StoreEntryType.Json => $"{info.Hash}.{JsonLock}",
                StoreEntryType.Temporary => TemporaryFolderLockName(Path.GetFileName(info.Path))
                                            ?? HalfWrittenJsonLockName(Path.GetFileName(info.Path))
                                            ?? WorkFolderLockName(info.Path),
                _ => null,
            };
            using var held = lockName is null ? null : locks.TryAcquire(lockName);
            if (lockName is not null && held is null) return false;   // someone is producing this key right now

            // Under the lock, look again: the entry may have been recomputed since it was listed. (A temporary needs
            // no second look: holding its key's lock proves its producer is gone.)
            if (info.Type is StoreEntryType.Directory or StoreEntryType.Json
                && (Inspect(info.Path, options.VerifyHashes) is not { } now || !ShouldRemove(now, options)))
                return false;

            StoreNotWritableException.Wrap(info.Path, () =>
            {
                if (info.Type == StoreEntryType.Directory) Discard(info.Path, info.Hash!, DirLock);
                else
                {
                    if (Directory.Exists(info.Path)) DeleteTree(info.Path);
                    else File.Delete(info.Path);
                    Report(StoreEventKind.Removed, info.Path, $"removed: {info.Reason ?? "selected"}");
                }
            });
            return true;
        }
        catch (IOException e)
        {
            Report(StoreEventKind.InvalidEntry, info.Path, $"could not remove ({e.Message})");
            return false;
        }
    }

    IEnumerable<string> Candidates()
    {
        foreach (string item in SafeEnumerate(Root))
        {
            string name = Path.GetFileName(item);
            bool isDir = Directory.Exists(item);
            if ((isDir && name == LocksFolder) || (!isDir && name == StoreMarker)) continue;
            if (isDir && name is TempFolder or WorkFolder)
            {
                foreach (string temp in SafeEnumerate(item)) yield return temp;
                continue;
            }
            if (!isDir || !ResultKey.IsValidKind(name)) { yield return item; continue; }
            foreach (string shard in SafeEnumerate(item))
            {
                if (!Directory.Exists(shard) || !IsShard(Path.GetFileName(shard))) { yield return shard; continue; }
                foreach (string entry in SafeEnumerate(shard)) yield return entry;
            }
        }
    }

    /// <summary>Classifies and verifies one item found by <see cref="Candidates"/>; null if it vanished meanwhile.</summary>
    StoreEntryInfo? Inspect(string path, bool hashes)
    {
        try
        {
            string[] rel = Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar);
            string name = rel[^1];
            bool isDir = Directory.Exists(path);
            if (!isDir && !File.Exists(path)) return null;
            long size = isDir ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
                              : new FileInfo(path).Length;
            var time = new DateTimeOffset(isDir ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path));
            StoreEntryInfo Info(StoreEntryType type, string? problem, string? kind = null, string? hash = null,
                                ResultKey? key = null, StoreEntryStatus? status = null) =>
                new(path, type, status ?? (problem is null ? StoreEntryStatus.Valid : StoreEntryStatus.Invalid), problem,
                    key?.Kind ?? kind, hash, key, size, time);

            if (rel.Length == 2 && rel[0] == TempFolder)
            {
                if (TemporaryFolderLockName(name) is not { } lockName)
                    return Info(StoreEntryType.Foreign, "foreign item in .tmp, not the store's; prune leaves it alone");
                return locks.IsHeldElsewhere(lockName)
                    ? Info(StoreEntryType.Temporary, "being produced", hash: name[..64], status: StoreEntryStatus.InProgress)
                    : Info(StoreEntryType.Temporary, $"left by a process that died (pid {name.Split('.')[2]})", hash: name[..64]);
            }
            if (rel.Length == 2 && rel[0] == WorkFolder)
            {
                if (!isDir || WorkFolderLockName(path) is not { } lockName)
                    return Info(StoreEntryType.Foreign, "foreign item in .work, not the store's; prune leaves it alone");
                // Resumable progress of an interrupted producer: kept (valid) so the next run continues from it.
                return locks.IsHeldElsewhere(lockName)
                    ? Info(StoreEntryType.Temporary, "work folder of a run in progress", hash: name, status: StoreEntryStatus.InProgress)
                    : Info(StoreEntryType.Temporary, null, hash: name);
            }
            if (rel.Length == 3 && ResultKey.IsValidKind(rel[0]) && IsShard(rel[1]))
            {
                string kind = rel[0];
                if (isDir && IsHash(name) && name.StartsWith(rel[1], StringComparison.Ordinal))
                {
                    var problem = CheckDirectory(path, name, null, hashes, out var stored);
                    string marker = Path.Combine(path, EntryManifest.MarkerFileName);
                    if (File.Exists(marker)) time = new DateTimeOffset(File.GetLastWriteTimeUtc(marker));   // completion time
                    return Info(StoreEntryType.Directory, problem ?? KindProblem(stored, kind), kind, name, stored);
                }
                if (!isDir && name.EndsWith(".json", StringComparison.Ordinal) && IsHash(name[..^5])
                    && name.StartsWith(rel[1], StringComparison.Ordinal))
                {
                    var problem = CheckJsonFile(path, name[..^5], null, out var stored, out _);
                    return Info(StoreEntryType.Json, problem ?? KindProblem(stored, kind), kind, name[..^5], stored);
                }
                if (!isDir && HalfWrittenJsonLockName(name) is { } lockName)
                {
                    return locks.IsHeldElsewhere(lockName)
                        ? Info(StoreEntryType.Temporary, "being written", kind, name[1..65], status: StoreEntryStatus.InProgress)
                        : Info(StoreEntryType.Temporary, "half-written file of a process that died", kind, name[1..65]);
                }
            }
            return Info(StoreEntryType.Foreign, "not a store entry");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new StoreEntryInfo(path, StoreEntryType.Foreign, StoreEntryStatus.Invalid, $"unreadable ({e.Message})",
                null, null, null, 0, DateTimeOffset.MinValue);
        }
    }

    static string? KindProblem(ResultKey? stored, string folderKind) =>
        stored is not null && stored.Kind != folderKind ? $"key mismatch: kind '{stored.Kind}' stored under '{folderKind}'" : null;

    /// <summary>The key lock of <c>.tmp/&lt;hash&gt;.&lt;lock&gt;.&lt;pid&gt;.&lt;guid&gt;</c> (a directory being produced or discarded).</summary>
    static string? TemporaryFolderLockName(string name) =>
        name.Split('.') is [var hash, var lockKind, var pid, _] && IsHash(hash) && lockKind is DirLock or JsonLock
        && int.TryParse(pid, out _) ? $"{hash}.{lockKind}" : null;

    /// <summary>The key lock of <c>&lt;kind&gt;/&lt;hh&gt;/.&lt;hash&gt;.json.tmp-…</c>, AtomicFile's half-written JSON entry.</summary>
    static string? HalfWrittenJsonLockName(string name) =>
        name.Length > 65 && name[0] == '.' && IsHash(name[1..65]) && name[65..].StartsWith(".json.tmp-", StringComparison.Ordinal)
            ? $"{name[1..65]}.{JsonLock}" : null;

    /// <summary>The key lock of <c>.work/&lt;hash&gt;</c>: the directory lock of the key being produced.</summary>
    static string? WorkFolderLockName(string path) =>
        Path.GetFileName(path) is var name && IsHash(name) && Path.GetFileName(Path.GetDirectoryName(path)) == WorkFolder
            ? $"{name}.{DirLock}" : null;

    static bool IsHash(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigitLower);
    static bool IsShard(string s) => s.Length == 2 && s.All(char.IsAsciiHexDigitLower);

    static IEnumerable<string> SafeEnumerate(string dir)
    {
        try { return Directory.GetFileSystemEntries(dir).Order(StringComparer.Ordinal); }
        catch (DirectoryNotFoundException) { return []; }
    }
}
