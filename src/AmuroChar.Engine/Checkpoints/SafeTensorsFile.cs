using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AmuroChar.Model;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON describing each tensor's dtype, shape and byte range, then the tensor bytes
/// (little-endian, row-major). Reading streams tensor by tensor into tensor memory; nothing holds the whole file.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Reads and validates the header (and the file's size against it) without touching tensor data.</summary>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using var file = OpenForReading(path);
        return ReadHeader(file, path);
    }

    /// <summary>
    /// Loads every tensor as a new CPU tensor. With <paramref name="convertTo"/>, floating-point tensors are converted
    /// to that type (as <c>model.to(dtype)</c> does); integer and bool tensors keep theirs.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, ScalarType? convertTo = null)
    {
        using var file = OpenForReading(path);
        var header = ReadHeader(file, path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in header.Entries) tensors[entry.Name] = ReadTensor(file, header, entry, convertTo);
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>
    /// Streams the file's tensors into existing tensors (e.g. a model's parameters), converting between floating-point
    /// types as needed. Every target must be in the file with the same shape, and (unless
    /// <paramref name="allowUnexpected"/>) every tensor in the file must have a target. All of that is checked before
    /// the first byte is written, so a failed load leaves the targets untouched.
    /// </summary>
    public static void LoadInto(string path, IReadOnlyDictionary<string, Tensor> targets, bool allowUnexpected = false)
    {
        using var file = OpenForReading(path);
        var header = ReadHeader(file, path);

        var missing = targets.Keys.Where(name => !header.Contains(name)).ToList();
        if (missing.Count > 0) throw SafeTensorsHeader.Invalid(path, $"missing tensors: {string.Join(", ", missing)}");
        if (!allowUnexpected)
        {
            var unexpected = header.Entries.Select(e => e.Name).Where(name => !targets.ContainsKey(name)).ToList();
            if (unexpected.Count > 0)
                throw SafeTensorsHeader.Invalid(path, $"unexpected tensors (no target for them): {string.Join(", ", unexpected)}");
        }

        var pairs = header.Entries.Where(e => targets.ContainsKey(e.Name)).Select(e => (e, targets[e.Name])).ToList();
        foreach (var (entry, target) in pairs) CheckCompatible(header, entry, target, "the target tensor");
        CopyInto(file, header, pairs);
    }

    /// <summary>
    /// Writes the tensors atomically (a reader never sees a partial file), streaming one tensor at a time; tensors
    /// that are not contiguous or not on the CPU are copied one at a time. The layout is the reference writer's:
    /// tensors ordered by descending dtype alignment, then by name, and the JSON header padded with spaces to a
    /// multiple of 8 bytes so every tensor starts 8-byte aligned.
    /// </summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var layout = PlanLayout(tensors);
        byte[] header = BuildHeader(layout, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var planned in layout)
            {
                using var scope = torch.NewDisposeScope();
                var data = planned.Tensor.detach().cpu().contiguous();
                TensorMemory.WriteToStream(data, stream);
            }
        });
    }

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, tensors.Select(pair => (pair.Key, pair.Value)), metadata);

    /// <summary>Bytes a tensor occupies in a safetensors file.</summary>
    public static long ByteLength(Tensor tensor) => TensorMemory.ByteLength(tensor);

    internal static SafeFileHandle OpenForReading(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: safetensors file not found", path);
        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    internal static SafeTensorsHeader ReadHeader(SafeFileHandle file, string path)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
            throw SafeTensorsHeader.Invalid(path, $"file is truncated: {fileLength} bytes, shorter than the 8-byte header length prefix");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(file, prefix, 0, path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafeTensorsHeader.MaxHeaderLength)
            throw SafeTensorsHeader.Invalid(path, $"header length {headerLength} is absurdly large " +
                                                  $"(the limit is {SafeTensorsHeader.MaxHeaderLength} bytes; not a safetensors file?)");
        if (8 + (long)headerLength > fileLength)
            throw SafeTensorsHeader.Invalid(path, $"header length {headerLength} runs past the end of the file " +
                                                  $"({fileLength} bytes; truncated?)");
        var json = new byte[headerLength];
        ReadExactly(file, json, 8, path);
        return SafeTensorsHeader.Parse(path, json, fileLength);
    }

    /// <summary>Reads one entry as a new CPU tensor, converting floating-point data to <paramref name="convertTo"/>.</summary>
    internal static Tensor ReadTensor(SafeFileHandle file, SafeTensorsHeader header, SafeTensorsEntry entry, ScalarType? convertTo)
    {
        using var scope = torch.NewDisposeScope();
        var tensor = torch.empty(entry.Shape, entry.DType.ToScalarType());
        TensorMemory.ReadFromFile(file, header.DataStart + entry.Begin, tensor, header.Path, entry.Name);
        if (convertTo is { } type && tensor.dtype != type && SafeTensorsDTypes.CanConvert(tensor.dtype, type))
            tensor = tensor.to(type);
        return tensor.MoveToOuterDisposeScope();
    }

    /// <summary>Throws unless the entry can be loaded into <paramref name="target"/>; <paramref name="expectedBy"/>
    /// names what decided the target's shape, for the message.</summary>
    internal static void CheckCompatible(SafeTensorsHeader header, SafeTensorsEntry entry, Tensor target, string expectedBy)
    {
        if (!entry.Shape.SequenceEqual(target.shape))
            throw SafeTensorsHeader.Invalid(header.Path, $"tensor '{entry.Name}' has shape {entry.ShapeText}, but " +
                                                         $"{expectedBy} expects {OlmoParameterShapes.Format(target.shape)}");
        if (!SafeTensorsDTypes.CanConvert(entry.DType.ToScalarType(), target.dtype))
            throw SafeTensorsHeader.Invalid(header.Path, $"tensor '{entry.Name}' is {entry.DType} and cannot be loaded into " +
                                                         $"a {target.dtype} tensor (only floating-point types convert)");
    }

    /// <summary>Copies already-validated entries into their targets: straight into the target's memory when it is a
    /// contiguous CPU tensor of the file's dtype, else through one temporary tensor per entry.</summary>
    internal static void CopyInto(SafeFileHandle file, SafeTensorsHeader header, IEnumerable<(SafeTensorsEntry Entry, Tensor Target)> pairs)
    {
        foreach (var (entry, target) in pairs)
        {
            using var scope = torch.NewDisposeScope();
            var fileType = entry.DType.ToScalarType();
            long offset = header.DataStart + entry.Begin;
            if (target.dtype == fileType && TensorMemory.CanAccessDirectly(target))
            {
                TensorMemory.ReadFromFile(file, offset, target, header.Path, entry.Name);
                continue;
            }
            var staging = torch.empty(entry.Shape, fileType);
            TensorMemory.ReadFromFile(file, offset, staging, header.Path, entry.Name);
            using var noGrad = torch.no_grad();
            target.copy_(staging);
        }
    }

    sealed record PlannedTensor(string Name, Tensor Tensor, SafeTensorsDType DType, long Begin, long End);

    static List<PlannedTensor> PlanLayout(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var items = new List<(string Name, Tensor Tensor, SafeTensorsDType DType, byte[] Utf8Name)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor");
            if (!names.Add(name)) throw new ArgumentException($"duplicate tensor name '{name}'");
            var dtype = SafeTensorsDTypes.FromScalarType(tensor.dtype)
                ?? throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors I/O here does not support");
            items.Add((name, tensor, dtype, Encoding.UTF8.GetBytes(name)));
        }
        // The reference writer's order: descending dtype (alignment), then names compared as UTF-8 bytes.
        items.Sort((a, b) => a.DType != b.DType ? b.DType.CompareTo(a.DType) : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name));

        var layout = new List<PlannedTensor>(items.Count);
        long offset = 0;
        foreach (var (name, tensor, dtype, _) in items)
        {
            long end = offset + TensorMemory.ByteLength(tensor);
            layout.Add(new PlannedTensor(name, tensor, dtype, offset, end));
            offset = end;
        }
        return layout;
    }

    static readonly JsonWriterOptions HeaderJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static byte[] BuildHeader(List<PlannedTensor> layout, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, HeaderJson))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var planned in layout)
            {
                json.WriteStartObject(planned.Name);
                json.WriteString("dtype", planned.DType.ToString());
                json.WriteStartArray("shape");
                foreach (long dimension in planned.Tensor.shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(planned.Begin);
                json.WriteNumberValue(planned.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data buffer (at 8 + N) starts 8-byte aligned, as the reference writer does.
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset, string path)
    {
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0) throw SafeTensorsHeader.Invalid(path, "unexpected end of file while reading the header");
            destination = destination[read..];
            offset += read;
        }
    }
}
