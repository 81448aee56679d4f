using System.Security.Cryptography;
using System.Text.Json;
using AmuroChar.Randomness;
using Xunit;

namespace AmuroChar.Tests.Randomness;

/// <summary>
/// numpy's default_rng and its permutation, bit for bit, against what numpy 1.24 computed
/// (Fixtures/numpy_permutations.json, written by tools/numpy_fixtures.py): the seed hashing, the raw PCG64 stream, and
/// permutations of several lengths up to MNLI's 392,702 rows, for seeds from 0 to beyond 2^63.
/// </summary>
public class NumpyRandomTests
{
    public static TheoryData<string> Seeds() => [.. Cases().Select(c => c.GetProperty("seed").GetString()!)];

    static IEnumerable<JsonElement> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Randomness", "Fixtures", "numpy_permutations.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
    }

    static JsonElement Case(string seed) => Cases().Single(c => c.GetProperty("seed").GetString() == seed);

    static ulong[] Words(JsonElement e) => [.. e.EnumerateArray().Select(w => ulong.Parse(w.GetString()!, System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_seed_sequence_and_the_raw_stream_are_numpys(string seed)
    {
        var c = Case(seed);
        ulong s = ulong.Parse(seed, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Words(c.GetProperty("state")), SeedSequence.GenerateState64(s, 4));
        var rng = new NumpyPcg64(s);
        Assert.Equal(Words(c.GetProperty("raw")), Enumerable.Range(0, 8).Select(_ => rng.Next64()));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Permutations_are_numpys_to_the_last_index(string seed)
    {
        ulong s = ulong.Parse(seed, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var p in Case(seed).GetProperty("permutations").EnumerateArray())
        {
            int n = p.GetProperty("n").GetInt32();
            int[] permutation = NumpyPcg64.Permutation(n, s);
            Assert.Equal(p.GetProperty("head").EnumerateArray().Select(i => i.GetInt32()), permutation.Take(100));
            byte[] bytes = new byte[8 * n];
            for (int i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan(8 * i), (long)permutation[i]);
            Assert.True(Convert.ToHexStringLower(SHA256.HashData(bytes)) == p.GetProperty("sha256").GetString(), $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void A_32_bit_draw_is_the_low_half_then_the_high_half_of_a_64_bit_one()
    {
        var wide = new NumpyPcg64(42);
        var narrow = new NumpyPcg64(42);
        ulong first = wide.Next64(), second = wide.Next64();
        Assert.Equal([(uint)first, (uint)(first >> 32), (uint)second], new[] { narrow.Next32(), narrow.Next32(), narrow.Next32() });
    }
}
