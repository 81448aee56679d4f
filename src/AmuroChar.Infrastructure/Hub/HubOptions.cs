namespace AmuroChar.Hub;

/// <summary>Where the Hub is, who we are, where the cache is and how hard to retry.</summary>
public sealed record HubOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";

    public string Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Sent as <c>Authorization: Bearer</c> to the endpoint only, never to a CDN it redirects to.</summary>
    public string? Token { get; init; }

    public required string CacheRoot { get; init; }

    /// <summary>Tries per request (and per file download) before giving up on 5xx, 408, 429 and network errors.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait before the first retry; it doubles each time, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a response may send nothing (headers, or the next chunk of a body) before it counts as dropped.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Settings from the environment, as huggingface_hub reads them: <c>HF_ENDPOINT</c>; the token from
    /// <paramref name="token"/>, else <c>HF_TOKEN</c>, else the file <c>hf auth login</c> writes
    /// (<c>$HF_TOKEN_PATH</c>, else <c>$HF_HOME/token</c>); the cache from <see cref="HubCache.DefaultRoot"/>.
    /// </summary>
    public static HubOptions FromEnvironment(Func<string, string?> env, string? token = null, string? cacheRoot = null)
    {
        string endpoint = string.IsNullOrEmpty(env("HF_ENDPOINT")) ? DefaultEndpoint : env("HF_ENDPOINT")!.TrimEnd('/');
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new ArgumentException($"HF_ENDPOINT '{endpoint}' is not an http(s) URL");
        return new HubOptions
        {
            Endpoint = endpoint,
            Token = NonEmpty(token) ?? NonEmpty(env("HF_TOKEN")) ?? TokenFile(env),
            CacheRoot = cacheRoot ?? HubCache.DefaultRoot(env),
        };
    }

    static string? TokenFile(Func<string, string?> env)
    {
        string path = NonEmpty(env("HF_TOKEN_PATH")) ?? Path.Combine(HubCache.HfHome(env), "token");
        return File.Exists(path) ? NonEmpty(File.ReadAllText(path).Trim()) : null;
    }

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
