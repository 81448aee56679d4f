using System.Collections.Concurrent;
using System.Diagnostics;

namespace AmuroChar.Results;

/// <summary>
/// Per-key mutual exclusion at two levels. In this process, a SemaphoreSlim per lock name makes concurrent callers
/// queue without polling. Across processes (and across ResultStore instances in one process), an OS lock on
/// <c>.locks/&lt;hh&gt;/&lt;name&gt;.lock</c>: the file opened with FileShare.None, which .NET implements as a
/// share-mode lock on Windows and flock(LOCK_EX) on Unix. The lock lives with the open handle, not the file, so a
/// killed holder releases it and a leftover lock file never blocks anyone.
/// </summary>
/// <remarks>
/// Lock files are never deleted: deleting one while another process has it open but not yet locked would let two
/// processes "hold" the lock on two different files. They are empty, one per key ever computed.
/// </remarks>
internal sealed class KeyLocks(string lockRoot)
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> local = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits for the lock (backing off up to 250 ms between tries). <paramref name="onWait"/> is called once, when
    /// the wait has lasted <paramref name="noticeAfter"/>: a short wait is normal and not worth a message.
    /// </summary>
    /// <exception cref="StoreNotWritableException">The lock file can't be created or opened for writing (a read-only
    /// store, no permission): that is no contention, and waiting would never end.</exception>
    public IDisposable Acquire(string name, TimeSpan? timeout, Action onWait, CancellationToken cancel, TimeSpan noticeAfter = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var semaphore = local.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        bool reported = false;
        void Notice()
        {
            if (reported || stopwatch.Elapsed < noticeAfter) return;
            onWait();
            reported = true;
        }
        while (!semaphore.Wait(TimeSpan.FromMilliseconds(250), cancel))
        {
            Notice();
            if (timeout is { } t && stopwatch.Elapsed > t) throw TimedOut(name, timeout);
        }
        try
        {
            for (int delay = 5; ; delay = Math.Min(delay * 2, 250))
            {
                if (TryOpen(name) is { } file) return new Held(semaphore, file);
                Notice();
                if (timeout is { } t && stopwatch.Elapsed > t) throw TimedOut(name, timeout);
                cancel.WaitHandle.WaitOne(delay);
                cancel.ThrowIfCancellationRequested();
            }
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    /// <summary>The lock if nobody (in this or another process) holds it now, else null.</summary>
    public IDisposable? TryAcquire(string name)
    {
        var semaphore = local.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        if (!semaphore.Wait(0)) return null;
        if (TryOpen(name) is { } file) return new Held(semaphore, file);
        semaphore.Release();
        return null;
    }

    /// <summary>
    /// Whether another holder has the lock now, without taking or creating anything (so a read-only store can be
    /// listed). A lock file that does not exist was never taken.
    /// </summary>
    public bool IsHeldElsewhere(string name)
    {
        var semaphore = local.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        if (!semaphore.Wait(0)) return true;
        try
        {
            using var file = new FileStream(LockPath(name), FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return false; }
        catch (IOException e) when (IsContention(e)) { return true; }
        finally { semaphore.Release(); }
    }

    /// <summary>
    /// A shared hold on <paramref name="name"/>: any number of holders at once (flock LOCK_SH, which .NET takes for a
    /// file opened with a FileShare other than None), excluded only by <see cref="TryAcquire"/>'s exclusive lock. Waits
    /// (backing off up to 250 ms) while an exclusive holder has it; null when the lock file can't be made (a read-only
    /// store: nothing can be pruned from it either, so there is nothing to hold against).
    /// </summary>
    public IDisposable? HoldShared(string name, CancellationToken cancel = default)
    {
        string path = LockPath(name);
        for (int delay = 5; ; delay = Math.Min(delay * 2, 250))
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            }
            catch (IOException e) when (IsContention(e)) { }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
            cancel.WaitHandle.WaitOne(delay);
            cancel.ThrowIfCancellationRequested();
        }
    }

    string LockPath(string name) => Path.Combine(lockRoot, name[..2], name + ".lock");

    /// <summary>The open, locked file; null only when another holder has it. Any other failure is thrown as
    /// <see cref="StoreNotWritableException"/> (on Unix .NET maps EACCES/EPERM to UnauthorizedAccessException and
    /// EROFS, ENOSPC, … to an IOException carrying the errno, while a held flock is a sharing violation).</summary>
    FileStream? TryOpen(string name)
    {
        string path = LockPath(name);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (IsContention(e)) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreNotWritableException(path, e);
        }
    }

    // A held flock is EWOULDBLOCK on Unix (Linux 11, macOS 35; .NET puts the errno in HResult); a share-mode or
    // byte-range conflict on Windows.
    const int SharingViolation = unchecked((int)0x80070020), LockViolation = unchecked((int)0x80070021);
    const int LinuxWouldBlock = 11, MacWouldBlock = 35;

    static bool IsContention(IOException e) =>
        e.HResult is SharingViolation or LockViolation
        || (e.HResult == (OperatingSystem.IsMacOS() ? MacWouldBlock : LinuxWouldBlock) && !OperatingSystem.IsWindows());

    static TimeoutException TimedOut(string name, TimeSpan? timeout) =>
        new($"Lock '{name}' of the result store still held by another process after {timeout}.");

    sealed class Held(SemaphoreSlim semaphore, FileStream file) : IDisposable
    {
        int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            file.Dispose();
            semaphore.Release();
        }
    }
}
