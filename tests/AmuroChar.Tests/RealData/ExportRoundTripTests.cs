using System.Text.Json;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using Xunit;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.RealData;

/// <summary>Datasets built in memory, as the tiny world builds them, exported in a hub schema and loaded back.</summary>
public class ExportRoundTripTests
{
    static TaskExample Ex(string id, string target, params (string Key, string Value)[] fields) =>
        new(id, fields.ToDictionary(f => f.Key, f => f.Value), target);

    static TaskExample Mc(string id, int gold, string[] choices, params (string Key, string Value)[] fields) =>
        new(id, fields.ToDictionary(f => f.Key, f => f.Value), choices[gold]) { Choices = choices, Gold = gold };

    static TaskExample Qg(string id, string question, string context, params string[] answers) =>
        new(id, new Dictionary<string, string>
        {
            ["context"] = context,
            ["answers"] = answers.Length == 1 ? answers[0] : string.Join(" ", answers.Select((a, i) => $"Answer {"ABCD"[i]}: {a}")),
            ["answers_plain"] = string.Join(" ", answers),
        }, question);

    static Dataset World(string name, TaskDefinition task, params TaskExample[] examples) =>
        new(name, "test", task, "tiny world", "tiny-world (seed 1)", "stand-in", examples);

    static readonly Dictionary<string, Dataset> Worlds = new()
    {
        ["xsum"] = World("news", T.Summary, Ex("w-1", "Zorb won.", ("document", "Zorb played Quill.\nZorb won.")), Ex("w-2", "Rain.", ("document", "It rained \"a lot\" — ünïcode."))),
        ["cnn_dailymail"] = World("news", T.Summary, Ex("a1", "S.", ("document", "D."))),
        ["xlsum"] = World("news", T.Summary, Ex("a1", "S.", ("document", "D."))),
        ["social_i_qa"] = World("qg", T.QuestionGeneration, Qg("q-1", "Why did Zorb go?", "Zorb went home.", "to rest", "to eat", "to play")),
        ["sciq_qg"] = World("qg", T.QuestionGeneration, Qg("q-1", "What is ice?", "Ice is frozen water.", "frozen water", "steam", "sand", "air")),
        ["tweet_qa"] = World("qg", T.QuestionGeneration, Qg("q-1", "who won?", "Zorb won the cup!", "Zorb")),
        ["mnli"] = World("nli", T.Nli, Ex("7", "neutral", ("premise", "P."), ("hypothesis", "H.")), Ex("nli-0008", "contradiction", ("premise", "P2."), ("hypothesis", "H2.")), Ex("9", "entailment", ("premise", "P3."), ("hypothesis", "H3."))),
        ["mnli_matched"] = World("nli", T.Nli, Ex("0", "neutral", ("premise", "P."), ("hypothesis", "H."))),
        ["mnli_mismatched"] = World("nli", T.Nli, Ex("1", "entailment", ("premise", "P."), ("hypothesis", "H."))),
        ["multi_nli"] = World("nli", T.Nli, Ex("31193n", "neutral", ("premise", "P."), ("hypothesis", "H.")), Ex("2", "contradiction", ("premise", "P2."), ("hypothesis", "H2."))),
        ["super_glue_rte"] = World("nli", T.Nli, Ex("1", "entailment", ("premise", "P."), ("hypothesis", "H.")), Ex("2", "neutral", ("premise", "P."), ("hypothesis", "H2."))),
        ["glue_qqp"] = World("para", T.Paraphrase, Ex("1", "yes", ("sentence1", "A?"), ("sentence2", "B?")), Ex("2", "no", ("sentence1", "A?"), ("sentence2", "C?"))),
        ["glue_stsb"] = World("para", T.Paraphrase, Ex("1", "yes", ("sentence1", "A."), ("sentence2", "B."), ("score", "4.2")), Ex("2", "no", ("sentence1", "A."), ("sentence2", "C."), ("score", "1"))),
        ["gpt3_nli"] = World("nli", T.Nli, Ex("1", "contradiction", ("premise", "P."), ("hypothesis", "H."))),
        ["rte"] = World("nli", T.Nli, Ex("1", "entailment", ("premise", "P."), ("hypothesis", "H.")), Ex("2", "neutral", ("premise", "P."), ("hypothesis", "H2."))),
        ["paws"] = World("para", T.Paraphrase, Ex("1", "yes", ("sentence1", "A."), ("sentence2", "B.")), Ex("p2", "no", ("sentence1", "C."), ("sentence2", "D."))),
        ["qqp"] = World("para", T.Paraphrase, Ex("1", "yes", ("sentence1", "A?"), ("sentence2", "B?"))),
        ["stsb"] = World("para", T.Paraphrase, Ex("1", "yes", ("sentence1", "A."), ("sentence2", "B."), ("score", "3.8")), Ex("2", "no", ("sentence1", "A."), ("sentence2", "C."), ("score", "3.5"))),
        ["tulu"] = World("chat", T.Chat, Ex("c-1", "Hello!", ("prompt", "Say hi.\nPlease."))),
        ["arc_easy"] = World("arc", T.ArcEasy, Mc("a-1", 2, ["x", "y", "z", "w"], ("question", "Which?")), Mc("a-2", 0, ["x", "y", "z"], ("question", "Which two?"))),
        ["arc_challenge"] = World("arc", T.ArcChallenge, Mc("a-1", 3, ["x", "y", "z", "w"], ("question", "Which?"))),
        ["openbookqa"] = World("obqa", T.OpenBookQa, Mc("o-1", 1, ["x", "y", "z", "w"], ("question", "The sun is"))),
        ["sciq"] = World("sciq", T.SciQ, Mc("s-1", 3, ["d1", "d2", "d3", "right"], ("support", "Some support."), ("question", "Which?"))),
        ["hellaswag"] = World("hs", T.HellaSwag, Mc("12", 2, ["ends a.", "ends b.", "ends c.", "ends d."], ("context", "Cooking: A cook stirs the pot. Then she"))),
        ["boolq"] = World("boolq", T.BoolQ, Mc("5", 1, ["no", "yes"], ("passage", "Zorb is a cat."), ("question", "is zorb a cat"))),
        ["google_boolq"] = World("boolq", T.BoolQ, Mc("b-1", 0, ["no", "yes"], ("passage", "Zorb is a cat."), ("question", "is zorb a dog"))),
    };

