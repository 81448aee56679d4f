using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// A Hugging Face <c>datasets</c> folder as <c>Dataset.save_to_disk</c> writes it: <c>state.json</c> (which names the
/// data files in order, and the split), <c>dataset_info.json</c> (the features, with ClassLabel names) and one or more
/// <c>data-0000i-of-0000n.arrow</c> files in the Arrow IPC <em>stream</em> format. <c>DatasetDict.save_to_disk</c>
/// writes <c>dataset_dict.json</c> (<c>{"splits": [...]}</c>) and one such folder per split.
/// </summary>
public sealed class ArrowDatasetFolder
{
    public const string StateFile = "state.json";
    public const string InfoFile = "dataset_info.json";
    public const string DictFile = "dataset_dict.json";

    public string Directory { get; }
    public IReadOnlyList<string> DataFiles { get; }

    /// <summary>The split the folder says it holds (state.json's <c>_split</c>), when it says.</summary>
    public string? Split { get; }

    /// <summary>Column → ClassLabel names, from dataset_info.json's features (top-level columns only).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClassLabels { get; }

    ArrowDatasetFolder(string directory, IReadOnlyList<string> dataFiles, string? split, IReadOnlyDictionary<string, IReadOnlyList<string>> classLabels)
    {
        Directory = directory;
        DataFiles = dataFiles;
        Split = split;
        ClassLabels = classLabels;
    }

    public static bool IsDataset(string directory) => File.Exists(Path.Combine(directory, StateFile));

    public static bool IsDatasetDict(string directory) => File.Exists(Path.Combine(directory, DictFile));

