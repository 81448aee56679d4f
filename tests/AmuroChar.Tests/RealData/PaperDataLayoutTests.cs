using System.Text.Json;
using AmuroChar.Study;
using AmuroChar.Tasks.RealData;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>How a data folder is laid out (files, save_to_disk folders, DatasetDicts), and that one bad split never takes
/// down the datasets that don't need it.</summary>
public class PaperDataLayoutTests
{
    [Fact]
    public void The_seven_real_samples_as_save_to_disk_folders_make_a_catalog()
    {
        using var dir = new ScratchDirectory();
        RealFixtures.WriteDataFolder(dir.Path);
        var catalog = PaperData.Load(dir.Path);
        Assert.Empty(catalog.Problems);
        foreach (var f in RealFixtures.All)
        {
            var eval = catalog.Get(f.Name, f.Split);
            Assert.Equal(new Tasks.SourceCounts(20, 0, 0), eval.Counts);
            if (PaperData.Files.Any(x => x.Name == f.Name && x.Split == "train"))
                Assert.Equal(20, eval.Count);   // SocialIQa: demonstrations come from its training split (not here)
            else
            {
                // With no training split, the first 32 items are the few-shot pool: all 20 of a sample.
                Assert.Equal(20, catalog.Get(f.Name, "fewshot").Count);
                Assert.Empty(eval.Examples);
            }
        }
        Assert.Equal("allenai/ai2_arc ARC-Easy validation (read as test)", catalog.Get("arc_easy", "test").StandsFor);
        Assert.Equal("nyu-mll/glue rte validation (read as train)", catalog.Get("rte", "test").StandsFor);
    }

