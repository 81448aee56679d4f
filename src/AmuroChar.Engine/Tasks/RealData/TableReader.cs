using System.Collections;
using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Serialization;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// Reads the records of a JSON Lines file (what <c>datasets</c>' <c>to_json</c> writes), a Parquet file (what the
/// Hugging Face hub serves) or a <c>save_to_disk</c> folder (Arrow IPC streams, see <see cref="ArrowDatasetFolder"/>) as
/// <see cref="HfRow"/>s. A file's format follows its extension: <c>.jsonl</c>/<c>.json</c> or <c>.parquet</c>. Records
/// come one at a time (Parquet one row group, Arrow one record batch at a time), so a large file is never held twice.
/// </summary>
internal static class TableReader
{
    public static readonly IReadOnlyList<string> Extensions = [".jsonl", ".json", ".parquet"];

    /// <summary>Checks the path before any reading, so a wrong path fails at once and not on first enumeration.</summary>
    public static IEnumerable<HfRow> Open(string path)
    {
        if (Directory.Exists(path)) return ArrowDatasetFolder.Open(path).Rows();
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".jsonl" or ".json" => ReadJsonLines(path),
            ".parquet" => ReadParquet(path),
            _ => throw new ArgumentException(
                $"cannot tell the format of {path} from its extension '{ext}'; supported: {string.Join(", ", Extensions)}", nameof(path)),
        };
    }

    static IEnumerable<HfRow> ReadJsonLines(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        int lineNumber = 0, records = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            Dictionary<string, object?> values;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException(
                        $"{path}: line {lineNumber}: expected a JSON object, found {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}"
                        + (line.TrimStart().StartsWith('[') ? " (a JSON array file? expected JSON Lines: one object per line)" : ""));
                values = (Dictionary<string, object?>)FromJson(doc.RootElement)!;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: line {lineNumber}: not valid JSON ({e.Message})", e);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json parses "\ud800" but refuses to turn a lone surrogate into a string. Python's json
                // writes such escapes for text that was never valid Unicode.
                throw new InvalidDataException($"{path}: line {lineNumber}: a string holds an invalid escape such as a lone UTF-16 surrogate (\\ud800): {e.Message}", e);
            }
            records++;
            yield return new HfRow(path, $"line {lineNumber}", values);
        }
        if (records == 0) throw new InvalidDataException($"{path}: the file is empty (no JSON lines)");
    }

    static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (d, p) => { d[p.Name] = FromJson(p.Value); return d; }),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    static IEnumerable<HfRow> ReadParquet(string path)
    {
        if (new FileInfo(path).Length == 0) throw new InvalidDataException($"{path}: the file is empty");
        using var stream = File.OpenRead(path);
        int groups = ReadPart(path, async () =>
        {
            await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true);
            return reader.RowGroupCount;
        });
        long row = 0;
        for (int g = 0; g < groups; g++)
        {
            var data = ReadPart(path, async () =>
            {
                stream.Position = 0;
                return (await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: g)).Data;
            });
            foreach (var record in data)
            {
                var values = new Dictionary<string, object?>(record.Count);
                foreach (var (k, v) in record) values[k] = FromParquet(v);
                yield return new HfRow(path, $"row {row++}", values);
            }
        }
        if (row == 0) throw new InvalidDataException($"{path}: the file has no rows");
    }

    /// <summary>Runs a Parquet.Net call off any synchronization context and turns its failures (truncated or corrupt
    /// file, unsupported encoding) into <see cref="InvalidDataException"/>s that name the file.</summary>
    static T ReadPart<T>(string path, Func<Task<T>> read)
    {
        try { return Task.Run(read).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Parquet.Net's untyped values as plain ones: strings may come as <see cref="ReadOnlyMemory{T}"/>, integers
    /// in every width, structs as dictionaries of several kinds, lists as typed lists.</summary>
    static object? FromParquet(object? v) => v switch
    {
        null => null,
        string s => s,
        ReadOnlyMemory<char> m => m.ToString(),
        bool b => b,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(v, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (double)u,
        // Through the shortest round-trip text, so a float32 3.8 stays 3.8 and not 3.7999999523162842.
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double d => d,
        decimal m => (double)m,
        IDictionary d => d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => FromParquet(d[k])),
        IEnumerable<KeyValuePair<string, object?>> kvs => kvs.ToDictionary(kv => kv.Key, kv => FromParquet(kv.Value)),
        byte[] => v, // binary: left as is, so a typed getter reports it as the wrong type
        IEnumerable e => e.Cast<object?>().Select(FromParquet).ToList(),
        _ => v,
    };
}
