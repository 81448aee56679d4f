using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AmuroChar.Tests.Hub;

/// <summary>
/// A stand-in for huggingface.co on loopback, speaking the parts of its HTTP API the client uses: refs, revision
/// info, resolve (HEAD/GET, Range), the Parquet listing and its redirects. Large files (*.safetensors, *.parquet)
/// behave like LFS files: the Hub answers 302 to a CDN (a second listener, so a different origin) with
/// X-Linked-Etag = sha256 and X-Linked-Size; small files are served directly with ETag = git blob sha1.
/// Faults are injected per path: a status for the next N requests, a body cut after K bytes, corrupted bytes.
/// </summary>
sealed class FakeHub : IDisposable
{
    /// <summary>Logged when the request arrives (before it is answered, so a client never outruns the log).</summary>
    public sealed record Request(string Server, string Method, string Path, string? Range, string? Authorization)
    {
        /// <summary>Body bytes sent (set before they are written).</summary>
        public long BodyBytes { get; set; }
    }

    sealed record Fault(string PathContains, int Status, int CutAfter, bool Corrupt)
    {
        public int Left;
        /// <summary>Bytes added to the cut each time it is used: a body that is always cut, a little later each time.</summary>
        public int Grow;
        public int Used;
    }

    sealed class Repo
    {
        public readonly Dictionary<string, string> Branches = new();
        public readonly Dictionary<string, Dictionary<string, byte[]>> Commits = new();
    }

    readonly HttpListener _hub, _cdn;
    readonly ConcurrentDictionary<string, Repo> _repos = new();
    readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    readonly List<Fault> _faults = new();

    public string Endpoint { get; }
    public string CdnEndpoint { get; }
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>When set, every Hub request without <c>Authorization: Bearer {token}</c> gets 401.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Serve whole files (200) even when a Range is asked for, as some proxies do.</summary>
    public bool IgnoreRange { get; set; }

    public FakeHub()
    {
        (_hub, Endpoint) = Listen();
        (_cdn, CdnEndpoint) = Listen();
        _ = Serve(_hub, "hub");
        _ = Serve(_cdn, "cdn");
    }

