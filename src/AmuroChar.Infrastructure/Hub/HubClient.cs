using System.Text.Json;

namespace AmuroChar.Hub;

/// <summary>A revision's files in the cache: <see cref="Folder"/> is <c>snapshots/{commit}</c>.</summary>
public sealed record HubSnapshot(HubRepo Repo, string Revision, string Commit, string Folder, IReadOnlyList<string> Files,
                                 int Downloaded, int Cached);

/// <summary>
/// Lists a repository's revisions and downloads revisions (or a dataset's Parquet conversion) into the Hub cache,
/// the way huggingface_hub's <c>snapshot_download</c> does: resolve the revision to a commit, fetch every file at
/// that commit (so a branch that moves midway can't mix two versions), link it into <c>snapshots/{commit}</c>, and
/// record <c>refs/{revision}</c>. A file already in the snapshot costs no request; a blob already in the cache
/// (shared with another revision) costs one HEAD.
/// </summary>
public sealed class HubClient : IDisposable
{
    /// <summary>The branch where the Hub's dataset viewer publishes every dataset converted to Parquet.</summary>
    public const string ParquetRevision = "refs/convert/parquet";

    readonly HubHttp _http;

    public HubCache Cache { get; }

    /// <param name="log">Retries and resumptions, one line each.</param>
    /// <param name="handler">The HTTP handler; it must not follow redirects (tests pass their own).</param>
    public HubClient(HubOptions options, Action<string>? log = null, HttpMessageHandler? handler = null)
    {
        _http = new HubHttp(options, log, handler);
        Cache = new HubCache(options.CacheRoot);
    }

