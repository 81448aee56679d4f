using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>The Hub variants of one dataset read into the same items, and what reading leaves out is counted.</summary>
public class HubVariantAndCountTests
{
    [Theory]
    // name, stem, a record in the variant's schema, the expected target
    [InlineData("rte", "rte.train", """{"premise": "P.", "hypothesis": "H.", "idx": 3, "label": 1}""", "neutral")]          // super_glue rte
    [InlineData("rte", "rte.train", """{"sentence1": "P.", "sentence2": "H.", "label": 0, "idx": 3}""", "entailment")]     // glue rte
    [InlineData("qqp", "qqp.test", """{"question1": "A?", "question2": "B?", "label": 1, "idx": 3}""", "yes")]             // glue qqp
    [InlineData("qqp", "qqp.test", """{"text1": "A?", "text2": "B?", "label": 0, "idx": 3, "label_text": "not_duplicate"}""", "no")]   // SetFit
    [InlineData("stsb", "stsb.test", """{"sentence1": "A.", "sentence2": "B.", "label": 3.6, "idx": 3}""", "yes")]        // glue stsb
    [InlineData("stsb", "stsb.test", """{"text1": "A.", "text2": "B.", "label": 3.5, "idx": 3}""", "no")]                 // SetFit (> 3.5 is yes)
    [InlineData("mnli_matched", "mnli_matched.validation", """{"promptID": 1, "pairID": "1n", "premise": "P.", "hypothesis": "H.", "genre": "fiction", "label": 2}""", "contradiction")]   // multi_nli
    [InlineData("boolq", "boolq.validation", """{"question": "q", "passage": "p", "idx": 3, "label": 1}""", "yes")]       // super_glue boolq
    [InlineData("boolq", "boolq.validation", """{"question": "q", "answer": false, "passage": "p"}""", "no")]             // google/boolq
    public void Every_variant_of_a_paper_dataset_loads(string name, string stem, string record, string target)
    {
        using var files = new TestFiles();
        files.Write(stem, "jsonl", record, record.Replace("\"P.\"", "\"P2.\"").Replace("\"A?\"", "\"A2?\"").Replace("\"A.\"", "\"A2.\"").Replace("\"q\"", "\"q2\""));
        var catalog = PaperData.Load(files.Dir);
        Assert.Empty(catalog.Problems);
        var data = catalog.Resolve(name);
        Assert.All(data.Examples.Concat(catalog.Get(name, "fewshot").Examples), e => Assert.Equal(target, e.Target));
    }

    [Fact]
    public void A_record_that_fits_no_variant_lists_what_each_lacks()
    {
        using var files = new TestFiles();
        files.Write("boolq.validation", "jsonl", """{"question": "q", "passage": "p"}""");
        var problem = Assert.Single(PaperData.Load(files.Dir).Problems, p => p.Split == "validation");
        Assert.Contains("boolq.validation.jsonl: line 1", problem.Message);
        Assert.Contains("aps/super_glue boolq (schema 'boolq') needs idx, label", problem.Message);
        Assert.Contains("google/boolq (schema 'google_boolq') needs answer", problem.Message);
    }

    [Fact]
    public void Unlabeled_rows_and_duplicates_are_counted_and_shown_in_the_report()
    {
        using var files = new TestFiles();
        files.Write("mnli_matched.validation", "jsonl",
            """{"premise": "P1.", "hypothesis": "H1.", "label": 0, "idx": 0}""",
            """{"premise": "P2.", "hypothesis": "H2.", "label": -1, "idx": 1}""",
            """{"premise": "P1.", "hypothesis": "H1.", "label": 0, "idx": 2}""",
            """{"premise": "P1.", "hypothesis": "H1.", "label": 1, "idx": 3}""");
        var catalog = PaperData.Load(files.Dir);
        var pool = catalog.Get("mnli_matched", "fewshot");
        Assert.Equal(new SourceCounts(4, 1, 1), pool.Counts);   // idx 2 repeats idx 0; idx 3 differs in its label
        Assert.Equal(["0", "2", "3"], pool.Examples.Select(e => e.Id));
        Assert.Equal("4 rows, 1 dropped (unlabeled), 1 duplicates", pool.Counts!.ToString());
        string report = AmuroChar.Findings.ReproductionReport.DataSection(catalog);
        Assert.StartsWith("## Data", report);
        Assert.Contains("| mnli_matched | nyu-mll/glue mnli_matched validation | 4 | 1 | 1 |", report);
        Assert.Single(report.Split('\n'), l => l.StartsWith("| mnli_matched", StringComparison.Ordinal));   // one line per file, not per split
    }

    [Fact]
    public void A_lone_surrogate_escape_in_JSONL_names_the_file_and_line()
    {
        using var files = new TestFiles();
        string path = files.Write("xsum", "jsonl",
            """{"document": "ok", "summary": "ok", "id": "1"}""",
            """{"document": "bad \ud800 text", "summary": "s", "id": "2"}""");
        var e = Assert.Throws<InvalidDataException>(() => RealDatasets.Load("xsum", path, "test"));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 2", e.Message);
        Assert.Contains("surrogate", e.Message);
    }
}