    public static TheoryData<string> Schemas => [.. Worlds.Keys];

    [Fact]
    public void Every_schema_has_a_round_trip_case() => Assert.Equal(RealDatasets.SchemaNames.Order(), Worlds.Keys.Order());

    [Theory, MemberData(nameof(Schemas))]
    public void Export_then_load_gives_the_same_examples(string schema)
    {
        var world = Worlds[schema];
        using var files = new TestFiles();
        string path = files.Path($"{schema}.jsonl");
        HfSchemaExport.WriteJsonl(world, schema, path);
        var loaded = RealDatasets.Load(schema, path, "test");
        TestFiles.AssertSameExamples(world.Examples, loaded.Examples);
        Assert.Equal(world.Task, loaded.Task);
    }

    [Fact]
    public void Exported_mnli_is_in_the_glue_schema()
    {
        using var files = new TestFiles();
        string path = files.Path("mnli.jsonl");
        HfSchemaExport.WriteJsonl(World("nli", T.Nli, Ex("7", "neutral", ("premise", "P."), ("hypothesis", "H.")), Ex("x-8", "contradiction", ("premise", "P."), ("hypothesis", "H."))), "mnli", path);
        var lines = File.ReadAllLines(path);
        Assert.Equal("""{"premise":"P.","hypothesis":"H.","label":1,"idx":7}""", lines[0]);
        Assert.Equal("""{"premise":"P.","hypothesis":"H.","label":2,"idx":"x-8"}""", lines[1]); // not an integer: kept as a string
    }

    [Fact]
    public void Exported_nested_columns_are_json_structs_and_lists()
    {
        using var files = new TestFiles();
        string path = files.Path("arc.jsonl");
        HfSchemaExport.WriteJsonl(World("arc", T.ArcEasy, Mc("a-1", 1, ["x", "y"], ("question", "Q?"))), "arc_easy", path);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("B", doc.RootElement.GetProperty("answerKey").GetString());
        Assert.Equal(["A", "B"], doc.RootElement.GetProperty("choices").GetProperty("label").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public void A_loaded_file_exports_back_to_the_same_examples()
    {
        using var files = new TestFiles();
        string source = files.Write("stsb", "parquet",
            """{"text1": "a", "text2": "b", "label": 4.25, "idx": 3}""",
            """{"text1": "c", "text2": "d", "label": 0.5, "idx": 4}""");
        var loaded = RealDatasets.Load("stsb", source, "test");
        string path = files.Path("again.jsonl");
        HfSchemaExport.WriteJsonl(loaded, "stsb", path);
        TestFiles.AssertSameExamples(loaded.Examples, RealDatasets.Load("stsb", path, "test").Examples);
    }

    [Fact]
    public void Rte_export_collapses_contradiction_into_not_entailment()
    {
        using var files = new TestFiles();
        string path = files.Path("rte.jsonl");
        HfSchemaExport.WriteJsonl(World("nli", T.Nli, Ex("1", "contradiction", ("premise", "P."), ("hypothesis", "H."))), "rte", path);
        Assert.Equal("neutral", RealDatasets.Load("rte", path, "train").Examples[0].Target);
    }

    [Fact]
    public void Export_refuses_a_dataset_of_another_task_and_leaves_no_file()
    {
        using var files = new TestFiles();
        string path = files.Path("x.jsonl");
        var e = Assert.Throws<ArgumentException>(() => HfSchemaExport.WriteJsonl(World("nli", T.Nli, Ex("1", "neutral", ("premise", "P."), ("hypothesis", "H."))), "paws", path));
        Assert.Contains("'nli'", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Export_refuses_an_example_the_schema_cannot_hold_and_keeps_the_old_file()
    {
        using var files = new TestFiles();
        string path = files.Path("sciq_qg.jsonl");
        File.WriteAllText(path, "old");
        var world = World("qg", T.QuestionGeneration, Qg("q-1", "Q?", "C.", "a", "b", "c", "d"), Qg("q-2", "Q?", "C.", "only", "three", "answers"));
        var e = Assert.Throws<ArgumentException>(() => HfSchemaExport.WriteJsonl(world, "sciq_qg", path));
        Assert.Contains("q-2", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(files.Dir)); // no temporary file left behind
    }
}
