using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>
/// The torch.save fixtures (written by tools/torch_pickle_fixtures.py) and hand-made archives for the bad-input tests:
/// zip files from System.IO.Compression and pickles assembled opcode by opcode, so that no Python runs at test time
/// and nothing in them could run at all.
/// </summary>
static class TorchPickleTestFiles
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", "torch_pickle");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>A zip archive of the members in order; stored unless <paramref name="level"/> says otherwise.</summary>
    public static void WriteArchive(string path, IEnumerable<(string Name, byte[] Data)> members,
        CompressionLevel level = CompressionLevel.NoCompression)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var (name, data) in members)
        {
            using var member = zip.CreateEntry(name, level).Open();
            member.Write(data);
        }
    }

    /// <summary>torch.save's layout for one storage: archive/data.pkl, archive/data/0, archive/version.</summary>
    public static void WriteOneStorageArchive(string path, byte[] pickle, byte[] storage,
        CompressionLevel level = CompressionLevel.NoCompression) =>
        WriteArchive(path, [("archive/data.pkl", pickle), ("archive/data/0", storage), ("archive/version", "3\n"u8.ToArray())], level);

    /// <summary>
    /// data.pkl of <c>{name: _rebuild_tensor_v2(('storage', torch.&lt;storageType&gt;, '0', 'cpu', numel), offset, size,
    /// stride, False, OrderedDict())}</c>, opcode for opcode as torch.save writes it (protocol 2, see
    /// tools/torch_pickle_fixtures.py's output under pickletools.dis).
    /// </summary>
    public static byte[] OneTensorPickle(string name, string storageType, long numel, long[] size, long[] stride, long offset = 0) =>
        new Pickle()
            .Proto().EmptyDict().Mark()
            .Str(name).Global("torch._utils", "_rebuild_tensor_v2")
            .Mark()
            .Mark().Str("storage").Global("torch", storageType).Str("0").Str("cpu").Int(numel).Op('t').Op('Q')
            .Int(offset).Tuple(size).Tuple(stride).Op(0x89)
            .Global("collections", "OrderedDict").Op(')').Op('R')
            .Op('t').Op('R')
            .Op('u').Op('.')
            .ToArray();

    /// <summary>Pickle bytes, opcode by opcode.</summary>
    public sealed class Pickle
    {
        readonly MemoryStream _bytes = new();

        public Pickle Op(char opcode) => Op((byte)opcode);

        public Pickle Op(byte opcode)
        {
            _bytes.WriteByte(opcode);
            return this;
        }

        public Pickle Raw(ReadOnlySpan<byte> bytes)
        {
            _bytes.Write(bytes);
            return this;
        }

        public Pickle Proto(byte protocol = 2) => Op(0x80).Op(protocol);
        public Pickle EmptyDict() => Op('}');
        public Pickle Mark() => Op('(');

        /// <summary>GLOBAL: "c" module "\n" name "\n".</summary>
        public Pickle Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

        /// <summary>BINUNICODE: a 4-byte little-endian length, then UTF-8.</summary>
        public Pickle Str(string text)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            return Op('X').Raw(length).Raw(utf8);
        }

        /// <summary>BININT1 below 256, else BININT (4 bytes, signed), as pickle chooses.</summary>
        public Pickle Int(long value)
        {
            if (value is >= 0 and < 256) return Op('K').Op((byte)value);
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, checked((int)value));
            return Op('J').Raw(bytes);
        }

        /// <summary>A tuple of integers: MARK, the items, TUPLE.</summary>
        public Pickle Tuple(long[] items)
        {
            Mark();
            foreach (long item in items) Int(item);
            return Op('t');
        }

        public byte[] ToArray() => _bytes.ToArray();
    }

    public static byte[] Floats(int count) => CheckpointTestFiles.Floats(Enumerable.Range(0, count).Select(i => i + 0.5f).ToArray());
}