    /// <summary>Adds a commit of <paramref name="files"/> on <paramref name="branch"/> and returns its sha.</summary>
    public string Commit(string kind, string repoId, string branch, Dictionary<string, byte[]> files)
    {
        var repo = _repos.GetOrAdd($"{kind}/{repoId}", _ => new Repo());
        string sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(
            repoId + branch + string.Join(",", files.Select(f => f.Key + ":" + Sha256(f.Value))))));
        lock (repo)
        {
            repo.Commits[sha] = new Dictionary<string, byte[]>(files);
            repo.Branches[branch] = sha;
        }
        foreach (var bytes in files.Values) _blobs[Sha256(bytes)] = bytes;
        return sha;
    }

    public void Fail(string pathContains, int status, int times) => AddFault(new Fault(pathContains, status, -1, false) { Left = times });
    /// <summary>Answers the next <paramref name="times"/> requests for the path with a relative redirect to itself.</summary>
    public void RedirectToItself(string pathContains, int times) => AddFault(new Fault(pathContains, 307, -1, false) { Left = times });
    public void Cut(string pathContains, int afterBytes, int times = 1) => AddFault(new Fault(pathContains, 0, afterBytes, false) { Left = times });
    public void Corrupt(string pathContains, int times = 1) => AddFault(new Fault(pathContains, 0, -1, true) { Left = times });

    /// <summary>Every body cut short, <paramref name="growBytes"/> later each time (so each try looks like progress).</summary>
    public void CutGrowing(string pathContains, int afterBytes, int growBytes) =>
        AddFault(new Fault(pathContains, 0, afterBytes, false) { Left = int.MaxValue, Grow = growBytes });

    /// <summary>JSON answers send their headers, then stall this long before the body.</summary>
    public TimeSpan JsonBodyStall { get; set; }

    void AddFault(Fault f) { lock (_faults) _faults.Add(f); }

    Fault? TakeFault(string path, Func<Fault, bool> kind)
    {
        lock (_faults)
        {
            var f = _faults.FirstOrDefault(f => f.Left > 0 && kind(f) && path.Contains(f.PathContains, StringComparison.Ordinal));
            if (f is not null) f.Left--;
            return f;
        }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string GitSha1(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

    static bool IsLfs(string path) => path.EndsWith(".safetensors", StringComparison.Ordinal) || path.EndsWith(".parquet", StringComparison.Ordinal);

    public IEnumerable<Request> Bodies(string server) => Requests.Where(r => r.Server == server && r.Method == "GET" && r.BodyBytes > 0);

    static (HttpListener, string) Listen()
    {
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, $"http://127.0.0.1:{port}");
            }
            catch (HttpListenerException) when (attempt < 5) { listener.Close(); }
        }
    }

    async Task Serve(HttpListener listener, string server)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Handle(context, server));
        }
    }

    void Handle(HttpListenerContext c, string server)
    {
        string raw = c.Request.RawUrl!.Split('?')[0];
        var res = c.Response;
        var log = new Request(server, c.Request.HttpMethod, raw, c.Request.Headers["Range"], c.Request.Headers["Authorization"]);
        Requests.Enqueue(log);
        try
        {
            // Faults apply in the order they were added; a HEAD can only take a status fault (it has no body).
            var fault = TakeFault(raw, f => f.Status > 0 || c.Request.HttpMethod == "GET");
            if (fault is { Status: >= 300 and < 400 }) { Status(res, fault.Status, ("Location", raw)); return; }   // to itself: a loop
            if (fault is { Status: > 0 }) { Status(res, fault.Status); return; }
            if (server == "cdn") { ServeBlob(c, raw, fault, log); return; }
            if (RequiredToken is not null && c.Request.Headers["Authorization"] != $"Bearer {RequiredToken}")
            {
                Status(res, 401, ("X-Error-Message", "Invalid credentials in Authorization header"));
                return;
            }
            Route(c, raw.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray(), fault, log);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
    }

    long Route(HttpListenerContext c, string[] s, Fault? fault, Request log)
    {
        var res = c.Response;
        if (s is ["api", var kind, var org, var name, "refs"])
            return Refs(res, kind, $"{org}/{name}");
        if (s is ["api", var kind2, var org2, var name2, "revision", var rev])
            return RevisionInfo(res, kind2, $"{org2}/{name2}", rev);
        if (s is ["api", "datasets", var dorg, var dname, "parquet", var config, var split])
            return Json(res, ParquetShards($"{dorg}/{dname}", config, split)
                .Select((_, i) => $"{Endpoint}/api/datasets/{dorg}/{dname}/parquet/{config}/{split}/{i}.parquet").ToArray());
        if (s is ["api", "datasets", var porg, var pname, "parquet", var pconfig, var psplit, var shard] && shard.EndsWith(".parquet"))
        {
            res.StatusCode = 302;
            res.Headers["Location"] = $"/datasets/{porg}/{pname}/resolve/{Uri.EscapeDataString("refs/convert/parquet")}/{pconfig}/{psplit}/{int.Parse(shard[..^8]):D4}.parquet";
            res.Close();
            return 0;
        }
        if (s.Length >= 5 && s[2] == "resolve") return Resolve(c, "models", $"{s[0]}/{s[1]}", s[3], string.Join('/', s[4..]), fault, log);
        if (s.Length >= 6 && s[0] == "datasets" && s[3] == "resolve") return Resolve(c, "datasets", $"{s[1]}/{s[2]}", s[4], string.Join('/', s[5..]), fault, log);
        Status(res, 404);
        return 0;
    }

    IEnumerable<string> ParquetShards(string id, string config, string split) =>
        _repos.TryGetValue($"datasets/{id}", out var repo) && repo.Branches.TryGetValue("refs/convert/parquet", out var sha)
            ? repo.Commits[sha].Keys.Where(k => k.StartsWith($"{config}/{split}/", StringComparison.Ordinal)).Order()
            : [];

    long Refs(HttpListenerResponse res, string kind, string id)
    {
        if (!_repos.TryGetValue($"{kind}/{id}", out var repo)) { Status(res, 404, ("X-Error-Code", "RepoNotFound")); return 0; }
        var branches = repo.Branches.Where(b => !b.Key.StartsWith("refs/", StringComparison.Ordinal))
            .Select(b => new { name = b.Key, @ref = $"refs/heads/{b.Key}", targetCommit = b.Value }).ToArray();
        var converts = repo.Branches.Where(b => b.Key.StartsWith("refs/convert/", StringComparison.Ordinal))
            .Select(b => new { name = b.Key["refs/convert/".Length..], @ref = b.Key, targetCommit = b.Value }).ToArray();
        return Json(res, new { branches, tags = Array.Empty<object>(), converts });
    }

    long RevisionInfo(HttpListenerResponse res, string kind, string id, string rev)
    {
        if (!_repos.TryGetValue($"{kind}/{id}", out var repo)) { Status(res, 404, ("X-Error-Code", "RepoNotFound")); return 0; }
        if (Lookup(repo, rev) is not { } sha) { Status(res, 404, ("X-Error-Code", "RevisionNotFound")); return 0; }
        return Json(res, new { id, sha, siblings = repo.Commits[sha].Keys.Order().Select(k => new { rfilename = k }).ToArray() });
    }

    static string? Lookup(Repo repo, string rev) =>
        repo.Branches.TryGetValue(rev, out var sha) ? sha : repo.Commits.ContainsKey(rev) ? rev : null;

    long Resolve(HttpListenerContext c, string kind, string id, string rev, string path, Fault? fault, Request log)
    {
        var res = c.Response;
        if (!_repos.TryGetValue($"{kind}/{id}", out var repo)) { Status(res, 404, ("X-Error-Code", "RepoNotFound")); return 0; }
        if (Lookup(repo, rev) is not { } sha) { Status(res, 404, ("X-Error-Code", "RevisionNotFound")); return 0; }
        if (!repo.Commits[sha].TryGetValue(path, out var bytes)) { Status(res, 404, ("X-Error-Code", "EntryNotFound")); return 0; }
        res.Headers["X-Repo-Commit"] = sha;
        if (IsLfs(path))
        {
            string sha256 = Sha256(bytes);
            res.StatusCode = 302;
            res.Headers["X-Linked-Etag"] = $"\"{sha256}\"";
            res.Headers["X-Linked-Size"] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            res.Headers["ETag"] = "\"not-the-content-hash\"";
            res.Headers["Location"] = $"{CdnEndpoint}/blobs/{sha256}";
            res.Close();
            return 0;
        }
        res.Headers["ETag"] = $"\"{GitSha1(bytes)}\"";
        return Body(c, bytes, fault, log);
    }

    long ServeBlob(HttpListenerContext c, string raw, Fault? fault, Request log)
    {
        string[] s = raw.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (s is not ["blobs", var sha] || !_blobs.TryGetValue(sha, out var bytes)) { Status(c.Response, 404); return 0; }
        return Body(c, bytes, fault, log);
    }

    /// <summary>The file (or the asked-for Range of it), with the cut and corrupt faults applied.</summary>
    long Body(HttpListenerContext c, byte[] bytes, Fault? fault, Request log)
    {
        var res = c.Response;
        long from = 0;
        string? range = c.Request.Headers["Range"];
        if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (from >= bytes.Length) { Status(res, 416); return 0; }
            res.StatusCode = 206;
            res.Headers["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        }
        byte[] body = bytes[(int)from..];
        res.ContentLength64 = body.Length;
        if (c.Request.HttpMethod == "HEAD") { res.Close(); return 0; }
        if (fault is { Corrupt: true }) { body = (byte[])body.Clone(); body[body.Length / 2] ^= 0xFF; }
        int cutAfter = fault is { CutAfter: >= 0 } f ? f.CutAfter + f.Grow * Interlocked.Increment(ref f.Used) : -1;
        if (cutAfter >= 0 && cutAfter < body.Length)
        {
            log.BodyBytes = cutAfter;
            res.OutputStream.Write(body, 0, cutAfter);
            res.OutputStream.Flush();
            res.Abort();   // closes the connection mid-body
            return cutAfter;
        }
        log.BodyBytes = body.Length;
        res.OutputStream.Write(body);
        res.Close();
        return body.Length;
    }

    long Json(HttpListenerResponse res, object value)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(value);
        res.ContentType = "application/json";
        res.ContentLength64 = bytes.Length;
        if (JsonBodyStall > TimeSpan.Zero)
        {
            res.OutputStream.Write(bytes, 0, 1);   // headers and one byte, then nothing for a while
            res.OutputStream.Flush();
            Thread.Sleep(JsonBodyStall);
            try { res.OutputStream.Write(bytes, 1, bytes.Length - 1); res.Close(); } catch (HttpListenerException) { } catch (ObjectDisposedException) { }
            return 0;
        }
        res.OutputStream.Write(bytes);
        res.Close();
        return 0;
    }

    static void Status(HttpListenerResponse res, int status, params (string Name, string Value)[] headers)
    {
        res.StatusCode = status;
        foreach (var (name, value) in headers) res.Headers[name] = value;
        res.Close();
    }

    public void Dispose()
    {
        _hub.Close();
        _cdn.Close();
    }
}
