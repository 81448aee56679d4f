namespace AmuroChar.Model;

/// <summary>
/// What this process's models computed, counted where it happens: every forward pass adds its token positions and,
/// per position, the keys it attended to (the cached ones plus its own sequence: the full square, as the math attention
/// path computes it); every training step adds the positions it took back through a backward pass. Multiplied out by
/// the one cost model (<c>CostModel.Flops</c>), the difference of two readings is the FLOPs of what ran between them,
/// which a run divides by its wall time and the measured matmul peak. Thread-safe; never read back into a result.
/// </summary>
public static class ComputeLedger
{
    static long _forwardTokens, _forwardAttended, _backwardTokens, _backwardAttended;

    /// <summary>Sums since the process started: positions and Σ(position × keys attended), forward and backward.</summary>
    public readonly record struct Reading(long ForwardTokens, long ForwardAttended, long BackwardTokens, long BackwardAttended)
    {
        public static Reading operator -(Reading a, Reading b) => new(a.ForwardTokens - b.ForwardTokens, a.ForwardAttended - b.ForwardAttended,
            a.BackwardTokens - b.BackwardTokens, a.BackwardAttended - b.BackwardAttended);
    }

    public static Reading Now => new(Interlocked.Read(ref _forwardTokens), Interlocked.Read(ref _forwardAttended),
        Interlocked.Read(ref _backwardTokens), Interlocked.Read(ref _backwardAttended));

    /// <summary>A forward pass over <paramref name="tokens"/> positions, each attending to <paramref name="keys"/>.</summary>
    public static void Forward(long tokens, long keys)
    {
        Interlocked.Add(ref _forwardTokens, tokens);
        Interlocked.Add(ref _forwardAttended, tokens * keys);
    }

    /// <summary>The backward pass of a training step over <paramref name="tokens"/> positions of width <paramref name="keys"/>.</summary>
    public static void Backward(long tokens, long keys)
    {
        Interlocked.Add(ref _backwardTokens, tokens);
        Interlocked.Add(ref _backwardAttended, tokens * keys);
    }
}
