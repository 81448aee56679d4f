using System.Text.Json;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Evaluation;

public sealed class RougeFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("amurochar-rouge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    static string Line(string prediction, string reference) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["prediction"] = prediction, ["reference"] = reference });

    [Fact]
    public void Scores_every_item_and_bootstraps_the_mean_F()
    {
        string path = Write("ok.jsonl", string.Join("\n",
            Line("the cat sat", "the cat sat"),
            "",
            Line("a x b y c", "a b c"),
            "   ",
            Line("", "anything"),
            "") + "\n");
        var result = RougeFile.Score(path, stem: false, seed: 9);

        Assert.Equal(3, result.Items.Count);
        Assert.Equal(new RougeScore(1, 1, 1), result.Items[0]);
        Assert.Equal(0.75, result.Items[1].F, 12);
        Assert.Equal(RougeScore.Zero, result.Items[2]);
        Assert.Equal(Bootstrap.MeanCi(result.Items.Select(s => s.F).ToArray(), 9), result.RougeL);
        Assert.Equal((1 + 0.75 + 0) / 3, result.RougeL.Mean, 12);
    }

    [Fact]
    public void Json_has_exactly_the_documented_shape()
    {
        string path = Write("shape.jsonl", Line("police killed the gunman", "the gunman was killed by police") + "\n" + Line("x", "x"));
        var result = RougeFile.Score(path, stem: true, seed: 1);
        string json = result.ToJson();
        string expectedItems = "\"items\":[{\"precision\":0.5,\"recall\":0.3333333333333333,\"f\":0.4},{\"precision\":1,\"recall\":1,\"f\":1}]}";
        Assert.StartsWith("{\"rougeL\":{\"mean\":0.7,\"ci95\":[", json);
        Assert.EndsWith("],\"n\":2}," + expectedItems, json);

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["rougeL", "items"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        var rouge = doc.RootElement.GetProperty("rougeL");
        Assert.Equal(["mean", "ci95", "n"], rouge.EnumerateObject().Select(p => p.Name));   // an estimate's one JSON shape
        Assert.Equal(result.RougeL.Lo, rouge.GetProperty("ci95")[0].GetDouble());
        Assert.Equal(result.RougeL.Hi, rouge.GetProperty("ci95")[1].GetDouble());
    }

    [Fact]
    public void Unicode_and_escapes_in_the_file_are_read_as_text()
    {
        string path = Write("u.jsonl", "{\"prediction\": \"caf\\u00e9 na\\u00efve\", \"reference\": \"caf na ve\", \"id\": 3}\n");
        Assert.Equal(new RougeScore(1, 1, 1), RougeFile.Score(path, stem: false, seed: 1).Items[0]);
    }

    [Fact]
    public void Missing_file_is_reported_by_name()
    {
        string path = Path.Combine(_dir, "nope.jsonl");
        var ex = Assert.Throws<InvalidDataException>(() => RougeFile.Score(path, stem: false, seed: 1));
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("{\"prediction\": \"a\", \"reference\": \"b\"\n", 2, "malformed JSON")]
    [InlineData("not json at all\n", 2, "malformed JSON")]
    [InlineData("[\"a\", \"b\"]\n", 2, "expected a JSON object")]
    [InlineData("{\"reference\": \"b\"}\n", 2, "missing \"prediction\"")]
    [InlineData("{\"prediction\": \"a\"}\n", 2, "missing \"reference\"")]
    [InlineData("{\"prediction\": \"a\", \"reference\": 3}\n", 2, "\"reference\" must be a string")]
    [InlineData("{\"prediction\": null, \"reference\": \"b\"}\n", 2, "\"prediction\" must be a string")]
    [InlineData("\n\n{\"prediction\": \"a\", \"reference\": [\"b\"]}\n", 4, "\"reference\" must be a string")]
    public void Bad_lines_name_the_file_and_the_line(string badTail, int line, string message)
    {
        string path = Write("bad.jsonl", Line("fine", "fine") + "\n" + badTail);
        var ex = Assert.Throws<InvalidDataException>(() => RougeFile.Score(path, stem: false, seed: 1));
        Assert.Contains($"{path}:{line}:", ex.Message);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\t\n")]
    public void A_file_without_items_is_an_error(string content)
    {
        string path = Write("empty.jsonl", content);
        var ex = Assert.Throws<InvalidDataException>(() => RougeFile.Score(path, stem: false, seed: 1));
        Assert.Contains(path, ex.Message);
        Assert.Contains("no items", ex.Message);
    }
}