    /// <summary>The repository's branches (<c>GET /api/{models|datasets}/{repo}/refs</c>), <c>main</c> first, then by step.</summary>
    public async Task<IReadOnlyList<HubRevision>> ListRevisionsAsync(HubRepo repo, CancellationToken ct = default)
    {
        string relative = $"api/{repo.Kind}/{repo.Id}/refs";
        using var json = await GetJsonAsync(relative, new HubTarget(repo), ct).ConfigureAwait(false);
        var url = _http.Url(relative);
        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("branches", out var branches)
            || branches.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{url}: the answer has no \"branches\" list");
        var revisions = branches.EnumerateArray().Select(b => HubRevision.FromBranch(
            String(b, "name", url), String(b, "targetCommit", url)));
        return RevisionName.Sort(revisions);
    }

    /// <summary>The commit a revision points to and its files (<c>GET /api/{kind}/{repo}/revision/{revision}</c>).</summary>
    public async Task<(string Commit, IReadOnlyList<string> Files)> RevisionInfoAsync(HubRepo repo, string revision, CancellationToken ct = default)
    {
        string relative = $"api/{repo.Kind}/{repo.Id}/revision/{Uri.EscapeDataString(revision)}";
        using var json = await GetJsonAsync(relative, new HubTarget(repo, revision), ct).ConfigureAwait(false);
        var url = _http.Url(relative);
        string commit = String(json.RootElement, "sha", url);
        if (!json.RootElement.TryGetProperty("siblings", out var siblings) || siblings.ValueKind != JsonValueKind.Array)   // String checked it's an object
            throw new InvalidDataException($"{url}: the answer has no \"siblings\" list");
        return (commit, siblings.EnumerateArray().Select(s => String(s, "rfilename", url)).ToList());
    }

    /// <summary>Downloads a revision's files (those matching <paramref name="include"/>, or all) into the cache.</summary>
    public async Task<HubSnapshot> DownloadAsync(HubRepo repo, string revision, IReadOnlyList<string>? include = null,
                                                 IProgress<HubProgress>? progress = null, CancellationToken ct = default)
    {
        var (commit, all) = await RevisionInfoAsync(repo, revision, ct).ConfigureAwait(false);
        var files = RepoGlob.Filter(all, include);
        if (files.Count == 0)
            throw new HubException($"{new HubTarget(repo, revision)}: no file matches --include {string.Join(" ", include!)} " +
                                   $"(the revision has {all.Count}: {string.Join(", ", all.Take(10))}{(all.Count > 10 ? ", …" : "")})");
        return await DownloadFilesAsync(repo, revision, commit, files, progress, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads one split of a dataset as the Hub's Parquet conversion: <c>GET /api/datasets/{name}/parquet/{config}/{split}</c>
    /// lists its shards' URLs, each of which redirects to a file of the <c>refs/convert/parquet</c> branch
    /// (<c>{config}/{split}/0000.parquet</c>, …); those files are downloaded at that branch's commit.
    /// </summary>
    public async Task<HubSnapshot> DownloadParquetAsync(string dataset, string config, string split,
                                                        IProgress<HubProgress>? progress = null, CancellationToken ct = default)
    {
        var repo = HubRepo.Dataset(dataset);
        var target = new HubTarget(repo, ParquetRevision, $"{config}/{split}");
        string relative = $"api/datasets/{repo.Id}/parquet/{Uri.EscapeDataString(config)}/{Uri.EscapeDataString(split)}";
        var listUrl = _http.Url(relative);
        using var json = await GetJsonAsync(relative, target, ct).ConfigureAwait(false);
        if (json.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{listUrl}: expected a JSON list of Parquet URLs");
        var urls = json.RootElement.EnumerateArray().Select(u => u.GetString() is { } s && Uri.TryCreate(s, UriKind.Absolute, out var uri)
            ? uri : throw new InvalidDataException($"{listUrl}: '{u}' is not a URL")).ToList();
        if (urls.Count == 0) throw new HubException($"{target}: the Hub lists no Parquet files for this split");

        var paths = new List<string>();
        foreach (var url in urls) paths.Add(await ParquetPathAsync(repo, url, target, ct).ConfigureAwait(false));
        var (commit, _) = await RevisionInfoAsync(repo, ParquetRevision, ct).ConfigureAwait(false);
        return await DownloadFilesAsync(repo, ParquetRevision, commit, paths, progress, ct).ConfigureAwait(false);
    }

    /// <summary>The path in the repository behind a Parquet URL: a resolve URL names it; an API URL redirects to one.</summary>
    async Task<string> ParquetPathAsync(HubRepo repo, Uri url, HubTarget target, CancellationToken ct)
    {
        if (ResolvedPath(repo, url) is { } direct) return direct;
        // A GET, not a HEAD: redirects aren't followed, so only the 302's headers are read.
        using var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), target, ct).ConfigureAwait(false);
        var location = response.Headers.Location is { } l ? new Uri(url, l) : null;
        return location is not null && ResolvedPath(repo, location) is { } path ? path
            : throw new HubException($"{target}: {url} did not redirect to a file of the dataset (Location: {location?.ToString() ?? "none"})");
    }

    static string? ResolvedPath(HubRepo repo, Uri url)
    {
        string prefix = $"/{repo.ResolvePrefix}/resolve/";
        string path = url.AbsolutePath;
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = path[prefix.Length..].Split('/');   // revision (escaped, so slash-free), then the file's path
        return rest.Length < 2 ? null : string.Join('/', rest.Skip(1).Select(Uri.UnescapeDataString));
    }

    async Task<HubSnapshot> DownloadFilesAsync(HubRepo repo, string revision, string commit, IReadOnlyList<string> files,
                                               IProgress<HubProgress>? progress, CancellationToken ct)
    {
        int downloaded = 0, cached = 0;
        foreach (string path in files)
        {
            var target = new HubTarget(repo, revision, path);
            string pointer = Cache.SnapshotPath(repo, commit, path);
            // A link whose blob was deleted is still "a file" to File.Exists: it is downloaded again (the blob comes
            // back under the same name, so the link is whole again), not taken as cached.
            if (File.Exists(pointer) && (new FileInfo(pointer).LinkTarget is null || new FileInfo(pointer).ResolveLinkTarget(returnFinalTarget: true) is { Exists: true }))
            {
                cached++;
                using var handle = File.OpenHandle(pointer);   // the blob's length, not the link's
                long size = RandomAccess.GetLength(handle);
                progress?.Report(new HubProgress(path, HubFileState.Cached, size, size));
                continue;
            }
            var meta = await FileMetadata.HeadAsync(_http, repo, commit, path, target, ct).ConfigureAwait(false);
            if (meta.Commit != commit)
                throw new HubException($"{target}: the Hub answered for commit {meta.Commit}, not {commit}");
            string blob = Cache.BlobPath(repo, meta.Etag);
            bool fetch = !File.Exists(blob);
            if (fetch) await BlobDownload.RunAsync(_http, meta, blob, target, progress, ct).ConfigureAwait(false);
            Cache.Link(repo, commit, path, meta.Etag);
            if (fetch) downloaded++; else cached++;
            progress?.Report(new HubProgress(path, fetch ? HubFileState.Completed : HubFileState.Cached, meta.Size, meta.Size));
        }
        // The ref is written last: a reader that follows refs/{revision} finds every file of the snapshot.
        Cache.WriteRef(repo, revision, commit);
        return new HubSnapshot(repo, revision, commit, Cache.SnapshotFolder(repo, commit), files, downloaded, cached);
    }

    async Task<JsonDocument> GetJsonAsync(string relative, HubTarget target, CancellationToken ct)
    {
        var url = _http.Url(relative);
        using var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), target, ct).ConfigureAwait(false);
        if ((int)response.StatusCode >= 300)
            throw new HubException($"{target}: unexpected HTTP {(int)response.StatusCode} (redirect to {response.Headers.Location}) from {url}");
        // The stall timeout covered the headers only, and a body that never came was waited on forever: a JSON answer
        // is small, so its whole body gets the same bound.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(_http.Options.StallTimeout);
        try
        {
            using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(body, cancellationToken: stall.Token).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{url}: the answer is not JSON ({e.Message})", e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
        {
            throw new HubException($"{target}: the answer from {url} did not arrive in full within {_http.Options.StallTimeout.TotalSeconds:0} s ({e.Message})", inner: e);
        }
    }

    static string String(JsonElement e, string name, Uri url) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()! : throw new InvalidDataException($"{url}: an entry has no string \"{name}\"");

    public void Dispose() => _http.Dispose();
}
