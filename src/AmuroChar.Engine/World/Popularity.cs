using AmuroChar.Randomness;
namespace AmuroChar.World;

/// <summary>
/// How often the corpus talks about each entity: a Zipf-like law over a seeded ranking, so the r-th most popular of
/// n entities is mentioned in proportion to 1 / r^<c>exponent</c>. Real text is like this (a few cities and people
/// are everywhere, most are rare), and it is what lets knowledge accrue gradually: a model learns the facts of the
/// popular entities early and those of the rare ones only late, so what fine-tuning can draw on for held-out
/// entities grows across checkpoints instead of arriving all at once. The ranking is independent of the
/// fine-tuning splits, so both halves span the whole range.
/// </summary>
public sealed class Popularity<T> where T : notnull
{
    readonly IReadOnlyList<T> _items;
    readonly double[] _weights;

    public Popularity(IReadOnlyList<T> items, Rng rng, double exponent)
    {
        if (items.Count == 0) throw new ArgumentException("popularity needs at least one item");
        if (exponent < 0) throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "must be ≥ 0 (0 is uniform)");
        _items = items;
        var rank = rng.Sample(Enumerable.Range(0, items.Count).ToList(), items.Count);   // rank[i]: item i's rank
        _weights = rank.Select(r => Math.Pow(r + 1, -exponent)).ToArray();
    }

    public T Draw(Rng rng) => _items[rng.Weighted(_weights)];

    /// <summary>An item other than <paramref name="not"/>, by popularity.</summary>
    public T DrawOther(Rng rng, T not)
    {
        if (_items.Count < 2) throw new ArgumentException("need at least two items to draw another");
        T x;
        do x = Draw(rng); while (EqualityComparer<T>.Default.Equals(x, not));
        return x;
    }

    /// <summary><paramref name="k"/> distinct items among those <paramref name="where"/> admits, by popularity.</summary>
    public List<T> Sample(Rng rng, int k, Func<T, bool> where)
    {
        var pool = _items.Select((x, i) => (x, w: _weights[i])).Where(p => where(p.x)).ToList();
        var picked = new List<T>();
        while (picked.Count < k && pool.Count > 0)
        {
            int j = rng.Weighted(pool.Select(p => p.w).ToList());
            picked.Add(pool[j].x);
            pool.RemoveAt(j);
        }
        return picked;
    }
}