    /// <summary>Issue 21: a looping boolq.validation link made boolq vanish silently; a missing split was "unknown
    /// dataset 'xsum'" instead of naming the files looked for.</summary>
    [Fact]
    public void A_link_that_cant_be_followed_is_an_error_row_and_a_missing_split_names_the_files()
    {
        using var dir = new ScratchDirectory();
        RealFixtures.WriteDataFolder(dir.Path);
        string boolq = Path.Combine(dir.Path, PaperData.FileName("boolq", "validation"));
        Directory.Delete(boolq, recursive: true);
        File.CreateSymbolicLink(boolq, boolq);   // a loop
        var catalog = PaperData.Load(dir.Path);
        var problem = Assert.Single(catalog.Problems, p => p.Name == "boolq" && p.Split == "validation");
        Assert.Contains(boolq, problem.Message);
        Assert.Contains("link", problem.Message);

        var e = Assert.Throws<FileNotFoundException>(() => catalog.Get("xsum", "test"));
        Assert.Contains("xsum.test.parquet", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }

    /// <summary>Issue 19: under the authors' protocol a set without a training split gives no rows to a few-shot pool:
    /// its demonstrations are its own first items, scored too (eval/predict.py).</summary>
    [Fact]
    public void Under_the_authors_protocol_every_row_of_an_evaluation_file_is_evaluated()
    {
        using var dir = new ScratchDirectory();
        RealFixtures.WriteDataFolder(dir.Path);
        var catalog = PaperData.Load(dir.Path, protocol: AmuroChar.Evaluation.EvalProtocol.Authors);
        Assert.Empty(catalog.Problems);
        Assert.Equal(20, catalog.Get("arc_easy", "test").Count);
        Assert.DoesNotContain(catalog.All, d => d.Name == "arc_easy" && d.Split == "fewshot");
        Assert.Same(AmuroChar.Evaluation.EvalProtocol.Authors, AmuroChar.Study.Scale.Paper.Protocol);
        Assert.Same(AmuroChar.Evaluation.EvalProtocol.LikeForLike, AmuroChar.Study.Scale.Tiny.Protocol);
    }

    /// <summary>Issue 21: `datasets show boolq --scale paper` with no boolq file said "unknown dataset 'boolq'; valid
    /// datasets: " (an empty list), and a missing RTE file named rte.train without saying why.</summary>
    [Fact]
    public void A_known_dataset_without_its_file_is_named_by_its_files_not_as_unknown()
    {
        using var dir = new ScratchDirectory();
        var catalog = PaperData.Load(dir.Path);   // an empty data folder
        Assert.Empty(catalog.All);
        Assert.Contains("boolq/validation", catalog.Absent);

        var boolq = Assert.Throws<FileNotFoundException>(() => catalog.Resolve("boolq"));
        Assert.Contains("boolq.validation.parquet", boolq.Message);
        var rte = Assert.Throws<FileNotFoundException>(() => catalog.Resolve("rte"));
        Assert.Contains("rte.train.parquet", rte.Message);
        Assert.Contains("the paper evaluates rte on its train split", rte.Message);
        var socialiqa = Assert.Throws<FileNotFoundException>(() => catalog.Resolve("socialiqa"));   // its evaluation split first
        Assert.Contains("socialiqa.validation.parquet", socialiqa.Message);

        var unknown = Assert.Throws<ArgumentException>(() => catalog.Resolve("nosuch"));
        Assert.Contains("valid datasets: arc_challenge, arc_easy, boolq", unknown.Message);
        var split = Assert.Throws<ArgumentException>(() => catalog.Get("xsum", "dev"));
        Assert.Contains("dataset 'xsum' has no split 'dev'; its splits: fewshot, test, train", split.Message);
    }

    [Fact]
    public void A_symlinked_split_folder_is_followed()
    {
        using var dir = new ScratchDirectory();
        RealFixtures.WriteDataFolder(dir.Path);
        string boolq = Path.Combine(dir.Path, PaperData.FileName("boolq", "validation"));
        Directory.Move(boolq, boolq + ".real");
        Directory.CreateSymbolicLink(boolq, boolq + ".real");
        Assert.Empty(PaperData.Load(dir.Path).Problems);
    }

    [Fact]
    public void A_DatasetDict_folder_is_found_by_dataset_name_and_split()
    {
        using var dir = new ScratchDirectory();
        string dict = dir.Sub("boolq");
        RealFixtures.CopyDirectory(RealFixtures.Folder("boolq/none/validation"), Path.Combine(dict, "validation"));
        File.WriteAllText(Path.Combine(dict, "dataset_dict.json"), "{\"splits\": [\"train\", \"validation\"]}");
        // RTE is read from its training split, so a DatasetDict without one holds nothing the study reads.
        RealFixtures.CopyDirectory(RealFixtures.Folder("glue/rte/validation"), Path.Combine(dir.Sub("rte"), "validation"));
        File.WriteAllText(Path.Combine(dir.Sub("rte"), "dataset_dict.json"), "{\"splits\": [\"validation\"]}");

        Assert.Equal(Path.Combine(dict, "validation"), PaperData.Locate(dir.Path, "boolq", "validation"));
        Assert.Null(PaperData.Locate(dir.Path, "rte", "test"));
        var catalog = PaperData.Load(dir.Path);
        Assert.Equal(20, catalog.Get("boolq", "fewshot").Count);
        Assert.Empty(catalog.Problems);
    }

    [Fact]
    public void Two_candidates_for_one_split_are_an_error_naming_both_and_the_rest_still_loads()
    {
        using var dir = new ScratchDirectory();
        RealFixtures.WriteDataFolder(dir.Path);
        File.WriteAllText(dir.Sub("boolq.validation.jsonl"), "{\"question\": \"q\", \"answer\": true, \"passage\": \"p\"}\n");
        File.WriteAllText(dir.Sub("sciq.test.parquet"), "");
        File.WriteAllText(dir.Sub("sciq.test.jsonl"), "");

        var catalog = PaperData.Load(dir.Path);
        var boolq = Assert.Throws<InvalidDataException>(() => catalog.Resolve("boolq"));
        Assert.Contains("boolq.validation.jsonl and boolq.validation;", boolq.Message);   // the file and the save_to_disk folder
        var sciq = catalog.Problems.Single(p => p.Key == "sciq/test");
        Assert.Contains("sciq.test.parquet", sciq.Message);
        Assert.Contains("sciq.test.jsonl", sciq.Message);
        Assert.Contains(catalog.Problems, p => p.Key == "sciq/fewshot");
        Assert.Equal(20, catalog.Get("arc_easy", "fewshot").Count);
    }

    [Fact]
    public void A_truncated_arrow_file_fails_its_own_dataset_by_name()
    {
        using var dir = new ScratchDirectory();
        RealFixtures.WriteDataFolder(dir.Path);
        string arrow = Path.Combine(dir.Sub("openbookqa.test"), "data-00000-of-00001.arrow");
        byte[] bytes = File.ReadAllBytes(arrow);
        File.WriteAllBytes(arrow, bytes[..(bytes.Length / 2)]);

        var catalog = PaperData.Load(dir.Path);
        var problem = catalog.Problems.Single(p => p.Key == "openbookqa/test");
        Assert.Contains(arrow, problem.Message);
        var e = Assert.Throws<InvalidDataException>(() => catalog.Get("openbookqa", "fewshot"));
        Assert.Contains(arrow, e.Message);
        Assert.Equal(6, catalog.All.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public void ClassLabel_names_that_disagree_with_the_schema_are_refused()
    {
        using var dir = new ScratchDirectory();
        string rte = dir.Sub("rte.train");
        RealFixtures.CopyDirectory(RealFixtures.Folder("glue/rte/validation"), rte);
        string info = Path.Combine(rte, "dataset_info.json");
        File.WriteAllText(info, File.ReadAllText(info).Replace("\"entailment\",\n        \"not_entailment\"", "\"not_entailment\",\n        \"entailment\""));
        Assert.Contains("\"not_entailment\",\n        \"entailment\"", File.ReadAllText(info));

        var problem = Assert.Single(PaperData.Load(dir.Path).Problems, p => p.Split == "test");
        Assert.Contains(info, problem.Message);
        Assert.Contains("ClassLabel", problem.Message);
        Assert.Contains("[not_entailment, entailment]", problem.Message);
    }

    [Fact]
    public void A_dataset_in_several_arrow_files_is_read_in_order_and_its_duplicates_counted()
    {
        using var dir = new ScratchDirectory();
        string folder = dir.Sub("boolq.validation");
        RealFixtures.CopyDirectory(RealFixtures.Folder("boolq/none/validation"), folder);
        File.Move(Path.Combine(folder, "data-00000-of-00001.arrow"), Path.Combine(folder, "data-00000-of-00002.arrow"));
        File.Copy(Path.Combine(folder, "data-00000-of-00002.arrow"), Path.Combine(folder, "data-00001-of-00002.arrow"));
        File.WriteAllText(Path.Combine(folder, "state.json"), JsonSerializer.Serialize(new
        {
            _data_files = new[] { new { filename = "data-00000-of-00002.arrow" }, new { filename = "data-00001-of-00002.arrow" } },
            _split = "validation",
        }));

        var rows = ArrowDatasetFolder.Open(folder).Rows().ToList();
        Assert.Equal(40, rows.Count);
        Assert.Equal("row 39", rows[39].Where);
        var data = RealDatasets.Load("google_boolq", folder, "validation");
        Assert.Equal(new Tasks.SourceCounts(40, 0, 20), data.Counts);
        Assert.Equal(40, data.Count);   // kept: the reference evaluations score every row
    }

    [Fact]
    public void State_json_naming_a_missing_file_or_a_DatasetDict_pointed_at_as_one_split_says_so()
    {
        using var dir = new ScratchDirectory();
        string folder = dir.Sub("boolq.validation");
        RealFixtures.CopyDirectory(RealFixtures.Folder("boolq/none/validation"), folder);
        File.Delete(Path.Combine(folder, "data-00000-of-00001.arrow"));
        var missing = Assert.Throws<FileNotFoundException>(() => RealDatasets.Load("google_boolq", folder, "validation"));
        Assert.Contains("state.json", missing.Message);
        Assert.Contains("data-00000-of-00001.arrow", missing.Message);

        string dict = dir.Sub("dict");
        RealFixtures.CopyDirectory(RealFixtures.Folder("boolq/none/validation"), Path.Combine(dict, "validation"));
        File.WriteAllText(Path.Combine(dict, "dataset_dict.json"), "{\"splits\": [\"validation\"]}");
        var whole = Assert.Throws<InvalidDataException>(() => RealDatasets.Load("google_boolq", dict, "validation"));
        Assert.Contains("DatasetDict", whole.Message);
        Assert.Contains("validation", whole.Message);
    }
}
