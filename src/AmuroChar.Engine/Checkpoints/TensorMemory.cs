using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>
/// Moves bytes between files and the memory of contiguous CPU tensors without an intermediate managed buffer, so a
/// multi-gigabyte checkpoint never needs a byte[] of its size. safetensors data is little-endian; so is every machine
/// this project targets, so the bytes go in and out unchanged.
/// </summary>
internal static unsafe class TensorMemory
{
    // Spans are int-sized; I/O goes in pieces of at most 1 GiB.
    const int ChunkBytes = 1 << 30;

    public static bool CanAccessDirectly(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.is_contiguous();

    public static long ByteLength(Tensor tensor) => tensor.NumberOfElements * tensor.ElementSize;

    /// <summary>Fills the contiguous CPU tensor with <paramref name="length"/> bytes read at <paramref name="fileOffset"/>.</summary>
    public static void ReadFromFile(SafeFileHandle file, long fileOffset, Tensor destination, string path, string name)
    {
        EnsureLittleEndian();
        long length = ByteLength(destination);
        if (length == 0) return;
        byte* pointer = DataPointer(destination);
        while (length > 0)
        {
            int read = RandomAccess.Read(file, new Span<byte>(pointer, (int)Math.Min(length, ChunkBytes)), fileOffset);
            if (read == 0)
                throw new InvalidDataException($"{path}: unexpected end of file while reading tensor '{name}' " +
                                               "(was the file truncated or replaced while loading?)");
            pointer += read;
            fileOffset += read;
            length -= read;
        }
    }

    /// <summary>Writes the bytes of a contiguous CPU tensor to <paramref name="stream"/>.</summary>
    public static void WriteToStream(Tensor source, Stream stream)
    {
        EnsureLittleEndian();
        long length = ByteLength(source);
        if (length == 0) return;
        byte* pointer = DataPointer(source);
        while (length > 0)
        {
            int chunk = (int)Math.Min(length, ChunkBytes);
            stream.Write(new ReadOnlySpan<byte>(pointer, chunk));
            pointer += chunk;
            length -= chunk;
        }
    }

    /// <summary>
    /// The address of a contiguous CPU tensor's first element. TorchSharp's <c>bytes</c> span refuses tensors over
    /// 2 GiB, so it is taken from a one-element view, which shares the storage and starts at the same address.
    /// </summary>
    static byte* DataPointer(Tensor tensor)
    {
        if (!CanAccessDirectly(tensor)) throw new ArgumentException("tensor must be contiguous and on the CPU", nameof(tensor));
        using var noGrad = torch.no_grad();
        using var flat = tensor.view(-1);
        using var first = flat.narrow(0, 0, 1);
        return (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }

    static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors I/O assumes a little-endian machine");
    }
}
