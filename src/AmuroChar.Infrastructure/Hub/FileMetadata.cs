using System.Text.RegularExpressions;

namespace AmuroChar.Hub;

/// <summary>
/// What a HEAD of <c>{endpoint}/{repo}/resolve/{revision}/{path}</c> says about a file, read as huggingface_hub
/// reads it (file_download.get_hf_file_metadata): the commit from <c>X-Repo-Commit</c>; the ETag from
/// <c>X-Linked-Etag</c> (large files, which the Hub redirects to a CDN), else <c>ETag</c>, quotes and <c>W/</c>
/// dropped; the size from <c>X-Linked-Size</c>, else <c>Content-Length</c>; the bytes from the redirect's
/// <c>Location</c>, else from the URL itself.
/// </summary>
internal sealed partial record FileMetadata(string Path, string Commit, string Etag, long Size, Uri Location)
{
    /// <summary>The sha256 of the content when the file is stored with LFS (its ETag is then the sha256).</summary>
    public string? Sha256 => Sha256Pattern().IsMatch(Etag) ? Etag : null;

    /// <param name="target">What an error names: the revision as the user gave it, though the URL may use its commit.</param>
    public static async Task<FileMetadata> HeadAsync(HubHttp http, HubRepo repo, string revision, string path, HubTarget target, CancellationToken ct)
    {
        Uri url = ResolveUrl(http, repo, revision, path);
        // A relative redirect is the Hub's own (a renamed repository); an absolute one to another host is the CDN.
        for (int hop = 0; ; hop++)
        {
            using var response = await http.SendAsync(() => new HttpRequestMessage(HttpMethod.Head, url), target, ct).ConfigureAwait(false);
            var location = response.Headers.Location;
            bool redirect = (int)response.StatusCode is >= 300 and < 400;
            if (redirect && location is null)
                throw new HubException($"{target}: HTTP {(int)response.StatusCode} without a Location at {url}");
            if (redirect && !location!.IsAbsoluteUri)
            {
                if (hop == MaxRedirects)
                    throw new HubException($"{target}: redirected {MaxRedirects} times without an answer, last to {new Uri(url, location)} (a redirect loop)");
                url = new Uri(url, location);
                continue;
            }

            string? commit = Header(response, "X-Repo-Commit");
            string? etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.ToString();
            string? size = Header(response, "X-Linked-Size") ?? (redirect ? null : response.Content.Headers.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (commit is null)
                throw new HubException($"{target}: the answer from {url} has no X-Repo-Commit header; is HF_ENDPOINT ({http.Options.Endpoint}) a Hugging Face Hub?");
            if (etag is null) throw new HubException($"{target}: the answer from {url} has no ETag; the file can't be verified or cached");
            if (!long.TryParse(size, out long bytes) || bytes < 0) throw new HubException($"{target}: the answer from {url} gives no file size");
            return new FileMetadata(path, commit, NormalizeEtag(etag), bytes, redirect ? new Uri(url, location!) : url);
        }
    }

    const int MaxRedirects = 5;

    public static Uri ResolveUrl(HubHttp http, HubRepo repo, string revision, string path) =>
        http.Url($"{repo.ResolvePrefix}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(path)}");

    /// <summary>Each segment escaped, the slashes kept (Python's <c>quote(path)</c>).</summary>
    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    static string NormalizeEtag(string etag) => (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
