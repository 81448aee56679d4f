using static TorchSharp.torch;

namespace AmuroChar.Training;

/// <summary>
/// A token stream cut into windows of length+1 tokens (documents packed back to back, each ended by EOS), served in
/// an order that is a pure function of (seed, step): each epoch is a seeded permutation of the windows. Resuming at
/// step s therefore needs no saved data-loader state, and a resumed run sees exactly the batches it would have seen.
/// </summary>
public sealed class PackedSequences
{
    readonly int[] _tokens;
    readonly int _length;
    readonly long _seed;
    readonly Dictionary<int, int[]> _orders = new();

    public int Windows { get; }

    public PackedSequences(int[] tokens, int sequenceLength, long seed)
    {
        _tokens = tokens;
        _length = sequenceLength;
        _seed = seed;
        Windows = (tokens.Length - 1) / sequenceLength;
        if (Windows < 1) throw new ArgumentException($"token stream of {tokens.Length} tokens is shorter than one sequence of {sequenceLength + 1}");
    }

    /// <summary>The batch of step <paramref name="step"/> as an int64 tensor [batch, length + 1].</summary>
    public Tensor Batch(int step, int batchSize, Device? device = null)
    {
        var data = new long[batchSize * (_length + 1)];
        for (int j = 0; j < batchSize; j++)
        {
            long global = (long)step * batchSize + j;
            int epoch = (int)(global / Windows), position = (int)(global % Windows);
            int start = Order(epoch)[position] * _length;
            for (int t = 0; t <= _length; t++) data[j * (_length + 1) + t] = _tokens[start + t];
        }
        return tensor(data, [batchSize, _length + 1], device: device);
    }

    int[] Order(int epoch)
    {
        if (_orders.TryGetValue(epoch, out var order)) return order;
        order = Enumerable.Range(0, Windows).ToArray();
        var rng = AmuroChar.Randomness.Rng.For(_seed, $"pretrain-order/{epoch}");
        rng.Shuffle(order);
        if (_orders.Count > 4) _orders.Clear();
        return _orders[epoch] = order;
    }
}
