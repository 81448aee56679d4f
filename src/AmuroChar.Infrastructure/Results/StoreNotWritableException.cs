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

    /// <summary>Runs <paramref name="write"/>, turning the file system's refusal into this exception. Pass
    /// <paramref name="accessDenied"/> false where the code also reads files outside the store (a producer reading
    /// its inputs): "access denied" may then not be about the store, while EROFS and ENOSPC only come from writes.</summary>
    public static T Wrap<T>(string path, Func<T> write, bool accessDenied = true)
    {
        try { return write(); }
        catch (Exception e) when ((accessDenied && e is UnauthorizedAccessException)
                                  || (e is IOException && e is not (FileNotFoundException or DirectoryNotFoundException)
                                      && IsRefusal(e.HResult, accessDenied)))
        { throw new StoreNotWritableException(path, e); }
    }

    public static void Wrap(string path, Action write) => Wrap(path, () => { write(); return 0; });

    // Unix .NET puts the raw errno in HResult for errors it has no exception type for; Windows uses HRESULTs.
    const int EROFS = 30, ENOSPC = 28, EDQUOT = 122, EACCES = 13, EPERM = 1;
    const int DiskFull = unchecked((int)0x80070070), AccessDenied = unchecked((int)0x80070005), WriteProtect = unchecked((int)0x80070013);

    static bool IsRefusal(int hresult, bool accessDenied) =>
        hresult is EROFS or ENOSPC or EDQUOT or DiskFull or WriteProtect
        || (accessDenied && hresult is EACCES or EPERM or AccessDenied);
}
