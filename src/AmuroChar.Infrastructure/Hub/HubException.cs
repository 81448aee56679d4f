namespace AmuroChar.Hub;

/// <summary>A request to the Hub that failed in a way retrying won't fix, or ran out of retries; the message says
/// which repository, revision and file, and what to do.</summary>
public sealed class HubException(string message, int? status = null, Exception? inner = null) : InvalidOperationException(message, inner)
{
    /// <summary>The HTTP status, when the Hub answered with one.</summary>
    public int? Status { get; } = status;
}

/// <summary>What a request was for, so an error can name it.</summary>
public sealed record HubTarget(HubRepo Repo, string? Revision = null, string? File = null)
{
    public override string ToString() =>
        Repo + (Revision is null ? "" : $" revision '{Revision}'") + (File is null ? "" : $" file '{File}'");
}
