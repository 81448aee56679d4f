using System.Net;
using System.Net.Http.Headers;

namespace AmuroChar.Hub;

/// <summary>
/// Sends requests to the Hub: the token goes to the endpoint's host only (a redirect to a CDN carries a signed URL
/// instead); 5xx, 408, 429 and dropped connections are retried with doubling waits up to
/// <see cref="HubOptions.MaxAttempts"/> tries; 401, 403 and 404 fail at once with a message that says what to do.
/// Redirects are not followed automatically: the Hub's 302 for a large file carries the metadata we need.
/// </summary>
internal sealed class HubHttp : IDisposable
{
    readonly HttpClient _client;
    readonly HubOptions _options;
    readonly Uri _endpoint;
    readonly Action<string> _log;

    public HubHttp(HubOptions options, Action<string>? log, HttpMessageHandler? handler = null)
    {
        _options = options;
        _endpoint = new Uri(options.Endpoint.TrimEnd('/') + "/");
        _log = log ?? (_ => { });
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // The size and the hash are those of the bytes as stored; a compressed transfer would hide both.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(20),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("amurochar", "1.0"));
    }

    public HubOptions Options => _options;
    public Action<string> Log => _log;

    /// <summary>An absolute URL on the endpoint: <paramref name="relative"/> must already be escaped.</summary>
    public Uri Url(string relative) => new(_endpoint, relative);

    /// <summary>
    /// Sends the request (made afresh for each try) and returns the first response that is a success or a redirect.
    /// The response's headers have arrived; its body is the caller's to read (and to dispose).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, HubTarget target, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var request = make();
            if (_options.Token is { } token && SameOrigin(request.RequestUri!))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));

            string why;
            TimeSpan? retryAfter = null;
            try
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
                stall.CancelAfter(_options.StallTimeout);
                var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status < 400) return response;
                retryAfter = response.Headers.RetryAfter?.Delta;
                string? errorCode = response.Headers.TryGetValues("X-Error-Code", out var codes) ? codes.FirstOrDefault() : null;
                string? errorMessage = response.Headers.TryGetValues("X-Error-Message", out var msgs) ? msgs.FirstOrDefault() : null;
                response.Dispose();
                if (!Retryable(status)) throw Fail(status, errorCode, errorMessage, target, request.RequestUri!);
                why = $"HTTP {status}";
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
            {
                why = e is OperationCanceledException ? $"no response in {_options.StallTimeout.TotalSeconds:0} s" : e.Message;
            }

            if (attempt >= _options.MaxAttempts)
                throw new HubException($"{target}: gave up after {attempt} tries ({why}) at {request.RequestUri}");
            var wait = Backoff(attempt, retryAfter);
            _log($"{target}: {why}; retrying in {wait.TotalSeconds:0.#} s (try {attempt + 1} of {_options.MaxAttempts})");
            await Task.Delay(wait, ct).ConfigureAwait(false);
        }
    }

    public TimeSpan Backoff(int attempt, TimeSpan? retryAfter = null)
    {
        double seconds = _options.FirstBackoff.TotalSeconds * Math.Pow(2, attempt - 1);
        if (retryAfter is { } r && r.TotalSeconds > seconds) seconds = r.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxBackoff.TotalSeconds));
    }

    static bool Retryable(int status) => status >= 500 || status is 408 or 429;

    /// <summary>Same scheme, host and port as the endpoint: a CDN elsewhere gets no token.</summary>
    bool SameOrigin(Uri uri) =>
        Uri.Compare(uri, _endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    HubException Fail(int status, string? code, string? hubMessage, HubTarget target, Uri url)
    {
        string detail = hubMessage is null ? "" : $" (Hub: {hubMessage})";
        string text = status switch
        {
            401 when _options.Token is null =>
                $"{target}: HTTP 401 Unauthorized: it needs a token (HF_TOKEN or --token); the repository is gated or private, or does not exist{detail}",
            401 => $"{target}: HTTP 401 Unauthorized: the Hub refused the token (HF_TOKEN or --token); check it is valid{detail}",
            403 => $"{target}: HTTP 403 Forbidden: the token has no access; for a gated repository accept its terms on the Hub{detail}",
            404 => code switch
            {
                "RepoNotFound" => $"{target.Repo}: repository not found on {_options.Endpoint}{detail}",
                "RevisionNotFound" => $"{target.Repo}: revision '{target.Revision}' not found (list them with `amurochar hub revisions {target.Repo.Id}`){detail}",
                "EntryNotFound" => $"{target}: file not found in the repository at that revision{detail}",
                _ => $"{target}: not found (HTTP 404) at {url}{detail}",
            },
            _ => $"{target}: HTTP {status} at {url}{detail}",
        };
        return new HubException(text, status);
    }

    public void Dispose() => _client.Dispose();
}
