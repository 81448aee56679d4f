using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// The inverse of <see cref="RealDatasets.Load"/>: writes a dataset as JSON Lines in the Hugging Face schema it stands
/// in for (an NLI dataset as MNLI: premise, hypothesis, label 0/1/2, idx), so tiny-world data goes through the very
/// loaders the real files do. Loading the file back with the same schema gives the same ids, fields, targets, choices
/// and gold indices, except where a schema cannot hold something; those cases are documented on the schemas: RTE
/// writes contradiction as not_entailment (back as "neutral"), SciQ puts the correct choice last, STS-B invents
/// scores 5/0 for examples without a "score" field, Tulu writes the dataset's name as each record's subset, and
/// <see cref="TaskExample.Entities"/> are not written. Ids go in the schema's id column (as numbers where the hub
/// uses integers and the id is one), or in an added "id" column where the hub dataset has none.
/// </summary>
public static class HfSchemaExport
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="path"/> atomically: an example the schema cannot express throws an
    /// <see cref="ArgumentException"/> naming it, and the file is then left as it was.</summary>
    public static void WriteJsonl(Dataset dataset, string schemaName, string path)
    {
        var schema = HfSchemas.Get(schemaName);
        if (dataset.Task.Name != schema.Task.Name)
            throw new ArgumentException($"dataset {dataset.Key} is a '{dataset.Task.Name}' dataset; schema '{schema.Name}' ({schema.HfDataset}) holds '{schema.Task.Name}'");
        AtomicFile.Write(path, stream =>
        {
            foreach (var example in dataset.Examples)
            {
                object id = IdValue(schema, example.Id);
                var columns = schema.ToRow(example, id, dataset);
                if (schema.IdColumn is null) columns = columns.Append(("id", id));
                using (var writer = new Utf8JsonWriter(stream, Options))
                {
                    writer.WriteStartObject();
                    foreach (var (column, value) in columns)
                    {
                        writer.WritePropertyName(column);
                        WriteValue(writer, value);
                    }
                    writer.WriteEndObject();
                }
                stream.WriteByte((byte)'\n');
            }
        });
    }

    static object IdValue(HfSchema schema, string id) =>
        schema.IntegerId && long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            && n.ToString(CultureInfo.InvariantCulture) == id
            ? n
            : id;

    static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case Dictionary<string, object?> d:
                writer.WriteStartObject();
                foreach (var (k, v) in d) { writer.WritePropertyName(k); WriteValue(writer, v); }
                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var v in list) WriteValue(writer, v);
                writer.WriteEndArray();
                break;
            default: throw new InvalidOperationException($"cannot write a {value.GetType().Name} as JSON");
        }
    }
}
