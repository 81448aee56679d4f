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

    /// <summary>Waits for the lock (backing off up to 250 ms between tries); <paramref name="onWait"/> is called once if it must wait.</summary>
    public IDisposable Acquire(string name, TimeSpan? timeout, Action onWait, CancellationToken cancel)
    {
        var stopwatch = Stopwatch.StartNew();
        var semaphore = local.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        if (!semaphore.Wait(0, cancel))
        {
            onWait();
            if (!semaphore.Wait(timeout ?? Timeout.InfiniteTimeSpan, cancel)) throw TimedOut(name, timeout);
        }
        try
        {
            bool reported = false;
            for (int delay = 5; ; delay = Math.Min(delay * 2, 250))
            {
                if (TryOpen(name) is { } file) return new Held(semaphore, file);
                if (!reported) { onWait(); reported = true; }
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

    FileStream? TryOpen(string name)
    {
        string path = Path.Combine(lockRoot, name[..2], name + ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0); }
        catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException)) { return null; }
    }

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
