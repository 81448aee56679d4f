namespace AmuroChar.Randomness;

/// <summary>
/// The world's seeded generator: the project's <see cref="SplitMix64"/> with the draws a world needs, so that a
/// world is the same on every .NET version and machine (System.Random's seeded sequence is an implementation detail
/// we don't want the study to depend on).
/// </summary>
public sealed class Rng(ulong seed)
{
    SplitMix64 _source = new(seed);

    /// <summary>A generator for a named sub-stream: the same (seed, name) always gives the same sequence, and adding a
    /// new stream elsewhere never shifts this one.</summary>
    public static Rng For(long seed, string stream)
    {
        ulong h = 14695981039346656037UL;                     // FNV-1a of the stream name
        foreach (char c in stream) { h ^= c; h *= 1099511628211UL; }
        return new Rng((ulong)seed * 0x9E3779B97F4A7C15UL ^ h);
    }

    public ulong NextUInt64() => _source.Next();

    /// <summary>Uniform in [0, n) without modulo bias.</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        return (int)_source.Below((ulong)n);
    }

    public int Next(int lo, int hi) => lo + Next(hi - lo);
    public double NextDouble() => _source.NextDouble();
    public bool Chance(double p) => NextDouble() < p;
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A random element other than <paramref name="not"/>.</summary>
    public T PickOther<T>(IReadOnlyList<T> items, T not)
    {
        if (items.Count < 2) throw new ArgumentException("need at least two items to pick another");
        T x;
        do x = Pick(items); while (EqualityComparer<T>.Default.Equals(x, not));
        return x;
    }

    /// <summary><paramref name="k"/> distinct elements in random order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int k)
    {
        var copy = items.ToList();
        Shuffle(copy);
        return copy.GetRange(0, Math.Min(k, copy.Count));
    }

    public void Shuffle<T>(IList<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Weighted(IReadOnlyList<double> weights)
    {
        double total = weights.Sum(), r = NextDouble() * total;
        for (int i = 0; i < weights.Count; i++) { r -= weights[i]; if (r < 0) return i; }
        return weights.Count - 1;
    }
}
