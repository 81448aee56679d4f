using System.Text.Json;
using AmuroChar.Tasks;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>A scratch folder for one test, deleted afterwards. Test data is written as JSON lines in the hub's
/// schemas; <see cref="Write"/> stores them as JSONL or converts them to Parquet with Parquet.Net.</summary>
public sealed class TestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("amurochar-realdata-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    /// <summary>Writes <paramref name="jsonLines"/> as "{name}.{format}" (format "jsonl" or "parquet").</summary>
    public string Write(string name, string format, params string[] jsonLines)
    {
        string path = Path($"{name}.{format}");
        if (format == "jsonl") File.WriteAllText(path, string.Join("\n", jsonLines) + "\n");
        else WriteParquet(path, jsonLines);
        return path;
    }

    /// <summary>Converts JSON lines to Parquet: the column types come from the first line (numbers with a '.' are
    /// doubles, others longs; arrays and objects become list and struct columns), two rows per row group so
    /// reading across row groups is exercised too.</summary>
    public static void WriteParquet(string path, IReadOnlyList<string> jsonLines, int rowGroupSize = 2)
    {
        var docs = jsonLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var schema = new ParquetSchema(docs[0].EnumerateObject().Select(p => FieldFor(p.Name, p.Value)).ToArray());
        var rows = docs.Select(d => (IDictionary<string, object?>)d.EnumerateObject()
            .ToDictionary(p => p.Name, p => Value(p.Value, inList: false))).ToList();
        using var stream = File.Create(path);
        ParquetSerializer.SerializeUntypedAsync(rows, schema, stream, new ParquetOptions { RowGroupSize = rowGroupSize }).GetAwaiter().GetResult();
    }

    static Field FieldFor(string name, JsonElement sample) => sample.ValueKind switch
    {
        JsonValueKind.String => new DataField<string>(name),
        JsonValueKind.Number => sample.GetRawText().Contains('.') ? new DataField<double>(name) : new DataField<long>(name),
        JsonValueKind.True or JsonValueKind.False => new DataField<bool>(name),
        JsonValueKind.Object => new StructField(name, sample.EnumerateObject().Select(p => FieldFor(p.Name, p.Value)).ToArray()),
        JsonValueKind.Array => new ListField(name, FieldFor("element", sample[0])),
        _ => throw new NotSupportedException($"no Parquet type for {sample.ValueKind}"),
    };

    // Parquet.Net's untyped writer wants the strings inside lists as ReadOnlyMemory<char>?, plain strings elsewhere.
    static object? Value(JsonElement e, bool inList) => e.ValueKind switch
    {
        JsonValueKind.String => inList ? (ReadOnlyMemory<char>?)e.GetString()!.AsMemory() : e.GetString(),
        JsonValueKind.Number => e.GetRawText().Contains('.') ? (object)e.GetDouble() : e.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value, inList: false)),
        JsonValueKind.Array when e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.String =>
            e.EnumerateArray().Select(x => (ReadOnlyMemory<char>?)x.GetString()!.AsMemory()).ToList(),
        JsonValueKind.Array => e.EnumerateArray().Select(x => (Dictionary<string, object?>)Value(x, inList: true)!).ToList(),
        _ => null,
    };

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Every prompt format of the dataset's task renders for every example (the fields the templates name exist).</summary>
    public static void AssertRenders(Dataset dataset)
    {
        foreach (var example in dataset.Examples)
            foreach (var format in dataset.Task.Formats.Keys)
                Assert.False(string.IsNullOrWhiteSpace(dataset.Task.RenderPrompt(example, format)));
    }

    /// <summary>Same ids, fields, targets, choices and gold indices, in the same order.</summary>
    public static void AssertSameExamples(IReadOnlyList<TaskExample> expected, IReadOnlyList<TaskExample> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Id, actual[i].Id);
            Assert.Equal(expected[i].Fields.OrderBy(f => f.Key, StringComparer.Ordinal), actual[i].Fields.OrderBy(f => f.Key, StringComparer.Ordinal));
            Assert.Equal(expected[i].Target, actual[i].Target);
            Assert.Equal(expected[i].Choices, actual[i].Choices);
            Assert.Equal(expected[i].Gold, actual[i].Gold);
        }
    }
}
