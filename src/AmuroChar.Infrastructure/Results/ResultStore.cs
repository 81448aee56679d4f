using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Results;

/// <summary>
/// A content-addressed cache of everything this project computes: trained models (directories) and evaluation
/// results (JSON), each stored under the hash of the <see cref="ResultKey"/> that produced it, written atomically,
/// verified on every read, and recomputed (never trusted) when verification fails.
/// </summary>
/// <remarks>
/// Layout under <see cref="Root"/>:
/// <code>
/// &lt;kind&gt;/&lt;hh&gt;/&lt;hash&gt;/          directory entry: the produced files + key.json, manifest.json, .complete
/// &lt;kind&gt;/&lt;hh&gt;/&lt;hash&gt;.json      JSON entry: {"key": {...}, "created_utc": ..., "value": ..., "sha256": ...}
/// .tmp/&lt;hash&gt;.&lt;lock&gt;.&lt;pid&gt;.&lt;guid&gt;  directories being produced or discarded (same file system, so the final rename is atomic)
/// .work/&lt;hash&gt;/                      a producer's resumable work (pre-training), private to this store and key
/// .locks/&lt;hh&gt;/&lt;hash&gt;.&lt;lock&gt;.lock    per-key OS lock files (&lt;lock&gt; is "dir" or "json")
/// .amurochar-store                       marks the folder as a store (a non-empty folder without it is refused)
/// </code>
/// (hh = the first two hex digits of the hash, to keep folders small.) Producing an entry holds the key's lock, so a
/// second process asking for the same key waits and then reuses the result. Readers take no lock: entries appear by
/// an atomic rename and are never modified in place. A producer must not ask the store for its own key (deadlock).
/// </remarks>
public sealed partial class ResultStore
{
    public string Root { get; }
    public ResultStoreOptions Options { get; }
    readonly KeyLocks locks;

    const string TempFolder = ".tmp", WorkFolder = ".work", LocksFolder = ".locks", StoreMarker = ".amurochar-store";
    const string DirLock = "dir", JsonLock = "json";

    /// <summary>Opens (creating if needed) the store at <paramref name="root"/>. Nothing is removed here: leftovers
    /// of dead processes are removed under their key's lock when the key is produced again, or by <see cref="Prune"/>.</summary>
    /// <exception cref="InvalidOperationException">The root is a non-empty folder that is not a store.</exception>
    /// <exception cref="StoreNotWritableException">A new store can't be created there.</exception>
    public ResultStore(string root, ResultStoreOptions? options = null) : this(root, options, create: true) { }

    ResultStore(string root, ResultStoreOptions? options, bool create)
    {
        Root = Path.GetFullPath(root);
        Options = options ?? new ResultStoreOptions();
        if (create) StoreNotWritableException.Wrap(Root, ClaimRoot);
        else if (!Directory.Exists(Root)) throw new DirectoryNotFoundException($"no result store at '{Root}' (the folder does not exist)");
        else if (!File.Exists(Path.Combine(Root, StoreMarker)))
            throw new InvalidOperationException($"'{Root}' is not a result store (it has no {StoreMarker} file)");
        locks = new KeyLocks(Path.Combine(Root, LocksFolder));
    }

    /// <summary>Opens an existing store without creating or changing anything (for listing it, even read-only).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (a mistyped path is not made a store).</exception>
    /// <exception cref="InvalidOperationException">The folder is not a store.</exception>
    public static ResultStore OpenExisting(string root, ResultStoreOptions? options = null) => new(root, options, create: false);

