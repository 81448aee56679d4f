using System.Text.Json;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tests.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Model;

/// <summary>
/// GPT-NeoX (Pythia's architecture) in TorchSharp against an independent PyTorch implementation written from the
/// architecture's description (tools/gpt_neox_reference.py, float64): the same log-probabilities to 1e-4 on three
/// random small models (<see cref="GptNeoXFixtures"/>), through the full pass, the KV-cached incremental path and
/// left-padded batches; and the loader's strictness about the tensors of a checkpoint. No Python runs here: the
/// models and the reference's answers are committed under Model/Fixtures/gpt_neox/.
///
/// To regenerate the fixtures (after changing <see cref="GptNeoXFixtures.All"/> or the reference), from the
/// repository root:
/// <code>
///   AMUROCHAR_WRITE_GPT_NEOX_FIXTURES=1 dotnet test tests/AmuroChar.Tests --filter "FullyQualifiedName~GptNeoXFixtureWriter"
///   /usr/bin/python3 tools/gpt_neox_reference.py --write-fixtures tests/AmuroChar.Tests/Model/Fixtures/gpt_neox
/// </code>
/// The first writes each config.json + model.safetensors, the second each expected.json: Debian's python3 with
/// python3-torch and python3-numpy (apt-get install python3-torch), nothing else. The sequences are seeded by the
/// fixture's name, so rerunning the second command alone reproduces expected.json to the last digit.
/// </summary>
public sealed class GptNeoXTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    public static TheoryData<string> Names => new(GptNeoXFixtures.All.Select(f => f.Name));

    sealed record Sequence(int[] Tokens, double[] Logprobs);
    sealed record Expected(Sequence[] Sequences);

    static Expected Read(string name) =>
        JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.Combine(GptNeoXFixtures.Directory(name), "expected.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    static Tensor Ids(params int[] tokens) => tensor(tokens.Select(t => (long)t).ToArray(), device: CPU).unsqueeze(0);

    /// <summary>log p(tokens[i+1] | ..i) from logits [T, vocab] of exactly those tokens.</summary>
    static double[] Logprobs(Tensor logits, IReadOnlyList<int> tokens)
    {
        var lp = logits.to(ScalarType.Float64).log_softmax(-1);
        return Enumerable.Range(1, tokens.Count - 1).Select(i => lp[i - 1, tokens[i]].item<double>()).ToArray();
    }

    static double MaxDiff(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(a.Count, b.Count);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    [Theory, MemberData(nameof(Names))]
    public void Full_pass_logprobs_equal_the_reference(string name)
    {
        using var model = GptNeoXLoader.Load(GptNeoXFixtures.Directory(name));
        using var _ = no_grad();
        double worst = 0;
        foreach (var sequence in Read(name).Sequences)
        {
            using var scope = NewDisposeScope();
            worst = Math.Max(worst, MaxDiff(Logprobs(model.Forward(Ids(sequence.Tokens))[0], sequence.Tokens), sequence.Logprobs));
        }
        output.WriteLine($"{name}: full pass, max |Δ logprob| {worst:E2}");
        Assert.True(worst <= Tolerance, $"{name}: max |Δ logprob| {worst:E2} > {Tolerance}");
    }

    [Theory, MemberData(nameof(Names))]
    public void Kv_cached_decoding_equals_the_reference(string name)
    {
        using var model = GptNeoXLoader.Load(GptNeoXFixtures.Directory(name));
        using var _ = no_grad();
        double worst = 0;
        foreach (var sequence in Read(name).Sequences)
        {
            using var scope = NewDisposeScope();
            int[] tokens = sequence.Tokens;
            int prefix = tokens.Length / 3;
            using var cache = new KvCache(model.Shape, 1, tokens.Length, model.Device);
            var pieces = new List<Tensor> { model.Forward(Ids(tokens[..prefix]), cache: cache)[0] };
            for (int i = prefix; i < tokens.Length; i++) pieces.Add(model.Forward(Ids(tokens[i]), cache: cache)[0]);
            worst = Math.Max(worst, MaxDiff(Logprobs(cat(pieces.ToArray(), 0), tokens), sequence.Logprobs));
        }
        output.WriteLine($"{name}: prefill + one token at a time, max |Δ logprob| {worst:E2}");
        Assert.True(worst <= Tolerance, $"{name}: max |Δ logprob| {worst:E2} > {Tolerance}");
    }

    [Theory, MemberData(nameof(Names))]
    public void Left_padded_batch_rows_equal_the_rows_alone_and_the_reference(string name)
    {
        using var model = GptNeoXLoader.Load(GptNeoXFixtures.Directory(name));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var sequences = Read(name).Sequences;
        int width = sequences.Max(s => s.Tokens.Length);
        (Tensor Ids, Tensor Mask) LeftPadded(Func<int[], int[]> take)
        {
            var rows = sequences.Select(s => take(s.Tokens)).ToArray();
            int w = rows.Max(r => r.Length);
            var ids = rows.Select(r => Enumerable.Repeat(0L, w - r.Length).Concat(r.Select(t => (long)t))).SelectMany(x => x).ToArray();
            var mask = rows.Select(r => Enumerable.Repeat(0L, w - r.Length).Concat(Enumerable.Repeat(1L, r.Length))).SelectMany(x => x).ToArray();
            return (tensor(ids, device: CPU).view(rows.Length, w), tensor(mask, device: CPU).view(rows.Length, w));
        }

        var (batch, mask) = LeftPadded(t => t);
        var together = model.Forward(batch, mask);
        double worstAlone = 0, worstReference = 0;
        for (int r = 0; r < sequences.Length; r++)
        {
            int[] tokens = sequences[r].Tokens;
            var row = Logprobs(together[r, (width - tokens.Length)..], tokens);
            worstAlone = Math.Max(worstAlone, MaxDiff(row, Logprobs(model.Forward(Ids(tokens))[0], tokens)));
            worstReference = Math.Max(worstReference, MaxDiff(row, sequences[r].Logprobs));
        }

        // The same rows through the cache: a left-padded prefill of all but the last 4 tokens, then one token at a time.
        const int steps = 4;
        var (prefixes, prefixMask) = LeftPadded(t => t[..^steps]);
        using var cache = new KvCache(model.Shape, sequences.Length, width, model.Device);
        var prefilled = model.Forward(prefixes, prefixMask, cache);
        var last = prefilled.narrow(1, prefilled.shape[1] - 1, 1);
        var stepped = new List<Tensor> { last };
        for (int i = steps; i > 1; i--)
        {
            var next = tensor(sequences.Select(s => (long)s.Tokens[^i]).ToArray(), device: CPU).view(-1, 1);
            stepped.Add(model.Forward(next, ones(sequences.Length, 1, ScalarType.Int64, CPU), cache));
        }
        var tail = cat(stepped.ToArray(), 1).to(ScalarType.Float64).log_softmax(-1);   // predicts the last `steps` tokens
        double worstCached = 0;
        for (int r = 0; r < sequences.Length; r++)
            for (int j = 0; j < steps; j++)
            {
                int target = sequences[r].Tokens[^(steps - j)];
                double expected = sequences[r].Logprobs[^(steps - j)];
                worstCached = Math.Max(worstCached, Math.Abs(tail[r, j, target].item<double>() - expected));
            }

        output.WriteLine($"{name}: left-padded rows vs alone {worstAlone:E2}, vs reference {worstReference:E2}, cached after a padded prefill vs reference {worstCached:E2}");
        Assert.True(worstAlone <= 1e-5, $"padded rows differ from the rows alone by {worstAlone:E2}");
        Assert.True(worstReference <= Tolerance, $"padded rows differ from the reference by {worstReference:E2}");
        Assert.True(worstCached <= Tolerance, $"cached padded rows differ from the reference by {worstCached:E2}");
    }
}
