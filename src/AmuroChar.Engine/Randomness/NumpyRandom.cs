namespace AmuroChar.Randomness;

/// <summary>
/// <c>numpy.random.default_rng(seed).permutation(n)</c>, bit for bit: what Hugging Face <c>datasets</c>'
/// <c>Dataset.shuffle(seed=…)</c> draws, so the paper scale's <c>shuffle(seed=42).select(range(6000))</c> picks the
/// authors' rows. Three pieces, each as numpy implements it (checked against numpy 1.24 by
/// tests/AmuroChar.Tests/Randomness/NumpyRandomTests.cs, fixtures from tools/numpy_fixtures.py):
/// <list type="number">
/// <item><b>SeedSequence</b> (O'Neill's seed_seq hashing as numpy's <c>bit_generator.pyx</c> adapts it): the seed's
/// 32-bit words mixed into a pool of four, then four 64-bit words drawn from the pool.</item>
/// <item><b>PCG64</b>: a 128-bit LCG (multiplier 0x2360ED051FC65DA4_4385DF649FCCF645) seeded as
/// <c>pcg_setseq_128_srandom_r</c> does from words 0–1 (state) and 2–3 (stream), output XSL-RR 128/64. A 32-bit draw
/// is half of a 64-bit one, the low half first, the high half kept for the next 32-bit draw.</item>
/// <item><b>Fisher–Yates</b> from the last index down, each swapped with <c>random_interval(i)</c>: a uniform integer
/// in [0, i] by masking to the smallest all-ones mask ≥ i and rejecting values above i, from 32-bit draws while
/// i &lt; 2^32. (Measured: numpy 1.24's <c>Generator.permutation</c> uses this masked rejection, not the Lemire bounded
/// integers of <c>Generator.integers</c>.)</item>
/// </list>
/// </summary>
public sealed class NumpyPcg64
{
    static readonly UInt128 Multiplier = new(0x2360ED051FC65DA4UL, 0x4385DF649FCCF645UL);

    UInt128 _state, _increment;
    bool _hasHalf;
    uint _half;

    /// <summary><c>PCG64(SeedSequence(seed))</c>, as <c>default_rng(seed)</c> builds it.</summary>
    public NumpyPcg64(ulong seed)
    {
        var words = SeedSequence.GenerateState64(seed, 4);
        _increment = (new UInt128(words[2], words[3]) << 1) | 1;
        _state = 0;
        Step();
        _state += new UInt128(words[0], words[1]);
        Step();
    }

    void Step() => _state = _state * Multiplier + _increment;

    /// <summary>The next 64-bit output (numpy's <c>random_raw</c>).</summary>
    public ulong Next64()
    {
        Step();
        ulong folded = (ulong)(_state >> 64) ^ (ulong)_state;
        return ulong.RotateRight(folded, (int)(_state >> 122));
    }

    public uint Next32()
    {
        if (_hasHalf) { _hasHalf = false; return _half; }
        ulong next = Next64();
        _hasHalf = true;
        _half = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>numpy's <c>random_interval(max)</c>: uniform in [0, max] by masked rejection.</summary>
    public ulong Interval(ulong max)
    {
        if (max == 0) return 0;
        ulong mask = max;
        for (int shift = 1; shift <= 32; shift <<= 1) mask |= mask >> shift;
        ulong value;
        if (max <= uint.MaxValue) do value = Next32() & mask; while (value > max);
        else do value = Next64() & mask; while (value > max);
        return value;
    }

    /// <summary><c>np.random.default_rng(seed).permutation(n)</c>.</summary>
    public static int[] Permutation(int n, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var rng = new NumpyPcg64(seed);
        var items = new int[n];
        for (int i = 0; i < n; i++) items[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)rng.Interval((ulong)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}

/// <summary>numpy's <c>SeedSequence</c> for an integer seed with no spawn key and the default pool of four words.</summary>
public static class SeedSequence
{
    const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
    const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
    const int PoolSize = 4, XShift = 16;

    /// <summary>The pool after mixing in the seed's 32-bit words (least significant first; 0 is one word).</summary>
    public static uint[] Pool(ulong seed)
    {
        uint[] entropy = seed >> 32 == 0 ? [(uint)seed] : [(uint)seed, (uint)(seed >> 32)];
        uint hashConst = InitA;
        uint HashMix(uint value)
        {
            value ^= hashConst;
            hashConst *= MultA;
            value *= hashConst;
            return value ^ (value >> XShift);
        }
        static uint Mix(uint x, uint y)
        {
            uint result = MixMultL * x - MixMultR * y;
            return result ^ (result >> XShift);
        }
        var pool = new uint[PoolSize];
        for (int i = 0; i < PoolSize; i++) pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0);
        for (int source = 0; source < PoolSize; source++)
            for (int target = 0; target < PoolSize; target++)
                if (source != target) pool[target] = Mix(pool[target], HashMix(pool[source]));
        // Entropy beyond the pool's four words is mixed in after; a 64-bit seed has at most two.
        return pool;
    }

    /// <summary><c>generate_state(words, np.uint64)</c>: pairs of 32-bit outputs, little-endian.</summary>
    public static ulong[] GenerateState64(ulong seed, int words)
    {
        var pool = Pool(seed);
        uint hashConst = InitB;
        var state = new ulong[words];
        for (int i = 0; i < 2 * words; i++)
        {
            uint value = pool[i % PoolSize] ^ hashConst;
            hashConst *= MultB;
            value *= hashConst;
            value ^= value >> XShift;
            state[i / 2] |= (ulong)value << (32 * (i % 2));
        }
        return state;
    }
}
