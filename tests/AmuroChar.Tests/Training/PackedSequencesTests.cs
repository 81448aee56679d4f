using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Training;

public class PackedSequencesTests
{
    // Token i is i, so a window is contiguous exactly when each row counts up by one.
    static readonly int[] Stream = Enumerable.Range(0, 103).ToArray();
    const int Length = 10, Batch = 3;

    static long[][] Rows(PackedSequences data, int step)
    {
        var t = data.Batch(step, Batch);
        Assert.Equal(new long[] { Batch, Length + 1 }, t.shape);
        var flat = t.data<long>().ToArray();
        return Enumerable.Range(0, Batch).Select(b => flat[(b * (Length + 1))..((b + 1) * (Length + 1))]).ToArray();
    }

    [Fact]
    public void Windows_are_contiguous_slices_starting_at_multiples_of_the_length()
    {
        var data = new PackedSequences(Stream, Length, seed: 1);
        Assert.Equal(10, data.Windows);   // (103 - 1) / 10
        for (int step = 0; step < 12; step++)
            foreach (var row in Rows(data, step))
            {
                Assert.Equal(0, row[0] % Length);
                Assert.Equal(Enumerable.Range((int)row[0], Length + 1).Select(x => (long)x), row);
            }
    }

    [Fact]
    public void A_step_batch_is_a_pure_function_of_seed_and_step()
    {
        var sequential = new PackedSequences(Stream, Length, seed: 5);
        var all = Enumerable.Range(0, 20).Select(s => Rows(sequential, s)).ToList();
        // Fresh instances asked in another order, and across epoch boundaries, give the same batches.
        foreach (int step in new[] { 17, 3, 0, 9, 19, 6 })
            Assert.Equal(all[step], Rows(new PackedSequences(Stream, Length, seed: 5), step));
        var again = new PackedSequences(Stream, Length, seed: 5);
        foreach (int step in Enumerable.Range(0, 20).Reverse()) Assert.Equal(all[step], Rows(again, step));

        var other = new PackedSequences(Stream, Length, seed: 6);
        Assert.NotEqual(all.Take(4).SelectMany(r => r.Select(x => x[0])), Enumerable.Range(0, 4).SelectMany(s => Rows(other, s).Select(x => x[0])));
    }

    [Fact]
    public void Each_epoch_visits_every_window_once()
    {
        var data = new PackedSequences(Stream, Length, seed: 2);
        // 10 windows, 3 per step: global sequence positions 0..29 are three epochs.
        var starts = Enumerable.Range(0, 10).SelectMany(s => Rows(data, s).Select(r => r[0])).ToList();
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(Enumerable.Range(0, 10).Select(w => (long)w * Length), starts.Skip(epoch * 10).Take(10).Order());
        Assert.NotEqual(starts.Take(10), starts.Skip(10).Take(10));   // reshuffled per epoch
    }

    [Fact]
    public void A_stream_shorter_than_one_window_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new PackedSequences(new int[10], 10, 1));
        Assert.Contains("shorter than one sequence", e.Message);
        Assert.Equal(1, new PackedSequences(new int[11], 10, 1).Windows);
    }
}
