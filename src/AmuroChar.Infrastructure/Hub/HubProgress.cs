namespace AmuroChar.Hub;

public enum HubFileState
{
    /// <summary>Bytes are arriving; <see cref="HubProgress.Bytes"/> counts those on disk, resumed ones included.</summary>
    Downloading,
    /// <summary>Downloaded, verified and linked into the snapshot.</summary>
    Completed,
    /// <summary>Already in the cache (the same blob, maybe from another revision); nothing was downloaded.</summary>
    Cached,
}

/// <summary>Where one file of a download stands. Reports may come from several files' downloads at once.</summary>
public readonly record struct HubProgress(string File, HubFileState State, long Bytes, long Total);
