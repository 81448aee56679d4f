using System.Buffers.Binary;
using System.Text;

namespace AmuroChar.Checkpoints;

/// <summary>A storage as torch.save names it in a persistent id: <c>('storage', torch.&lt;T&gt;Storage, key, location,
/// numel)</c>; its bytes are the archive member <c>data/&lt;key&gt;</c>.</summary>
internal sealed record TorchStorageRef(string Key, SafeTensorsDType DType, string Location, long Numel);

/// <summary>What <c>torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, …)</c> would build, described
/// instead of built: a view of <see cref="Storage"/> (offset and stride in elements).</summary>
internal sealed record TorchTensorRef(TorchStorageRef Storage, long StorageOffset, long[] Size, long[] Stride);

/// <summary>
/// A data parser for the pickle inside a torch.save checkpoint (<c>data.pkl</c>): it understands the opcodes that
/// torch.save emits for a state dict (protocols 2 to 5) and evaluates nothing. Of Python's callables it knows only a
/// whitelist — <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c> and <c>_rebuild_parameter</c>,
/// and the typed <c>torch.*Storage</c> classes — and even those only in the shapes torch.save produces; any other
/// opcode or global (<c>os.system</c>, <c>builtins.eval</c>, …) is an error naming it and its byte offset. The result is
/// the state dict as (name, tensor description) pairs, in the pickle's order.
/// </summary>
internal sealed class TorchPickle
{
    static readonly Dictionary<string, SafeTensorsDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = SafeTensorsDType.F32, ["HalfStorage"] = SafeTensorsDType.F16, ["BFloat16Storage"] = SafeTensorsDType.BF16,
        ["DoubleStorage"] = SafeTensorsDType.F64, ["LongStorage"] = SafeTensorsDType.I64, ["IntStorage"] = SafeTensorsDType.I32,
        ["ShortStorage"] = SafeTensorsDType.I16, ["CharStorage"] = SafeTensorsDType.I8, ["ByteStorage"] = SafeTensorsDType.U8,
        ["BoolStorage"] = SafeTensorsDType.BOOL,
    };

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    const string OrderedDict = "collections.OrderedDict", RebuildTensor = "torch._utils._rebuild_tensor_v2",
        RebuildParameter = "torch._utils._rebuild_parameter";

    /// <summary>A whitelisted global, by its dotted name.</summary>
    sealed record Global(string Name);

    /// <summary>A dict or OrderedDict, items in insertion order.</summary>
    sealed class Dict
    {
        public readonly List<KeyValuePair<object?, object?>> Items = [];
    }

    readonly byte[] _data;
    readonly string _source;
    readonly List<object?> _stack = [];
    readonly Stack<int> _marks = new();
    readonly Dictionary<long, object?> _memo = [];
    int _position, _opcodeAt;

    TorchPickle(byte[] data, string source)
    {
        _data = data;
        _source = source;
    }

    /// <summary>Parses <paramref name="data"/>; <paramref name="source"/> ("file: archive/data.pkl") starts every error.</summary>
    public static List<(string Name, TorchTensorRef Tensor)> ReadStateDict(byte[] data, string source) =>
        new TorchPickle(data, source).Run();

    List<(string Name, TorchTensorRef Tensor)> Run()
    {
        object? result = Execute();
        if (result is not Dict dict)
            throw new InvalidDataException($"{_source}: the pickle holds {Describe(result)}, not a state dict (a dict of tensors)");
        var tensors = new List<(string, TorchTensorRef)>(dict.Items.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name) throw new InvalidDataException($"{_source}: state dict key {Describe(key)} is not a string");
            if (value is not TorchTensorRef tensor) throw new InvalidDataException($"{_source}: '{name}' is {Describe(value)}, not a tensor");
            if (!names.Add(name)) throw new InvalidDataException($"{_source}: tensor name '{name}' appears twice");
            tensors.Add((name, tensor));
        }
        return tensors;
    }

    object? Execute()
    {
        while (true)
        {
            _opcodeAt = _position;
            byte opcode = Take(1)[0];
            switch (opcode)
            {
                case 0x80: // PROTO
                    int protocol = Take(1)[0];
                    if (protocol is < 2 or > 5) throw Fail($"pickle protocol {protocol} is not one torch.save writes (2 to 5)");
                    break;
                case 0x95: Take(8); break; // FRAME: a hint for streaming readers; the whole pickle is in memory
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0) throw Fail("STOP with a malformed stack");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); break; // MARK
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'K': Push((long)Take(1)[0]); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case 0x8a: Push(Long(Take(Take(1)[0]))); break; // LONG1
                case (byte)'X': Push(Utf8(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(Take(1)[0]))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))))); break; // BINUNICODE8
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'a': { var item = Pop(); Peek<List<object?>>("APPEND").Add(item); break; }
                case (byte)'e': { var items = PopMark(); Peek<List<object?>>("APPENDS").AddRange(items); break; }
                case (byte)'}': Push(new Dict()); break; // EMPTY_DICT
                case (byte)'s': { var value = Pop(); var key = Pop(); Peek<Dict>("SETITEM").Items.Add(new(key, value)); break; }
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw Fail("SETITEMS with an odd number of items");
                    var dict = Peek<Dict>("SETITEMS");
                    for (int i = 0; i < items.Count; i += 2) dict.Items.Add(new(items[i], items[i + 1]));
                    break;
                }
                case (byte)'q': Memo(Take(1)[0]); break; // BINPUT
                case (byte)'r': Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
                case 0x94: Memo(_memo.Count); break; // MEMOIZE
                case (byte)'h': Push(Recall(Take(1)[0])); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'c': Push(Resolve(Line(), Line())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop(); var module = Pop();
                    if (module is not string m || name is not string n) throw Fail("STACK_GLOBAL of non-strings");
                    Push(Resolve(m, n));
                    break;
                }
                case (byte)'Q': Push(PersistentStorage(Pop())); break; // BINPERSID
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; } // REDUCE
                case (byte)'b': // BUILD
                {
                    // An OrderedDict's instance attributes (a module state dict's _metadata: versions per submodule);
                    // they are not items and mean nothing to the weights, so they are dropped.
                    var state = Pop();
                    if (Peek<object?>("BUILD") is not Dict || state is not Dict)
                        throw Fail($"BUILD of {Describe(state)} on {Describe(_stack[^1])}; torch.save only sets a state dict's attributes");
                    break;
                }
                default:
                    throw Fail($"unsupported pickle opcode 0x{opcode:X2}{(opcode is >= 0x20 and < 0x7F ? $" ('{(char)opcode}')" : "")}: " +
                               "only what torch.save writes for a state dict is read");
            }
        }
    }

    /// <summary>A GLOBAL: only the whitelist resolves; anything else stops the parse before it could be called.</summary>
    object Resolve(string module, string name)
    {
        string dotted = $"{module}.{name}";
        if (module == "torch" && StorageTypes.ContainsKey(name)) return new Global(dotted);
        if (dotted is OrderedDict or RebuildTensor or RebuildParameter) return new Global(dotted);
        throw Fail($"global '{dotted}' is not allowed: a state dict needs only {OrderedDict}, {RebuildTensor}, {RebuildParameter} and " +
                   "the torch.*Storage types (nothing in a checkpoint is ever executed)");
    }

    object? Reduce(object? callable, object? args)
    {
        if (callable is not Global global || args is not object?[] a)
            throw Fail($"REDUCE of {Describe(callable)} with {Describe(args)}");
        switch (global.Name)
        {
            case OrderedDict when a.Length == 0:
                return new Dict();
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            case RebuildTensor when a.Length is 6 or 7 && a[0] is TorchStorageRef storage && a[1] is long offset and >= 0 && a[4] is bool
                                    && a[5] is Dict { Items.Count: 0 } && (a.Length == 6 || a[6] is null or Dict):
                return new TorchTensorRef(storage, offset, Integers(a[2], "size"), Integers(a[3], "stride"));
            // (tensor, requires_grad, backward_hooks): a Parameter is its tensor here.
            case RebuildParameter when a.Length == 3 && a[0] is TorchTensorRef tensor && a[1] is bool && a[2] is Dict { Items.Count: 0 }:
                return tensor;
            default:
                throw Fail($"REDUCE of {global.Name} with arguments {Describe(args)} is not what torch.save writes for a state dict");
        }
    }

    TorchStorageRef PersistentStorage(object? id)
    {
        if (id is object?[] { Length: 5 } t && t[0] is "storage" && t[1] is Global type && t[2] is string key && t[3] is string location
            && t[4] is long numel && numel >= 0 && type.Name.StartsWith("torch.", StringComparison.Ordinal)
            && StorageTypes.TryGetValue(type.Name["torch.".Length..], out var dtype))
            return new TorchStorageRef(key, dtype, location, numel);
        throw Fail($"persistent id {Describe(id)} is not ('storage', torch.<Type>Storage, key, location, numel)");
    }

    long[] Integers(object? value, string what)
    {
        if (value is not object?[] items || items.Any(item => item is not long n || n < 0))
            throw Fail($"tensor {what} {Describe(value)} is not a tuple of non-negative integers");
        return items.Select(item => (long)item!).ToArray();
    }

    ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position) throw Fail("the pickle ends in the middle of an opcode (truncated?)");
        _position += count;
        return _data.AsSpan(_position - count, count);
    }

    int Length(ulong length) =>
        length <= (ulong)(_data.Length - _position) ? (int)length : throw Fail($"a string of {length} bytes runs past the end of the pickle");

    string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0) throw Fail("GLOBAL without a newline (truncated?)");
        string line = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    long Long(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8) throw Fail($"LONG1 of {bytes.Length} bytes is beyond any tensor size");
        long value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) value -= 1L << (8 * bytes.Length); // two's complement
        return value;
    }

    string Utf8(ReadOnlySpan<byte> bytes)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Fail("a string is not valid UTF-8"); }
    }

    void Push(object? value) => _stack.Add(value);

    object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() == _stack.Count)) throw Fail("stack underflow");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    T Peek<T>(string opcode)
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() == _stack.Count)) throw Fail($"{opcode} on an empty stack");
        return _stack[^1] is T value ? value : throw Fail($"{opcode} on {Describe(_stack[^1])}");
    }

    List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Fail("no MARK to pop to");
        int mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    void Memo(long index) => _memo[index] = Peek<object?>("PUT");

    object? Recall(long index) => _memo.TryGetValue(index, out var value) ? value : throw Fail($"GET of memo {index}, which was never PUT");

    static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"the string '{(s.Length > 40 ? s[..40] + "…" : s)}'",
        long n => $"the integer {n}",
        bool b => b ? "True" : "False",
        object?[] t => $"a tuple of {t.Length}",
        List<object?> l => $"a list of {l.Count}",
        Dict d => $"a dict of {d.Items.Count}",
        Global g => g.Name,
        TorchStorageRef s => $"storage '{s.Key}'",
        TorchTensorRef => "a tensor",
        _ => value.GetType().Name,
    };

    InvalidDataException Fail(string problem) => new($"{_source}: {problem} (at byte {_opcodeAt})");
}
