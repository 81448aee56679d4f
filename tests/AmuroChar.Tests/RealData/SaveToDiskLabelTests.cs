using System.Text.Json;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>The real datasets' save_to_disk samples: every loaded example checked against its raw row, with the
/// mapping written out here independently of the schemas.</summary>
public class SaveToDiskLabelTests
{
    static List<string> Texts(HfRow row, string column) => [.. ((List<object?>)((Dictionary<string, object?>)row.Values["choices"]!)[column]!).Cast<string>()];

    static (IReadOnlyList<HfRow> Raw, Dataset Data) Load(string folder, string schema, string split = "validation")
    {
        var raw = RealFixtures.RawRows(folder);
        var data = RealDatasets.Load(schema, RealFixtures.Folder(folder), split);
        Assert.Equal(20, raw.Count);
        Assert.Equal(raw.Count, data.Count);
        Assert.Equal(new SourceCounts(20, 0, 0), data.Counts);
        return (raw, data);
    }

    [Theory]
    [InlineData("ai2_arc/ARC-Easy/validation", "arc_easy", "question")]
    [InlineData("ai2_arc/ARC-Challenge/validation", "arc_challenge", "question")]
    [InlineData("openbookqa/main/validation", "openbookqa", "question_stem")]
    public void Lettered_choices_gold_is_the_position_of_answerKey(string folder, string schema, string question)
    {
        var (raw, data) = Load(folder, schema);
        for (int i = 0; i < raw.Count; i++)
        {
            var texts = Texts(raw[i], "text");
            int gold = Texts(raw[i], "label").IndexOf(((string)raw[i].Values["answerKey"]!).Trim());
            var e = data.Examples[i];
            Assert.Equal((string)raw[i].Values["id"]!, e.Id);
            Assert.Equal((string)raw[i].Values[question]!, e["question"]);
            Assert.Equal(texts, e.Choices);
            Assert.Equal(gold, e.Gold);
            Assert.Equal(texts[gold], e.Target);
        }
        Assert.True(data.Examples.Select(e => e.Gold).Distinct().Count() > 1);   // the sample has more than one answer position
    }

    [Fact]
    public void Google_boolq_answer_true_is_yes()
    {
        var (raw, data) = Load("boolq/none/validation", "google_boolq");
        Assert.Equal("google/boolq validation", data.StandsFor);
        for (int i = 0; i < raw.Count; i++)
        {
            var e = data.Examples[i];
            Assert.Equal(i.ToString(), e.Id);
            Assert.Equal((string)raw[i].Values["question"]!, e["question"]);
            Assert.Equal((string)raw[i].Values["passage"]!, e["passage"]);
            Assert.Equal((bool)raw[i].Values["answer"]! ? "yes" : "no", e.Target);
            Assert.Equal(["no", "yes"], e.Choices);
        }
        Assert.Equal(2, data.Examples.Select(e => e.Target).Distinct().Count());
    }

    [Fact]
    public void Rte_label_follows_its_ClassLabel_names_with_not_entailment_read_as_neutral()
    {
        var (raw, data) = Load("glue/rte/validation", "rte");
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(RealFixtures.Folder("glue/rte/validation"), "dataset_info.json")));
        string[] names = [.. info.RootElement.GetProperty("features").GetProperty("label").GetProperty("names").EnumerateArray().Select(n => n.GetString()!)];
        Assert.Equal(["entailment", "not_entailment"], names);
        for (int i = 0; i < raw.Count; i++)
        {
            var e = data.Examples[i];
            Assert.Equal(raw[i].Values["idx"]!.ToString(), e.Id);
            Assert.Equal((string)raw[i].Values["sentence1"]!, e["premise"]);
            Assert.Equal((string)raw[i].Values["sentence2"]!, e["hypothesis"]);
            Assert.Equal(names[(int)(long)raw[i].Values["label"]!] == "entailment" ? "entailment" : "neutral", e.Target);
        }
        Assert.Equal(2, data.Examples.Select(e => e.Target).Distinct().Count());
    }

    [Fact]
    public void Sciq_puts_the_correct_answer_last_and_sciq_qg_asks_the_question()
    {
        var (raw, data) = Load("sciq/none/validation", "sciq");
        var qg = RealDatasets.Load("sciq_qg", RealFixtures.Folder("sciq/none/validation"), "test");
        for (int i = 0; i < raw.Count; i++)
        {
            string S(string c) => (string)raw[i].Values[c]!;
            Assert.Equal([S("distractor1"), S("distractor2"), S("distractor3"), S("correct_answer")], data.Examples[i].Choices);
            Assert.Equal(3, data.Examples[i].Gold);
            Assert.Equal(S("correct_answer"), data.Examples[i].Target);
            Assert.Equal(S("support").TrimStart(), data.Examples[i]["support"]);
            Assert.Equal(S("question"), qg.Examples[i].Target);
            Assert.Equal($"Answer A: {S("correct_answer")} Answer B: {S("distractor1")} Answer C: {S("distractor2")} Answer D: {S("distractor3")}",
                qg.Examples[i]["answers"]);
        }
    }

    [Fact]
    public void Social_iqa_generates_the_question_from_context_and_answers()
    {
        var (raw, data) = Load("social_i_qa/none/validation", "social_i_qa");
        for (int i = 0; i < raw.Count; i++)
        {
            string S(string c) => (string)raw[i].Values[c]!;
            var e = data.Examples[i];
            Assert.Equal(S("question"), e.Target);
            Assert.Equal(S("context"), e["context"]);
            Assert.Equal($"Answer A: {S("answerA")} Answer B: {S("answerB")} Answer C: {S("answerC")}", e["answers"]);
        }
    }

    [Fact]
    public void Super_glue_boolq_and_google_boolq_give_the_same_items()
    {
        using var files = new TestFiles();
        var raw = RealFixtures.RawRows("boolq/none/validation");
        // super_glue's boolq: the same rows with idx and an integer label (ClassLabel False/True).
        string path = files.Write("boolq.validation", "jsonl", [.. raw.Select((r, i) => JsonSerializer.Serialize(new
        {
            question = r.Values["question"], passage = r.Values["passage"], idx = i, label = (bool)r.Values["answer"]! ? 1 : 0,
        }))]);
        var google = RealDatasets.Load(["boolq", "google_boolq"], RealFixtures.Folder("boolq/none/validation"), "validation");
        var superGlue = RealDatasets.Load(["boolq", "google_boolq"], path, "validation");
        Assert.Equal("google/boolq validation", google.StandsFor);
        Assert.Equal("aps/super_glue boolq validation", superGlue.StandsFor);
        Assert.Equal(Describe(google), Describe(superGlue));
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("parquet")]
    public void The_same_rows_as_JSONL_or_Parquet_load_as_the_Arrow_folder_does(string format)
    {
        using var files = new TestFiles();
        foreach (var (folder, schema) in new[] { ("ai2_arc/ARC-Easy/validation", "arc_easy"), ("boolq/none/validation", "google_boolq") })
        {
            var lines = RealFixtures.RawRows(folder).Select(r => JsonSerializer.Serialize(r.Values)).ToArray();
            string path = files.Write(schema, format, lines);
            Assert.Equal(Describe(RealDatasets.Load(schema, RealFixtures.Folder(folder), "validation")), Describe(RealDatasets.Load(schema, path, "validation")));
        }
    }

    static List<string> Describe(Dataset d) =>
        [.. d.Examples.Select(e => $"{e.Id}|{string.Join("|", e.Fields.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}"))}|{e.Target}|{string.Join(",", e.Choices ?? [])}|{e.Gold}")];
}
