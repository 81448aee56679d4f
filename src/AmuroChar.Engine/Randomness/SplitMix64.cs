namespace AmuroChar.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014; the constants of Vigna's reference C code): tiny, full-period over 2^64,
/// and good enough for drawing worlds, subsamples and bootstrap indices. The one seeded generator of the project, so
/// that no result depends on <see cref="System.Random"/>'s unspecified seeded sequence or differs between machines.
/// Two ways to bound a draw are kept because stored worlds and intervals were made with them: changing either would
/// change every world, subsample or bootstrap interval (tests/AmuroChar.Tests/World/RandomStreamPinTests.cs).
/// A mutable struct: pass it by <c>ref</c>, or hold it in a field, never copy it mid-stream.
/// </summary>
public struct SplitMix64(ulong seed)
{
    ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n): Lemire's multiply-shift with rejection, so there is no modulo bias (the
    /// bootstrap's draws).</summary>
    public int NextIndex(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ulong bound = (ulong)n;
        ulong high = Math.BigMul(Next(), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0UL - bound) % bound;
            while (low < threshold) high = Math.BigMul(Next(), bound, out low);
        }
        return (int)high;
    }

    /// <summary>Uniform in [0, bound): draws at or beyond the largest multiple of <paramref name="bound"/> below 2^64
    /// are rejected, then the remainder is taken, so no value is favoured (the world's and the subsample's draws).</summary>
    public ulong Below(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do r = Next(); while (r >= limit);
        return r % bound;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