    /// <summary>The splits a DatasetDict folder lists in dataset_dict.json.</summary>
    public static IReadOnlyList<string> DictSplits(string directory)
    {
        string path = Path.Combine(directory, DictFile);
        using var doc = ParseJson(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("splits", out var splits)
            || splits.ValueKind != JsonValueKind.Array || splits.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
            throw new InvalidDataException($"{path}: expected {{\"splits\": [\"train\", ...]}} as datasets' DatasetDict.save_to_disk writes it");
        return [.. splits.EnumerateArray().Select(s => s.GetString()!)];
    }

    public static ArrowDatasetFolder Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"dataset folder not found: {directory}");
        string statePath = Path.Combine(directory, StateFile);
        // A folder that can't be listed hides its state.json from File.Exists: say so, not "no state.json".
        try { _ = System.IO.Directory.EnumerateFileSystemEntries(directory).Any(); }
        catch (UnauthorizedAccessException e) { throw new UnauthorizedAccessException($"{directory}: the dataset folder can't be read (permission denied: {e.Message})", e); }
        if (!File.Exists(statePath))
            throw new InvalidDataException(IsDatasetDict(directory)
                ? $"{directory}: a DatasetDict folder (dataset_dict.json), not one split; point at one of its split folders ({string.Join(", ", DictSplits(directory))})"
                : $"{directory}: not a datasets save_to_disk folder: no {StateFile}");
        var files = new List<string>();
        string? split = null;
        using (var state = ParseJson(statePath))
        {
            var root = state.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("_data_files", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{statePath}: no \"_data_files\" list");
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("filename", out var name) || name.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{statePath}: an entry of \"_data_files\" has no \"filename\" string");
                string file = name.GetString()!;
                // A data file lies beside state.json, never elsewhere.
                if (file.Length == 0 || file is "." or ".." || file.IndexOfAny(['/', '\\']) >= 0)
                    throw new InvalidDataException($"{statePath}: data file name \"{file}\" is not a plain file name");
                string path = Path.Combine(directory, file);
                if (!File.Exists(path)) throw new FileNotFoundException($"{statePath}: lists {file}, which does not exist", path);
                files.Add(path);
            }
            if (files.Count == 0) throw new InvalidDataException($"{statePath}: \"_data_files\" is empty");
            if (root.TryGetProperty("_split", out var s) && s.ValueKind == JsonValueKind.String) split = s.GetString();
        }
        return new ArrowDatasetFolder(directory, files, split, ReadClassLabels(Path.Combine(directory, InfoFile)));
    }

    /// <summary>Every record, in order, as plain values. "row N" counts from 0 over the whole dataset, as
    /// <c>dataset[N]</c> does; the error names the .arrow file that holds it.</summary>
    internal IEnumerable<HfRow> Rows()
    {
        long row = 0;
        foreach (string path in DataFiles)
        {
            CheckComplete(path);
            using var stream = File.OpenRead(path);
            using var reader = Read(path, () => new ArrowStreamReader(stream));
            while (Read(path, reader.ReadNextRecordBatch) is { } batch)
            {
                using (batch)
                {
                    var fields = batch.Schema.FieldsList;
                    for (int i = 0; i < batch.Length; i++, row++)
                    {
                        var values = new Dictionary<string, object?>(fields.Count);
                        for (int c = 0; c < fields.Count; c++)
                            values[fields[c].Name] = Value(batch.Column(c), i, path, row, fields[c].Name);
                        yield return new HfRow(path, $"row {row}", values);
                    }
                }
            }
        }
        if (row == 0) throw new InvalidDataException($"{Directory}: the dataset has no rows");
    }

    /// <summary>
    /// A stream that pyarrow closed ends with the end-of-stream marker (0xFFFFFFFF then a zero length; the pre-0.15
    /// form, a zero length alone, is not accepted: a body's zero padding would pass for it). A file cut after 2 of its 4 record batches reads as a shorter, valid-looking stream,
    /// and was loaded as 2,000 of 3,270 rows without a word; without the marker it is an error naming the file.
    /// </summary>
    static void CheckComplete(string path)
    {
        Span<byte> tail = stackalloc byte[8];
        using var file = File.OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        int read = length >= 8 ? RandomAccess.Read(file, tail, length - 8) : 0;
        bool marked = read == 8 && tail.SequenceEqual(EndOfStream);
        if (!marked)
            throw new InvalidDataException($"{path}: the Arrow stream has no end-of-stream marker, so it was cut short (an interrupted copy or download?); " +
                                           "write the split again with save_to_disk");
    }

    static ReadOnlySpan<byte> EndOfStream => [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];

    static T Read<T>(string path, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a readable Arrow IPC stream ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>One cell as a plain value (see <see cref="HfRow"/>): strings, integers as long, floats as double, lists
    /// and structs recursively.</summary>
    static object? Value(IArrowArray array, int i, string path, long row, string column)
    {
        if (array.IsNull(i)) return null;
        return array switch
        {
            StringArray a => a.GetString(i),
            LargeStringArray a => a.GetString(i),
            StringViewArray a => a.GetString(i),
            BooleanArray a => a.GetValue(i),
            Int8Array a => (long)a.GetValue(i)!.Value,
            Int16Array a => (long)a.GetValue(i)!.Value,
            Int32Array a => (long)a.GetValue(i)!.Value,
            Int64Array a => a.GetValue(i)!.Value,
            UInt8Array a => (long)a.GetValue(i)!.Value,
            UInt16Array a => (long)a.GetValue(i)!.Value,
            UInt32Array a => (long)a.GetValue(i)!.Value,
            UInt64Array a when a.GetValue(i)!.Value <= long.MaxValue => (long)a.GetValue(i)!.Value,
            // Through the shortest round-trip text, as the Parquet reader does, so a float32 3.8 stays 3.8.
            FloatArray a => double.Parse(a.GetValue(i)!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture),
            DoubleArray a => a.GetValue(i)!.Value,
            StructArray a => ((StructType)a.Data.DataType).Fields
                .Select((f, k) => (f.Name, Value: Value(a.Fields[k], i, path, row, $"{column}.{f.Name}")))
                .ToDictionary(p => p.Name, p => p.Value),
            ListArray a => Items(a.GetSlicedValues(i), path, row, column),
            LargeListArray a => Items(a.GetSlicedValues(i), path, row, column),
            FixedSizeListArray a => Items(a.GetSlicedValues(i), path, row, column),
            _ => throw new InvalidDataException($"{path}: row {row}: column '{column}' has Arrow type {array.Data.DataType.Name}, which the loaders do not read"),
        };
    }

    static List<object?> Items(IArrowArray values, string path, long row, string column) =>
        [.. Enumerable.Range(0, values.Length).Select(k => Value(values, k, path, row, $"{column}[{k}]"))];

    /// <summary>ClassLabel features: <c>{"names": [...], "_type": "ClassLabel"}</c>. A missing dataset_info.json is
    /// allowed (older or hand-made folders); a malformed one is an error.</summary>
    static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadClassLabels(string infoPath)
    {
        var labels = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!File.Exists(infoPath)) return labels;
        using var doc = ParseJson(infoPath);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("features", out var features)
            || features.ValueKind != JsonValueKind.Object)
            return labels;
        foreach (var feature in features.EnumerateObject())
            if (feature.Value.ValueKind == JsonValueKind.Object
                && feature.Value.TryGetProperty("_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "ClassLabel"
                && feature.Value.TryGetProperty("names", out var names) && names.ValueKind == JsonValueKind.Array)
                labels[feature.Name] = [.. names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString()!
                    : throw new InvalidDataException($"{infoPath}: ClassLabel names of '{feature.Name}' must be strings"))];
        return labels;
    }

    static JsonDocument ParseJson(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
    }
}
