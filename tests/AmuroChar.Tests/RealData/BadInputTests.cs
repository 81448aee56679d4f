using AmuroChar.Tasks.RealData;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>Bad files fail with an error that names the file and the problem, and nothing half-loaded comes back.</summary>
public class BadInputTests
{
    const string Mnli0 = """{"premise": "p", "hypothesis": "h", "label": 0, "idx": 0}""";
    const string Mnli1 = """{"premise": "p", "hypothesis": "h", "label": 1, "idx": 1}""";

    static InvalidDataException Fails(string schema, string path)
    {
        var e = Assert.Throws<InvalidDataException>(() => RealDatasets.Load(schema, path, "train"));
        Assert.Contains(path, e.Message);
        return e;
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Missing_columns_are_listed_with_the_columns_found(string format)
    {
        using var files = new TestFiles();
        var e = Fails("mnli", files.Write("bad", format, """{"sentence1": "p", "hypothesis": "h", "idx": 0}"""));
        Assert.Contains("missing column(s) premise, label", e.Message);
        Assert.Contains("columns found: sentence1, hypothesis, idx", e.Message);
    }

    [Theory, InlineData("jsonl", "line 2"), InlineData("parquet", "row 1")]
    public void Unknown_label_values_name_the_value_and_the_record(string format, string where)
    {
        using var files = new TestFiles();
        var e = Fails("mnli", files.Write("bad", format, Mnli0, """{"premise": "p", "hypothesis": "h", "label": 3, "idx": 1}"""));
        Assert.Contains("unknown label 3", e.Message);
        Assert.Contains(where, e.Message);
    }

    [Fact]
    public void Unknown_answer_key_names_the_key()
    {
        using var files = new TestFiles();
        var e = Fails("arc_easy", files.Write("bad", "jsonl",
            """{"id": "x", "question": "q", "choices": {"text": ["a", "b"], "label": ["A", "B"]}, "answerKey": "E"}"""));
        Assert.Contains("unknown answerKey \"E\"; valid: A, B", e.Message);
    }

    [Fact]
    public void Social_i_qa_needs_all_three_answers()
    {
        using var files = new TestFiles();
        var e = Fails("social_i_qa", files.Write("bad", "jsonl", """{"context": "c", "question": "q", "answerA": "a", "answerB": "b"}"""));
        Assert.Contains("missing column(s) answerC", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\n")]
    public void An_empty_jsonl_file_is_an_error(string content)
    {
        using var files = new TestFiles();
        string path = files.Path("empty.jsonl");
        File.WriteAllText(path, content);
        Assert.Contains("empty", Fails("xsum", path).Message);
    }

    [Fact]
    public void An_empty_parquet_file_is_an_error()
    {
        using var files = new TestFiles();
        string path = files.Path("empty.parquet");
        File.WriteAllBytes(path, []);
        Assert.Contains("empty", Fails("xsum", path).Message);
    }

    [Fact]
    public async Task A_parquet_file_without_rows_is_an_error()
    {
        using var files = new TestFiles();
        string path = files.Path("norows.parquet");
        TestFiles.WriteParquet(path, [Mnli0]);
        // Same schema, zero rows: write it again through Parquet.Net with no data.
        var schema = await Parquet.ParquetReader.ReadSchemaAsync(path);
        await using (var stream = File.Create(path))
            await Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync([], schema, stream, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("no rows", Fails("mnli", path).Message);
    }

    [Fact]
    public void A_truncated_parquet_file_is_an_error()
    {
        using var files = new TestFiles();
        string path = files.Write("good", "parquet", Mnli0, Mnli1);
        var bytes = File.ReadAllBytes(path);
        string truncated = files.Path("truncated.parquet");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Contains("not a readable Parquet file", Fails("mnli", truncated).Message);
    }

    [Fact]
    public void A_corrupt_parquet_file_is_an_error()
    {
        using var files = new TestFiles();
        string path = files.Write("good", "parquet", Mnli0, Mnli1);
        var bytes = File.ReadAllBytes(path);
        for (int i = 4; i < bytes.Length / 2; i++) bytes[i] ^= 0x5A; // the column data, not the footer
        string corrupt = files.Path("corrupt.parquet");
        File.WriteAllBytes(corrupt, bytes);
        Assert.Contains("not a readable Parquet file", Fails("mnli", corrupt).Message);
    }

    [Fact]
    public void A_line_that_is_not_json_names_its_line_number()
    {
        using var files = new TestFiles();
        string path = files.Path("bad.jsonl");
        File.WriteAllText(path, Mnli0 + "\n\n{\"premise\": \"p\", \"hypothe\n" + Mnli1 + "\n");
        var e = Fails("mnli", path);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void A_json_array_file_is_not_json_lines()
    {
        using var files = new TestFiles();
        string path = files.Path("array.json");
        File.WriteAllText(path, "[" + Mnli0 + ", " + Mnli1 + "]\n");
        Assert.Contains("expected JSON Lines", Fails("mnli", path).Message);
    }

    [Theory]
    [InlineData("jsonl", """{"premise": "p", "hypothesis": "h", "label": "neutral", "idx": 0}""", "column 'label' should be an integer, found string \"neutral\"")]
    [InlineData("parquet", """{"premise": "p", "hypothesis": "h", "label": "neutral", "idx": 0}""", "column 'label' should be an integer, found string \"neutral\"")]
    [InlineData("jsonl", """{"premise": ["p"], "hypothesis": "h", "label": 0, "idx": 0}""", "column 'premise' should be a string, found a list of 1")]
    [InlineData("jsonl", """{"premise": null, "hypothesis": "h", "label": 0, "idx": 0}""", "column 'premise' is null")]
    [InlineData("jsonl", """{"premise": "p", "hypothesis": "h", "label": 0.5, "idx": 0}""", "column 'label' should be an integer, found number 0.5")]
    public void Wrong_column_types_name_the_column_and_what_was_found(string format, string line, string message)
    {
        using var files = new TestFiles();
        Assert.Contains(message, Fails("mnli", files.Write("bad", format, line)).Message);
    }

    [Theory]
    [InlineData("""{"dataset": "d", "id": "1", "messages": "hi"}""", "column 'messages' should be a list")]
    [InlineData("""{"dataset": "d", "id": "1", "messages": [{"role": "user", "content": "hi"}]}""", "not followed by an assistant reply")]
    [InlineData("""{"dataset": "d", "id": "1", "messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "x"}]}""", "messages[0]: column 'content' should be a string")]
    public void Bad_nested_columns_say_where(string line, string message)
    {
        using var files = new TestFiles();
        Assert.Contains(message, Fails("tulu", files.Write("bad", "jsonl", line)).Message);
    }

    [Fact]
    public void An_error_on_the_last_record_returns_nothing()
    {
        using var files = new TestFiles();
        string path = files.Write("late", "parquet", Mnli0, Mnli1, Mnli0, Mnli1, """{"premise": "p", "hypothesis": "h", "label": 7, "idx": 4}""");
        Assert.Contains("row 4", Fails("mnli", path).Message);
    }

    [Fact]
    public void Unknown_schema_names_list_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => RealDatasets.Load("mnly", "x.jsonl", "train"));
        Assert.Contains("unknown dataset schema 'mnly'", e.Message);
        Assert.Contains("mnli, mnli_matched", e.Message);
        Assert.Throws<ArgumentException>(() => HfSchemaExport.WriteJsonl(
            new Tasks.Dataset("x", "y", Tasks.Tasks.Nli, "d", "s", "f", []), "mnly", "x.jsonl"));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var files = new TestFiles();
        string path = files.Path("nowhere.parquet");
        var e = Assert.Throws<FileNotFoundException>(() => RealDatasets.Load("xsum", path, "train"));
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void An_unknown_extension_is_refused()
    {
        using var files = new TestFiles();
        string path = files.Path("data.csv");
        File.WriteAllText(path, "document,summary,id\n");
        var e = Assert.Throws<ArgumentException>(() => RealDatasets.Load("xsum", path, "train"));
        Assert.Contains(".jsonl, .json, .parquet", e.Message);
    }
}
