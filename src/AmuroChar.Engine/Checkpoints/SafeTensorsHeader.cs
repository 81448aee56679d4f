using System.Text.Json;
using AmuroChar.Model;

namespace AmuroChar.Checkpoints;

/// <summary>One tensor of a safetensors file: its dtype, shape and byte range within the data buffer.</summary>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
    public string ShapeText => OlmoParameterShapes.Format(Shape);
}

/// <summary>
/// The parsed and validated header of a safetensors file. Validation follows the format's rules (and the reference
/// implementation's checks): every tensor's byte range matches its shape and dtype, and the ranges tile the data
/// buffer exactly, without holes, overlaps or trailing bytes. A torch.save checkpoint's tensors are described by the
/// same type (<see cref="ForTorchCheckpoint"/>), so that the loaders read both formats through one interface.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we, before allocating for one.</summary>
    public const long MaxHeaderLength = 100_000_000;

    readonly Dictionary<string, SafeTensorsEntry> _byName;

    SafeTensorsHeader(string path, long headerLength, long dataStart, List<SafeTensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        HeaderLength = headerLength;
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>N, the length of the JSON header (including any space padding).</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data buffer starts in the file; tensor offsets are relative to it. 0 for a torch.save
    /// checkpoint (<see cref="TorchZipCheckpoint"/>), whose entries hold offsets into the file itself.</summary>
    public long DataStart { get; }

    /// <summary>Tensors in buffer order (by offset).</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The data buffer's length (safetensors; for a torch.save checkpoint, the end of the last tensor by offset).</summary>
    public long BufferLength => Entries.Count == 0 ? 0 : Entries[^1].End;

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafeTensorsEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Parses and validates the header JSON (the N bytes after the length prefix, padding included) of a file of
    /// <paramref name="fileLength"/> bytes. Throws <see cref="InvalidDataException"/> naming <paramref name="path"/>
    /// and the problem.
    /// </summary>
    public static SafeTensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long fileLength)
    {
        long headerLength = json.Length;
        if (json.Length == 0 || json.Span[0] != (byte)'{')
            throw Invalid(path, "header does not start with '{' (not a safetensors file?)");

        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: malformed safetensors header JSON: {e.Message}", e); }

        using (document)
        {
            // Valid JSON that starts with '{' is an object.
            var root = document.RootElement;
            var entries = new List<SafeTensorsEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            Dictionary<string, string>? metadata = null;
            // Enumerating the raw object sees every key, duplicates included (a deserializer would keep only the last).
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw Invalid(path, property.Name == "__metadata__"
                        ? "duplicate __metadata__ entry in header"
                        : $"duplicate tensor name '{property.Name}' in header");
                if (property.Name == "__metadata__") metadata = ParseMetadata(path, property.Value);
                else entries.Add(ParseEntry(path, property.Name, property.Value));
            }

            long bufferLength = fileLength - 8 - headerLength;
            CheckLayout(path, entries, bufferLength);
            return new SafeTensorsHeader(path, headerLength, 8 + headerLength, entries, metadata ?? []);
        }
    }

    /// <summary>
    /// The tensors of a torch.save checkpoint, described as safetensors entries so that every loader reads both
    /// formats alike: each entry's byte range is absolute in the file (a contiguous view of an uncompressed zip member).
    /// Unlike safetensors, ranges may overlap (tied weights share a storage) and need not tile the file; the reader
    /// (<see cref="TorchZipCheckpoint"/>) has checked that each lies within its storage. <see cref="HeaderLength"/> is 0.
    /// </summary>
    internal static SafeTensorsHeader ForTorchCheckpoint(string path, List<SafeTensorsEntry> entries)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : string.CompareOrdinal(a.Name, b.Name));
        return new SafeTensorsHeader(path, headerLength: 0, dataStart: 0, entries, []);
    }

    static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Null) return metadata;
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"__metadata__ must be an object of strings, not {Describe(value)}");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"__metadata__ value for key '{item.Name}' is not a string but {Describe(item.Value)}");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Invalid(path, $"duplicate __metadata__ key '{item.Name}'");
        }
        return metadata;
    }

    static SafeTensorsEntry ParseEntry(string path, string name, JsonElement value)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"{where}: expected an object with dtype, shape and data_offsets, found {Describe(value)}");

        JsonElement? dtypeJson = null, shapeJson = null, offsetsJson = null;
        foreach (var field in value.EnumerateObject())
        {
            // Other keys are ignored, as the reference implementation does.
            switch (field.Name)
            {
                case "dtype": dtypeJson = FirstOccurrence(path, where, dtypeJson, field); break;
                case "shape": shapeJson = FirstOccurrence(path, where, shapeJson, field); break;
                case "data_offsets": offsetsJson = FirstOccurrence(path, where, offsetsJson, field); break;
            }
        }

        if (dtypeJson is not { } dtypeValue) throw Invalid(path, $"{where}: missing 'dtype'");
        if (shapeJson is not { } shapeValue) throw Invalid(path, $"{where}: missing 'shape'");
        if (offsetsJson is not { } offsetsValue) throw Invalid(path, $"{where}: missing 'data_offsets'");

        if (dtypeValue.ValueKind != JsonValueKind.String)
            throw Invalid(path, $"{where}: dtype must be a string, not {Describe(dtypeValue)}");
        string dtypeName = dtypeValue.GetString()!;
        var dtype = SafeTensorsDTypes.Parse(dtypeName)
            ?? throw Invalid(path, $"{where}: unknown or unsupported dtype '{dtypeName}' " +
                                   $"(supported: {string.Join(", ", Enum.GetNames<SafeTensorsDType>())})");

        long[] shape = ReadIntegers(path, where, "shape", shapeValue, "dimension");
        long[] offsets = ReadIntegers(path, where, "data_offsets", offsetsValue, "offset");
        if (offsets.Length != 2)
            throw Invalid(path, $"{where}: data_offsets must be [begin, end], found {offsets.Length} numbers");
        var entry = new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        if (entry.Begin > entry.End)
            throw Invalid(path, $"{where}: data_offsets [{entry.Begin}, {entry.End}] have begin after end");

        long expectedBytes;
        try
        {
            expectedBytes = dtype.SizeInBytes();
            foreach (long dimension in shape) expectedBytes = checked(expectedBytes * dimension);
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"{where}: shape {entry.ShapeText} is too large");
        }
        if (expectedBytes != entry.ByteLength)
            throw Invalid(path, $"{where}: shape {entry.ShapeText} of {dtype} needs {expectedBytes} bytes, " +
                                $"but data_offsets [{entry.Begin}, {entry.End}] span {entry.ByteLength} bytes");
        return entry;
    }

    static JsonElement FirstOccurrence(string path, string where, JsonElement? earlier, JsonProperty field) =>
        earlier is null ? field.Value : throw Invalid(path, $"{where}: duplicate key '{field.Name}'");

    static long[] ReadIntegers(string path, string where, string key, JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"{where}: {key} must be an array of integers, not {Describe(value)}");
        var numbers = new long[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number))
                throw Invalid(path, $"{where}: {key} must contain integers, found {item.GetRawText()}");
            if (number < 0) throw Invalid(path, $"{where}: negative {what} {number} in {key}");
            numbers[i++] = number;
        }
        return numbers;
    }

    /// <summary>The byte ranges must lie in the buffer and tile it exactly: no overlaps, holes or trailing bytes.</summary>
    static void CheckLayout(string path, List<SafeTensorsEntry> entries, long bufferLength)
    {
        foreach (var entry in entries)
            if (entry.End > bufferLength)
                throw Invalid(path, $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] are out of range: " +
                                    $"the data buffer has only {bufferLength} bytes (is the file truncated?)");

        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long covered = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < covered)
                throw Invalid(path, $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and " +
                                    $"'{entry.Name}' [{entry.Begin}, {entry.End}] overlap in the data buffer");
            if (entry.Begin > covered)
                throw Invalid(path, $"bytes {covered}..{entry.Begin} of the data buffer are not covered by any tensor " +
                                    $"(a hole before '{entry.Name}')");
            covered = entry.End;
            previous = entry;
        }
        if (covered != bufferLength)
            throw Invalid(path, $"bytes {covered}..{bufferLength} of the data buffer are not covered by any tensor " +
                                "(trailing bytes after the last tensor)");
    }

    static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    internal static InvalidDataException Invalid(string path, string problem) => new($"{path}: {problem}");
}
