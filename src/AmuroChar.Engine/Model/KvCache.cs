using static TorchSharp.torch;

namespace AmuroChar.Model;

/// <summary>
/// Keys and values of every layer for incremental decoding, preallocated to a fixed capacity so each step writes in
/// place instead of concatenating. It also remembers which cached slots are real tokens (left-padded batches) and how
/// many real tokens each row has, from which the next positions follow.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] _keys, _values;   // [B, kvHeads, capacity, headDim] per layer
    readonly Tensor _keyIsReal;          // [B, capacity]
    readonly Tensor _realCounts;         // [B, 1]

    public int Capacity { get; }
    public int Length { get; private set; }
    public bool HasPadding { get; private set; }
    internal Tensor RealCounts => _realCounts;

    /// <param name="device">The model's device (<see cref="ICausalLM.Device"/>); no default, so a cache is never on
    /// the host by accident.</param>
    public KvCache(DecoderShape shape, long batch, int capacity, Device device, ScalarType dtype = ScalarType.Float32)
    {
        if (capacity > shape.MaxPositions)
            throw new ArgumentException($"cache capacity {capacity} exceeds max_position_embeddings {shape.MaxPositions}");
        Capacity = capacity;
        _keys = new Tensor[shape.Layers];
        _values = new Tensor[shape.Layers];
        for (int i = 0; i < shape.Layers; i++)
        {
            _keys[i] = zeros([batch, shape.KeyValueHeads, capacity, shape.HeadDim], dtype, device).DetachFromDisposeScope();
            _values[i] = zeros([batch, shape.KeyValueHeads, capacity, shape.HeadDim], dtype, device).DetachFromDisposeScope();
        }
        _keyIsReal = zeros([batch, capacity], ScalarType.Bool, device).DetachFromDisposeScope();
        _realCounts = zeros([batch, 1], ScalarType.Int64, device).DetachFromDisposeScope();
    }

    /// <summary>Runs <paramref name="tokens"/> (one row) through the model into a new cache of exactly their length.</summary>
    public static KvCache Prefill(ICausalLM model, int[] tokens)
    {
        var cache = new KvCache(model.Shape, 1, tokens.Length, model.Device);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.Forward(tensor(tokens.Select(t => (long)t).ToArray(), device: model.Device).unsqueeze(0), cache: cache);
        return cache;
    }

    /// <summary>
    /// A cache for <paramref name="batch"/> rows that all start with the tokens cached (for one row) in
    /// <paramref name="prefix"/>: a few-shot prefix is computed once and shared by every evaluated item.
    /// </summary>
    public static KvCache FromPrefix(KvCache prefix, DecoderShape shape, long batch, int capacity)
    {
        if (prefix.HasPadding) throw new ArgumentException("a shared prefix must not contain padding");
        var device = prefix._keys[0].device;
        var cache = new KvCache(shape, batch, capacity, device, prefix._keys[0].dtype);
        int n = prefix.Length;
        using (no_grad())
        {
            for (int i = 0; i < prefix._keys.Length; i++)
            {
                cache._keys[i][.., .., ..n].copy_(prefix._keys[i][0..1, .., ..n].expand(batch, -1, -1, -1));
                cache._values[i][.., .., ..n].copy_(prefix._values[i][0..1, .., ..n].expand(batch, -1, -1, -1));
            }
            cache._keyIsReal[.., ..n].fill_(true);
            cache._realCounts.fill_(n);
        }
        cache.Length = n;
        return cache;
    }

    /// <summary>Writes this step's keys/values [B, kvHeads, T, headDim] after the cached ones; returns all of them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache full: {Length} + {t} > {Capacity}");
        using (no_grad())
        {
            _keys[layer][.., .., Length..(int)(Length + t)].copy_(k);
            _values[layer][.., .., Length..(int)(Length + t)].copy_(v);
        }
        return (_keys[layer][.., .., ..(int)(Length + t)], _values[layer][.., .., ..(int)(Length + t)]);
    }

    /// <summary>Marks the next <paramref name="t"/> slots of every row as real tokens.</summary>
    internal void MarkReal(long t)
    {
        _keyIsReal[.., Length..(int)(Length + t)].fill_(true);
        _realCounts.add_(t);
    }

    /// <summary>Marks the next slots from a [B, T] 0/1 mask; returns the real-key flags of all slots so far.</summary>
    internal Tensor MarkReal(Tensor real)
    {
        long t = real.shape[1];
        _keyIsReal[.., Length..(int)(Length + t)].copy_(real.to(ScalarType.Bool));
        _realCounts.add_(real.sum(1, keepdim: true));
        if (!HasPadding && real.min().item<long>() == 0) HasPadding = true;
        return _keyIsReal[.., ..(int)(Length + t)];
    }

    internal void Advance(long t) => Length += (int)t;

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
        _keyIsReal.Dispose();
        _realCounts.Dispose();
    }
}
