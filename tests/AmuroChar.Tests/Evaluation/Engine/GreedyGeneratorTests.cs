using AmuroChar.Evaluation;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Evaluation.Engine;

public class GreedyGeneratorTests
{
    const int Pad = 1, Eos = 0;

    /// <summary>Prompts of different lengths sharing a 12-token prefix (like few-shot demonstrations).</summary>
    static List<int[]> Prompts(int vocab)
    {
        var rng = new AmuroChar.Randomness.Rng(21);
        int[] Random(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(2, vocab)).ToArray();
        int[] prefix = Random(12);
        return [[.. prefix, .. Random(1)], [.. prefix, .. Random(7)], [.. prefix, .. Random(4)], [.. prefix, .. Random(9)], [.. prefix, .. Random(2)]];
    }

    [Fact]
    public void Cached_generation_equals_uncached_generation()
    {
        using var model = MicroFixtures.Model(seed: 5, initializerRange: 0.3);
        var prompts = Prompts(MicroFixtures.Tokenizer.VocabularySize);
        var generator = new GreedyGenerator(model, Pad, Eos, batchSize: 2);   // three batches
        var cached = generator.Generate(prompts, maxNewTokens: 10, useCache: true);
        var uncached = generator.Generate(prompts, maxNewTokens: 10, useCache: false);

        Assert.Equal(prompts.Count, cached.Length);
        for (int i = 0; i < prompts.Count; i++) Assert.Equal(uncached[i], cached[i]);
        Assert.True(cached.Sum(c => c.Length) >= 20, $"too little was generated to compare: {string.Join(" / ", cached.Select(c => c.Length))}");
        Assert.True(cached.Select(c => string.Join(",", c)).Distinct().Count() > 1, "every prompt produced the same tokens");

        // Each prompt alone (no padding, no shared prefix) decodes the same as in the batch.
        var single = new GreedyGenerator(model, Pad, Eos, batchSize: 1);
        for (int i = 0; i < prompts.Count; i++) Assert.Equal(cached[i], single.Generate([prompts[i]], 10, useCache: false)[0]);
    }

    [Fact]
    public void A_row_stops_at_its_stop_condition_and_respects_the_token_limit()
    {
        using var model = MicroFixtures.Model(seed: 5, initializerRange: 0.3);
        var prompts = Prompts(MicroFixtures.Tokenizer.VocabularySize);
        var generator = new GreedyGenerator(model, Pad, Eos);
        var full = generator.Generate(prompts, maxNewTokens: 6);
        Assert.All(full, o => Assert.InRange(o.Length, 0, 6));
        Assert.DoesNotContain(full, o => o.Contains(Eos));

        var stopped = generator.Generate(prompts, maxNewTokens: 6, stop: ids => ids.Count == 2);
        for (int i = 0; i < prompts.Count; i++) Assert.Equal(full[i].Take(2), stopped[i]);
    }
}