    /// <summary>
    /// Prune deletes whatever it does not recognize, so a store only opens a folder that is new, empty, or marked as a
    /// store by <c>.amurochar-store</c>: a mistyped $AMUROCHAR_STORE pointing at someone's files is refused, not pruned.
    /// </summary>
    void ClaimRoot()
    {
        string marker = Path.Combine(Root, StoreMarker);
        if (File.Exists(marker)) return;
        // Another process may be claiming the same new root right now: its marker's temporary does not count.
        if (Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root)
                .Any(p => !Path.GetFileName(p).StartsWith("." + StoreMarker, StringComparison.Ordinal)))
            throw new InvalidOperationException(
                $"'{Root}' is not empty and not a result store (it has no {StoreMarker} file); refusing to use it as one.");
        AtomicFile.WriteAllText(marker, $"AmuroChar result store, format {EntryManifest.Format}\n");
    }

    /// <summary>The store at <see cref="DefaultRoot"/>.</summary>
    public static ResultStore Default(ResultStoreOptions? options = null) => new(DefaultRoot(), options);

    /// <summary>
    /// $AMUROCHAR_STORE if set; else <c>&lt;repo&gt;/.amurochar/store</c> when the current directory or the program
    /// is inside the repository (a folder with AmuroChar.sln); else <c>$XDG_CACHE_HOME/amurochar/store</c>, by default
    /// <c>~/.cache/amurochar/store</c>.
    /// </summary>
    public static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("AMUROCHAR_STORE") is { Length: > 0 } fromEnv) return Path.GetFullPath(fromEnv);
        if (RepositoryRoot.Find() is { } repo)
            return Path.Combine(repo, ".amurochar", "store");
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(UserHome.Folder("AMUROCHAR_STORE or XDG_CACHE_HOME"), ".cache");
        return Path.Combine(cache, "amurochar", "store");
    }

    /// <summary>Where the directory entry of <paramref name="key"/> lives (whether or not it exists).</summary>
    public string DirectoryPath(ResultKey key) => Path.Combine(Root, key.Kind, key.Hash[..2], key.Hash);

    /// <summary>
    /// A folder for a producer's resumable work on <paramref name="key"/> (pre-training saves its checkpoints and
    /// optimizer state there, so a killed run continues). It lies inside this store, is named by the key's hash and is
    /// only to be used while producing that key, under its lock: no other store or key can pick it up. It is kept
    /// when production fails or is killed (so the next attempt resumes) and deleted once the entry is sealed.
    /// </summary>
    public string WorkDirectory(ResultKey key) => Path.Combine(Root, WorkFolder, key.Hash);

    /// <summary>Where the JSON entry of <paramref name="key"/> lives (whether or not it exists).</summary>
    public string JsonPath(ResultKey key) => DirectoryPath(key) + ".json";

    // ---- JSON results ----

    /// <summary>The stored value, if its entry exists and verifies; an invalid entry is reported and ignored.</summary>
    public bool TryGetJson<T>(ResultKey key, [MaybeNullWhen(false)] out T value, JsonSerializerOptions? json = null)
    {
        var problem = ReadJson(key, out value, json);
        if (problem is not null && problem != Missing) Report(StoreEventKind.InvalidEntry, JsonPath(key), problem);
        return problem is null;
    }

    /// <summary>Stores <paramref name="value"/> (atomically replacing any entry of the key).</summary>
    public void PutJson<T>(ResultKey key, T value, JsonSerializerOptions? json = null, CancellationToken cancel = default)
    {
        using var held = Lock(key, JsonLock, cancel);
        StoreNotWritableException.Wrap(JsonPath(key), () => WriteJson(key, value, json));
    }

    /// <summary>The stored value, or <paramref name="compute"/>'s, stored first; computed once per key across processes.</summary>
    public T GetOrCreateJson<T>(ResultKey key, Func<T> compute, JsonSerializerOptions? json = null, CancellationToken cancel = default)
    {
        if (ReadJson(key, out T? value, json) is null) return value!;
        using var held = Lock(key, JsonLock, cancel);
        RemoveLeftovers(key, JsonLock);
        var problem = ReadJson(key, out value, json);   // another process may have finished it while we waited
        if (problem is null) return value!;
        if (problem != Missing) Report(StoreEventKind.InvalidEntry, JsonPath(key), Damaged(key, problem));
        value = compute();
        StoreNotWritableException.Wrap(JsonPath(key), () => WriteJson(key, value, json));
        return value;
    }

    const string Missing = "missing";

    string? ReadJson<T>(ResultKey key, out T? value, JsonSerializerOptions? json)
    {
        value = default;
        string path = JsonPath(key);
        if (!File.Exists(path)) return Directory.Exists(path) ? "a folder where the JSON entry should be" : Missing;
        var problem = CheckJsonFile(path, key.Hash, key, out _, out var valueNode);
        if (problem is not null) return problem;
        try { value = valueNode.Deserialize<T>(json); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        { return $"value does not deserialize as {typeof(T).Name} ({e.Message})"; }
        return null;
    }

    void WriteJson<T>(ResultKey key, T value, JsonSerializerOptions? json)
    {
        string path = JsonPath(key);
        if (Directory.Exists(path)) Discard(path, key.Hash, JsonLock);
        string canonicalValue = CanonicalJson.Serialize(JsonSerializer.SerializeToNode(value, json), normalizeNumbers: false);
        var document = new JsonObject
        {
            ["key"] = JsonNode.Parse(key.Canonical),
            ["created_utc"] = DateTimeOffset.UtcNow.ToString("O"),
            ["value"] = JsonNode.Parse(canonicalValue),
            ["sha256"] = CanonicalJson.Sha256Hex(canonicalValue),
        };
        AtomicFile.WriteAllText(path, document.ToJsonString(CanonicalJson.Indented));
    }

    /// <summary>Null if the file is a valid JSON entry for the hash (and the requested key, if given), else why not.</summary>
    static string? CheckJsonFile(string path, string hash, ResultKey? requested, out ResultKey? stored, out JsonNode? value)
    {
        stored = null;
        value = null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject obj || !obj.ContainsKey("value")
                || obj["sha256"] is not JsonValue sha || sha.GetValueKind() != JsonValueKind.String)
                return "not a result document (needs key, value, sha256)";
            stored = ResultKey.FromJson(obj["key"]);
            if (KeyProblem(stored, hash, requested) is { } keyProblem) return keyProblem;
            value = obj["value"];
            if (CanonicalJson.Sha256Hex(CanonicalJson.Serialize(value, normalizeNumbers: false)) != sha.GetValue<string>())
                return "value does not match its sha256 (edited or corrupted)";
            return null;
        }
        catch (Exception e) when (IsMalformedJson(e)) { return $"unparseable JSON, truncated or edited ({e.Message})"; }
    }

    /// <summary>What System.Text.Json throws for bad input: syntax errors, and duplicate keys when a JsonObject is read.</summary>
    static bool IsMalformedJson(Exception e) => e is JsonException or FormatException or ArgumentException or InvalidOperationException;

    static string? KeyProblem(ResultKey stored, string hash, ResultKey? requested) =>
        requested is not null && !stored.Equals(requested) ? $"key mismatch: stored {stored.Describe()}"
        : stored.Hash != hash ? "key mismatch: the stored components do not hash to the entry's name"
        : null;

    // ---- directory artifacts ----

    /// <summary>The entry's directory if it exists and verifies (and holds every <paramref name="required"/> file),
    /// else null (an invalid entry is reported).</summary>
    public string? TryGetDirectory(ResultKey key, IReadOnlyCollection<string>? required = null)
    {
        string path = DirectoryPath(key);
        if (!Directory.Exists(path)) return null;
        if (CheckDirectory(path, key.Hash, key, Options.VerifyHashes, out _, required) is not { } problem) return path;
        Report(StoreEventKind.InvalidEntry, path, $"entry {key.Kind} {key.Hash[..12]} is damaged ({problem})");
        return null;
    }

    /// <summary>
    /// The entry's directory; if it is missing or invalid, runs <paramref name="produce"/> into an empty temporary
    /// directory, adds key.json, the manifest and (last) the completion marker, and renames it into place. Produced
    /// once per key across threads and processes: a concurrent caller waits and reuses the result. If
    /// <paramref name="produce"/> throws, nothing is stored. The returned directory must be treated as read-only.
    /// </summary>
    /// <param name="required">Files (relative, '/'-separated) the entry promises, e.g. every checkpoint of a
    /// pre-training run: checked when the entry is sealed (a producer that did not write one fails and nothing is
    /// stored) and whenever it is read (an entry without one is damaged and recomputed).</param>
    public string GetOrCreateDirectory(ResultKey key, Action<string> produce, CancellationToken cancel = default,
        IReadOnlyCollection<string>? required = null)
    {
        string final = DirectoryPath(key);
        if (Directory.Exists(final) && CheckDirectory(final, key.Hash, key, Options.VerifyHashes, out _, required) is null)
        {
            if (Directory.Exists(WorkDirectory(key))) RemoveSealedWork(key, cancel);
            return final;
        }

        using var held = Lock(key, DirLock, cancel);
        return StoreNotWritableException.Wrap(final, () =>
        {
            RemoveLeftovers(key, DirLock);
            if (Directory.Exists(final))
            {
                if (CheckDirectory(final, key.Hash, key, Options.VerifyHashes, out _, required) is not { } problem)
                {
                    if (Directory.Exists(WorkDirectory(key))) DeleteTree(WorkDirectory(key));
                    return final;
                }
                Report(StoreEventKind.InvalidEntry, final, Damaged(key, problem));
                Discard(final, key.Hash, DirLock);
            }
            else if (File.Exists(final))
            {
                Report(StoreEventKind.InvalidEntry, final, Damaged(key, "a file where the directory entry should be"));
                File.Delete(final);
            }
            return Produce(key, produce, final, required);
        }, accessDenied: false);
    }

    /// <summary>A producer killed between sealing its entry and deleting its resumable work leaves that work behind;
    /// the entry is valid, so the work is garbage: the next reader removes it, under the key's lock. Best effort: a
    /// reader of a store it can't write (read-only media) still gets its entry, and `store prune` clears the rest.</summary>
    void RemoveSealedWork(ResultKey key, CancellationToken cancel)
    {
        try
        {
            using var held = Lock(key, DirLock, cancel);
            if (Directory.Exists(WorkDirectory(key))) DeleteTree(WorkDirectory(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreNotWritableException) { }
    }

    string Produce(ResultKey key, Action<string> produce, string final, IReadOnlyCollection<string>? required)
    {
        string temp = NewTemporary(key.Hash, DirLock);
        try
        {
            Directory.CreateDirectory(temp);
            produce(temp);
            foreach (string reserved in new[] { EntryManifest.KeyFileName, EntryManifest.FileName, EntryManifest.MarkerFileName })
                if (Path.Exists(Path.Combine(temp, reserved)))
                    throw new InvalidOperationException($"The producer of {key} wrote '{reserved}', a name the store reserves.");
            if (MissingRequired(temp, key, required) is { } missing)
                throw new InvalidOperationException($"The producer of {key} did not write {missing}, which the entry promises; nothing was stored.");
            AtomicFile.WriteAllText(Path.Combine(temp, EntryManifest.KeyFileName), key.ToJson());
            AtomicFile.WriteAllText(Path.Combine(temp, EntryManifest.FileName), EntryManifest.Build(temp, Options.FullHashLimitBytes));
            AtomicFile.WriteAllText(Path.Combine(temp, EntryManifest.MarkerFileName), DateTimeOffset.UtcNow.ToString("O"));
            MoveIntoPlace(temp, final, key);
            // Sealed, still under the key's lock: the producer's resumable work is no longer needed.
            if (Directory.Exists(WorkDirectory(key))) DeleteTree(WorkDirectory(key));
            return final;
        }
        finally
        {
            if (Directory.Exists(temp)) DeleteTree(temp);
        }
    }

    /// <summary>The first promised file (given by the caller or by <see cref="ResultStoreOptions.RequiredFiles"/>)
    /// that <paramref name="dir"/> lacks, or null.</summary>
    string? MissingRequired(string dir, ResultKey key, IReadOnlyCollection<string>? required)
    {
        var all = (required ?? []).Concat(Options.RequiredFiles?.Invoke(key) ?? []);
        return all.FirstOrDefault(rel => !File.Exists(Path.Combine(dir, rel)));
    }

    /// <summary>
    /// Renames the finished temporary into place. The key lock makes a taken destination rare (it needs a writer that
    /// bypassed the lock, e.g. on another machine sharing the folder); then a valid entry there wins and ours is
    /// dropped, and an invalid one is discarded and the rename retried. Either way one valid entry remains.
    /// </summary>
    void MoveIntoPlace(string temp, string final, ResultKey key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Move(temp, final);
                return;
            }
            catch (IOException) when (attempt < 3 && Path.Exists(final))
            {
                if (Directory.Exists(final) && CheckDirectory(final, key.Hash, key, Options.VerifyHashes, out _) is null) return;
                Report(StoreEventKind.InvalidEntry, final, "invalid entry appeared while producing; replacing it");
                if (Directory.Exists(final)) Discard(final, key.Hash, DirLock);
                else File.Delete(final);
            }
        }
    }

    /// <summary>Null if <paramref name="dir"/> is a complete, verified entry for the hash (and key, if given), else why not.</summary>
    string? CheckDirectory(string dir, string hash, ResultKey? requested, bool hashes, out ResultKey? stored,
        IReadOnlyCollection<string>? required = null)
    {
        stored = null;
        if (!File.Exists(Path.Combine(dir, EntryManifest.MarkerFileName))) return "missing completion marker";
        string manifestPath = Path.Combine(dir, EntryManifest.FileName);
        if (!File.Exists(manifestPath)) return "missing manifest";
        string keyPath = Path.Combine(dir, EntryManifest.KeyFileName);
        if (!File.Exists(keyPath)) return "missing key.json";
        try { stored = ResultKey.FromJson(File.ReadAllText(keyPath)); }
        catch (Exception e) when (IsMalformedJson(e)) { return $"unreadable key.json ({e.Message})"; }
        return KeyProblem(stored, hash, requested) ?? EntryManifest.Verify(dir, File.ReadAllText(manifestPath), hashes)
            ?? (MissingRequired(dir, stored, required) is { } missing ? $"missing {missing}, which the entry promises" : null);
    }

    // ---- shared helpers ----

    IDisposable Lock(ResultKey key, string lockKind, CancellationToken cancel) =>
        locks.Acquire($"{key.Hash}.{lockKind}", Options.LockTimeout,
            () => Report(StoreEventKind.WaitingForLock, DirectoryPath(key),
                $"waiting for another process producing {key.Kind} {key.Hash[..12]} (it holds the key's lock)"),
            cancel, Options.LockWaitNotice);

    static string Damaged(ResultKey key, string problem) => $"entry {key.Kind} {key.Hash[..12]} is damaged ({problem}); recomputing";

    /// <summary>
    /// With the key's lock held, any temporary of that key belongs to a process that died holding it (the OS released
    /// the lock): remove it now rather than waiting for the next open or prune.
    /// </summary>
    void RemoveLeftovers(ResultKey key, string lockKind)
    {
        var (folder, pattern) = lockKind == DirLock
            ? (Path.Combine(Root, TempFolder), $"{key.Hash}.{DirLock}.*")
            : (Path.GetDirectoryName(JsonPath(key))!, $".{key.Hash}.json.tmp-*");
        if (!Directory.Exists(folder)) return;
        foreach (string leftover in Directory.GetFileSystemEntries(folder, pattern))
        {
            Report(StoreEventKind.Removed, leftover, "removed a leftover of a process that died");
            if (Directory.Exists(leftover)) DeleteTree(leftover);
            else File.Delete(leftover);
        }
    }

    string NewTemporary(string hash, string lockKind) =>
        Path.Combine(Root, TempFolder, $"{hash}.{lockKind}.{Environment.ProcessId}.{Guid.NewGuid():N}");

    /// <summary>Moves a directory out of sight atomically (into .tmp, under the key's lock), then deletes it.</summary>
    void Discard(string dir, string hash, string lockKind)
    {
        string trash = NewTemporary(hash, lockKind);
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        try { Directory.Move(dir, trash); }
        catch (IOException) { trash = dir; }   // e.g. a store spanning file systems: delete in place
        DeleteTree(trash);
        Report(StoreEventKind.Removed, dir, "removed the entry");
    }

    static void DeleteTree(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    void Report(StoreEventKind kind, string path, string message) => Options.Log?.Invoke(new StoreEvent(kind, path, message));
}
