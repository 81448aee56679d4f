namespace AmuroChar.Results;

/// <summary>
/// A result was computed but could not be written to the result store (disk full, read-only, permission denied).
/// It carries the result so the caller can still show it instead of losing the work; the message names the entry's path.
/// </summary>
public sealed class ResultNotStoredException(object result, string path, Exception inner)
    : IOException($"the result was computed but not stored at {path}: {inner.Message}", inner)
{
    public object Result { get; } = result;
    public string Path { get; } = path;
}
