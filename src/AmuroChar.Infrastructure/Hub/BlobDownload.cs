using System.Net;
using System.Security.Cryptography;

namespace AmuroChar.Hub;

/// <summary>
/// Downloads one file into <c>blobs/{etag}</c>. Bytes go to <c>blobs/{etag}.incomplete</c> (held exclusively, so a
/// second process can't write into it), which an interrupted run leaves behind and the next run continues with an
/// HTTP Range request. A connection dropped mid-body is resumed the same way, up to
/// <see cref="HubOptions.MaxAttempts"/> times without progress. Only when the size matches, and for LFS files the
/// sha256 matches the ETag, is the file renamed to its blob name; a mismatch deletes it. Small (git) files are
/// checked by size only: their ETag is the git blob sha1, which huggingface_hub doesn't check either.
/// </summary>
internal static class BlobDownload
{
    const int ChunkBytes = 1 << 20;

    public static async Task RunAsync(HubHttp http, FileMetadata meta, string blobPath, HubTarget target,
                                      IProgress<HubProgress>? progress, CancellationToken ct)
    {
        string incomplete = blobPath + ".incomplete";
        Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        FileStream file;
        try { file = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16); }
        catch (IOException e)
        {
            throw new HubException($"{target}: {incomplete} is being written by another download ({e.Message}); wait for it or remove it", inner: e);
        }

        using (file)
        {
            using var sha = meta.Sha256 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long have = file.Length;
            if (have > meta.Size) { file.SetLength(0); have = 0; }
            else if (have > 0 && sha is not null)
                await HashPrefixAsync(file, have, sha, ct).ConfigureAwait(false);
            file.Position = have;

            var buffer = new byte[ChunkBytes];
            int failures = 0, requests = 0;
            while (have < meta.Size)
            {
                // Progress resets the failure count, so a server that always sends the same too-short body from the
                // start (ignoring Range) looked like progress forever: the requests of one download are bounded too.
                if (++requests > RequestsPerDownload(http))
                    throw new HubException($"{target}: {requests - 1} requests did not complete the download ({have} of {meta.Size} bytes); " +
                                           $"the server may send less than the {meta.Size} bytes the Hub announces. {have} bytes are kept in {incomplete}");
                long before = have;
                try
                {
                    have = await FetchAsync(http, meta, target, file, have, sha, buffer, progress, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
                {
                    have = file.Position;
                    failures = have > before ? 1 : failures + 1;
                    if (failures >= http.Options.MaxAttempts)
                        throw new HubException($"{target}: download failed {failures} times in a row without progress ({Describe(e, http)}); " +
                                               $"{have} of {meta.Size} bytes are kept in {incomplete} and the next run resumes from there", inner: e);
                    var wait = http.Backoff(failures);
                    http.Log($"{target}: connection lost at byte {have} of {meta.Size} ({Describe(e, http)}); resuming in {wait.TotalSeconds:0.#} s");
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                }
            }
            await file.FlushAsync(ct).ConfigureAwait(false);
            file.Flush(flushToDisk: true);

            if (sha is not null && Convert.ToHexStringLower(sha.GetHashAndReset()) is var actual && actual != meta.Sha256)
            {
                file.Close();
                File.Delete(incomplete);
                throw new HubException($"{target}: sha256 mismatch: the Hub says {meta.Sha256}, the {meta.Size} bytes received hash to {actual}; " +
                                       "the download was deleted and nothing was cached; run again");
            }
        }
        File.Move(incomplete, blobPath, overwrite: true);
    }

    static int RequestsPerDownload(HubHttp http) => 4 * http.Options.MaxAttempts;

    /// <summary>One GET from <paramref name="have"/> onwards; returns the bytes on disk when the body ends.</summary>
    static async Task<long> FetchAsync(HubHttp http, FileMetadata meta, HubTarget target, FileStream file, long have,
                                       IncrementalHash? sha, byte[] buffer, IProgress<HubProgress>? progress, CancellationToken ct)
    {
        long start = have;
        using var response = await http.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, meta.Location);
            if (start > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(start, null);
            return request;
        }, target, ct).ConfigureAwait(false);

        if ((int)response.StatusCode is >= 300 and < 400)
            throw new HubException($"{target}: unexpected redirect (HTTP {(int)response.StatusCode}) when downloading from {meta.Location}");
        // A server that ignores Range answers 200 with the whole file: start over rather than append it.
        bool partial = response.StatusCode == HttpStatusCode.PartialContent;
        if (start > 0 && (!partial || response.Content.Headers.ContentRange?.From != start))
        {
            http.Log($"{target}: the server did not continue at byte {start}; downloading from the start");
            file.SetLength(0);
            file.Position = 0;
            sha?.GetHashAndReset();
            have = 0;
        }

        long bodyStart = have;
        using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        progress?.Report(new HubProgress(meta.Path, HubFileState.Downloading, have, meta.Size));
        while (true)
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stall.CancelAfter(http.Options.StallTimeout);
            int n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            if (n == 0) break;
            if (have + n > meta.Size)
                throw new HubException($"{target}: the server sent more than the {meta.Size} bytes the Hub announced");
            await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            sha?.AppendData(buffer, 0, n);
            have += n;
            progress?.Report(new HubProgress(meta.Path, HubFileState.Downloading, have, meta.Size));
        }
        if (have < meta.Size) throw new IOException($"the response ended after {have - bodyStart} bytes, at byte {have} of {meta.Size}");
        return have;
    }

    static async Task HashPrefixAsync(FileStream file, long length, IncrementalHash sha, CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        file.Position = 0;
        for (long left = length; left > 0;)
        {
            int n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct).ConfigureAwait(false);
            if (n == 0) throw new IOException($"{file.Name} shrank while being read");
            sha.AppendData(buffer, 0, n);
            left -= n;
        }
    }

    static string Describe(Exception e, HubHttp http) =>
        e is OperationCanceledException ? $"nothing received for {http.Options.StallTimeout.TotalSeconds:0} s" : e.Message;
}
