using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AmuroChar.Checkpoints;

/// <summary>One member of a zip archive stored uncompressed: where its bytes lie in the archive file.</summary>
internal sealed record StoredZipEntry(string Name, long DataOffset, long Length);

/// <summary>
/// The members of a zip archive whose members are all stored, not compressed, as PyTorch's <c>torch.save</c> writes
/// them (so that tensor bytes can be read in place). Only the central directory and the local headers are read, never
/// member data; zip64 is understood (checkpoints over 4 GiB need it). Compressed, encrypted or multi-disk archives are
/// refused: <c>torch.save</c> never writes them. CRCs are not checked, as the safetensors path checks no checksums.
/// </summary>
internal static class StoredZip
{
    const uint LocalHeaderSignature = 0x04034b50, CentralHeaderSignature = 0x02014b50;
    const uint EndSignature = 0x06054b50, Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50;
    const int EndLength = 22, Zip64LocatorLength = 20, Zip64EndLength = 56, CentralHeaderLength = 46, LocalHeaderLength = 30;

    /// <summary>A state dict's central directory is a few hundred bytes per tensor; anything near this is not one.</summary>
    const long MaxCentralDirectoryLength = 256L << 20;

    public static Dictionary<string, StoredZipEntry> ReadEntries(SafeFileHandle file, string path)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 4) throw Invalid(path, $"file is truncated: {fileLength} bytes, too short for a zip archive");
        var magic = Read(file, 0, 4, path);
        if (BinaryPrimitives.ReadUInt32LittleEndian(magic) != LocalHeaderSignature)
            throw Invalid(path, magic[0] == 0x80
                ? "not a zip archive but a bare pickle: the legacy torch.save format (PyTorch before 1.6) is not supported; re-save it with torch.save from PyTorch 1.6 or later"
                : "not a zip archive (no 'PK' signature at the start), so not a torch.save checkpoint");

        var (count, directoryOffset, directoryLength, directoryEnd) = FindCentralDirectory(file, fileLength, path);
        if (directoryLength > MaxCentralDirectoryLength)
            throw Invalid(path, $"zip central directory of {directoryLength} bytes is absurdly large (the limit is {MaxCentralDirectoryLength})");
        if (directoryOffset < 0 || directoryLength < 0 || directoryOffset > directoryEnd - directoryLength || count < 0
            || count > directoryLength / CentralHeaderLength)
            throw Invalid(path, $"zip central directory ({count} members, {directoryLength} bytes at {directoryOffset}) does not fit the file (truncated?)");

        var directory = Read(file, directoryOffset, (int)directoryLength, path);
        var entries = new Dictionary<string, StoredZipEntry>(StringComparer.Ordinal);
        int at = 0;
        for (long i = 0; i < count; i++)
        {
            var entry = ReadCentralHeader(file, directory, ref at, directoryOffset, path);
            if (!entries.TryAdd(entry.Name, entry)) throw Invalid(path, $"zip member '{entry.Name}' appears twice");
        }
        return entries;
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/>; the end of the file is an error.</summary>
    public static byte[] Read(SafeFileHandle file, long offset, int length, string path)
    {
        var buffer = new byte[length];
        int done = 0;
        while (done < length)
        {
            int read = RandomAccess.Read(file, buffer.AsSpan(done), offset + done);
            if (read == 0) throw Invalid(path, $"unexpected end of file at byte {offset + done} (truncated?)");
            done += read;
        }
        return buffer;
    }

    /// <summary>The end-of-central-directory record sits in the last 22 + 65,535 bytes (its comment may be that long);
    /// its zip64 twin, when a count or offset overflows 16/32 bits, is found through the locator just before it.</summary>
    static (long Count, long Offset, long Length, long End) FindCentralDirectory(SafeFileHandle file, long fileLength, string path)
    {
        int tailLength = (int)Math.Min(fileLength, EndLength + 65535);
        long tailStart = fileLength - tailLength;
        var tail = Read(file, tailStart, tailLength, path);
        int end = -1;
        for (int i = tailLength - EndLength; i >= 0 && end < 0; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSignature
                && i + EndLength + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20)) == tailLength)
                end = i;
        if (end < 0) throw Invalid(path, "no zip end-of-central-directory record: the file is truncated or not a zip archive");

        var record = tail.AsSpan(end);
        int disk = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]), directoryDisk = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        long length = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]), offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        long endOffset = tailStart + end;
        if (count != 0xFFFF && length != 0xFFFFFFFF && offset != 0xFFFFFFFF)
        {
            if (disk != 0 || directoryDisk != 0) throw Invalid(path, "multi-disk zip archives are not supported");
            return (count, offset, length, endOffset);
        }

        if (endOffset < Zip64LocatorLength) throw Invalid(path, "zip64 end-of-central-directory locator is missing");
        var locator = Read(file, endOffset - Zip64LocatorLength, Zip64LocatorLength, path);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
            throw Invalid(path, "zip64 end-of-central-directory locator is missing");
        long zip64Offset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8)), long.MaxValue);
        if (zip64Offset > endOffset - Zip64LocatorLength - Zip64EndLength)
            throw Invalid(path, $"zip64 end-of-central-directory record at {zip64Offset} lies outside the file");
        var zip64 = Read(file, zip64Offset, Zip64EndLength, path).AsSpan();
        if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != Zip64EndSignature)
            throw Invalid(path, "zip64 end-of-central-directory record has a wrong signature");
        if (BinaryPrimitives.ReadUInt32LittleEndian(zip64[16..]) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(zip64[20..]) != 0)
            throw Invalid(path, "multi-disk zip archives are not supported");
        return (Clamp(BinaryPrimitives.ReadUInt64LittleEndian(zip64[32..])), Clamp(BinaryPrimitives.ReadUInt64LittleEndian(zip64[48..])),
            Clamp(BinaryPrimitives.ReadUInt64LittleEndian(zip64[40..])), zip64Offset);
    }

    static StoredZipEntry ReadCentralHeader(SafeFileHandle file, byte[] directory, ref int at, long directoryOffset, string path)
    {
        if (at + CentralHeaderLength > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != CentralHeaderSignature)
            throw Invalid(path, $"zip central directory is corrupt at byte {directoryOffset + at}");
        var header = directory.AsSpan(at, CentralHeaderLength);
        int flags = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]), method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]), size = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]), extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
        int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
        long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
        int next = at + CentralHeaderLength + nameLength + extraLength + commentLength;
        if (next > directory.Length) throw Invalid(path, $"zip central directory is corrupt at byte {directoryOffset + at}");
        string name = Encoding.UTF8.GetString(directory, at + CentralHeaderLength, nameLength);
        ReadZip64Extra(directory.AsSpan(at + CentralHeaderLength + nameLength, extraLength), ref size, ref compressed, ref localOffset);
        at = next;

        if ((flags & 1) != 0) throw Invalid(path, $"zip member '{name}' is encrypted");
        if (method != 0 || compressed != size)
            throw Invalid(path, $"zip member '{name}' is compressed (method {method}); torch.save stores every member uncompressed, and only such archives are read");

        // The data follows the local header, whose name and extra field (torch pads it to align tensor data) may differ
        // in length from the central directory's.
        if (localOffset > directoryOffset - LocalHeaderLength)
            throw Invalid(path, $"zip member '{name}': local header at {localOffset} lies outside the archive's data");
        var local = Read(file, localOffset, LocalHeaderLength, path);
        if (BinaryPrimitives.ReadUInt32LittleEndian(local) != LocalHeaderSignature)
            throw Invalid(path, $"zip member '{name}': no local header at {localOffset} (corrupt archive)");
        long dataOffset = localOffset + LocalHeaderLength + BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(26))
                          + BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(28));
        if (dataOffset > directoryOffset || size > directoryOffset - dataOffset)
            throw Invalid(path, $"zip member '{name}' ({size} bytes at {dataOffset}) runs past the archive's data (truncated or corrupt?)");
        return new StoredZipEntry(name, dataOffset, size);
    }

    /// <summary>Zip64 extra field (id 1): the 64-bit values of whichever fields hold 0xFFFFFFFF, in this order.</summary>
    static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long size, ref long compressed, ref long localOffset)
    {
        while (extra.Length >= 4)
        {
            int id = BinaryPrimitives.ReadUInt16LittleEndian(extra), length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            var body = extra.Slice(4, Math.Min(length, extra.Length - 4));
            if (id == 1)
            {
                if (size == 0xFFFFFFFF && body.Length >= 8) { size = Clamp(BinaryPrimitives.ReadUInt64LittleEndian(body)); body = body[8..]; }
                if (compressed == 0xFFFFFFFF && body.Length >= 8) { compressed = Clamp(BinaryPrimitives.ReadUInt64LittleEndian(body)); body = body[8..]; }
                if (localOffset == 0xFFFFFFFF && body.Length >= 8) localOffset = Clamp(BinaryPrimitives.ReadUInt64LittleEndian(body));
                return;
            }
            extra = extra[Math.Min(extra.Length, 4 + length)..];
        }
    }

    // Values past long.MaxValue can't be real; clamped, they fail the range checks that follow.
    static long Clamp(ulong value) => (long)Math.Min(value, long.MaxValue);

    static InvalidDataException Invalid(string path, string problem) => SafeTensorsHeader.Invalid(path, problem);
}
