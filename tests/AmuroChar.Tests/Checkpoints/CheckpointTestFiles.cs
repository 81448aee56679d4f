using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>A fresh directory per test, deleted afterwards.</summary>
sealed class TempDirectory : IDisposable
{
    public TempDirectory() =>
        Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "amurochar-tests", Guid.NewGuid().ToString("N")));

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

static class CheckpointTestFiles
{
    /// <summary>Writes a safetensors file by hand, byte by byte as the format describes: u64 LE header length, the
    /// header bytes, then the buffer. <paramref name="headerLength"/> overrides the length prefix to forge bad files.</summary>
    public static void WriteRaw(string path, string headerJson, byte[] buffer, ulong? headerLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        buffer.CopyTo(bytes, 8 + header.Length);
        File.WriteAllBytes(path, bytes);
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] RawBytes(Tensor tensor)
    {
        using var contiguous = tensor.contiguous();
        return contiguous.bytes.ToArray();
    }

    public static Tensor Random(long[] shape, ScalarType dtype, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var values = torch.randn(shape, generator: generator);
        return values.to(dtype);
    }
}
