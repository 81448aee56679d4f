using System.Globalization;

namespace AmuroChar.Tasks.RealData;

/// <summary>
/// One record of a source file as plain values, whatever the file format: <c>null</c>, <see cref="string"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <c>List&lt;object?&gt;</c> and
/// <c>Dictionary&lt;string, object?&gt;</c> (nested structs). The typed getters fail with an
/// <see cref="InvalidDataException"/> that names the file, the record and the column, so every schema mapping gets
/// precise errors without checking anything itself.
/// </summary>
internal sealed class HfRow(string file, string where, IReadOnlyDictionary<string, object?> values)
{
    /// <summary>Where the record is: "line 12" (JSONL, 1-based like an editor) or "row 11" (Parquet, 0-based like pandas).</summary>
    public string Where => where;

    public IEnumerable<string> Columns => values.Keys;

    /// <summary>The record as read, before any schema mapping.</summary>
    public IReadOnlyDictionary<string, object?> Values => values;

    public bool HasColumn(string column) => values.ContainsKey(column);

    /// <summary>Present and not null.</summary>
    public bool Has(string column) => values.TryGetValue(column, out var v) && v is not null;

    public InvalidDataException Error(string message) => new($"{file}: {where}: {message}");

    public string String(string column) => Get(column) switch
    {
        string s => s,
        var v => throw TypeError(column, "a string", v),
    };

    public long Integer(string column) => Get(column) switch
    {
        long l => l,
        var v => throw TypeError(column, "an integer", v),
    };

    public double Number(string column) => Get(column) switch
    {
        double d => d,
        long l => l,
        var v => throw TypeError(column, "a number", v),
    };

    public bool Bool(string column) => Get(column) switch
    {
        bool b => b,
        var v => throw TypeError(column, "a boolean", v),
    };

    /// <summary>An identifier column: HF datasets use strings for some and integers for others; either is accepted.</summary>
    public string Id(string column) => Get(column) switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        var v => throw TypeError(column, "a string or integer id", v),
    };

    public IReadOnlyList<string> StringList(string column)
    {
        var list = List(column);
        var result = new string[list.Count];
        for (int i = 0; i < list.Count; i++)
            result[i] = list[i] as string ?? throw TypeError($"{column}[{i}]", "a string", list[i]);
        return result;
    }

    /// <summary>A struct column (e.g. ARC's <c>choices</c>) as a row of its own, so its members get the same checks.</summary>
    public HfRow Struct(string column) => Get(column) switch
    {
        Dictionary<string, object?> d => new HfRow(file, $"{where}, column '{column}'", d),
        var v => throw TypeError(column, "a struct (JSON object)", v),
    };

    /// <summary>A list-of-structs column (e.g. Tulu's <c>messages</c>).</summary>
    public IReadOnlyList<HfRow> StructList(string column)
    {
        var list = List(column);
        var result = new HfRow[list.Count];
        for (int i = 0; i < list.Count; i++)
            result[i] = list[i] is Dictionary<string, object?> d
                ? new HfRow(file, $"{where}, {column}[{i}]", d)
                : throw TypeError($"{column}[{i}]", "a struct (JSON object)", list[i]);
        return result;
    }

    List<object?> List(string column) => Get(column) switch
    {
        List<object?> l => l,
        var v => throw TypeError(column, "a list", v),
    };

    object Get(string column)
    {
        if (!values.TryGetValue(column, out var v))
            throw Error($"missing column '{column}'; columns found: {string.Join(", ", values.Keys)}");
        return v ?? throw Error($"column '{column}' is null");
    }

    InvalidDataException TypeError(string column, string expected, object? found) =>
        Error($"column '{column}' should be {expected}, found {Describe(found)}");

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"string \"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        long l => $"integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"number {d.ToString("R", CultureInfo.InvariantCulture)}",
        bool b => b ? "boolean true" : "boolean false",
        List<object?> l => $"a list of {l.Count}",
        Dictionary<string, object?> => "a struct",
        _ => value.GetType().Name,
    };
}
