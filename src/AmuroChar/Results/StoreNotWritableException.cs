namespace AmuroChar.Results;

/// <summary>
/// The store needed to write (a lock file, an entry, a removal) and the file system refused: read-only, no
/// permission, full. An InvalidOperationException so the CLI prints it as one line and exits non-zero.
/// </summary>
public sealed class StoreNotWritableException(string path, Exception cause)
    : InvalidOperationException($"the result store can't write '{path}': {cause.Message}"
                                + " (a read-only or full file system, or no permission); nothing was stored", cause)
{
    public string Path { get; } = path;

    /// <summary>Runs <paramref name="write"/>, turning the file system's refusal into this exception.</summary>
    public static T Wrap<T>(string path, Func<T> write)
    {
        try { return write(); }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e is not (FileNotFoundException or DirectoryNotFoundException)
                                  && IsRefusal(e.HResult)))
        { throw new StoreNotWritableException(path, e); }
    }

    public static void Wrap(string path, Action write) => Wrap(path, () => { write(); return 0; });

    // Unix .NET puts the raw errno in HResult for errors it has no exception type for; Windows uses HRESULTs.
    const int EROFS = 30, ENOSPC = 28, EDQUOT = 122, EACCES = 13, EPERM = 1;
    const int DiskFull = unchecked((int)0x80070070), AccessDenied = unchecked((int)0x80070005), WriteProtect = unchecked((int)0x80070013);

    static bool IsRefusal(int hresult) => hresult is EROFS or ENOSPC or EDQUOT or EACCES or EPERM or DiskFull or AccessDenied or WriteProtect;
}
