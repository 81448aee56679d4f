using System.Diagnostics;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Study;
using AmuroChar.Tests.Checkpoints;
using AmuroChar.Tests.RealData;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>
/// The paper scale on what a user has on disk: a small OLMo laid out as the Hub cache (refs → snapshots → blobs) and
/// the seven real datasets as save_to_disk folders (one as a DatasetDict). The inputs open in-process, and the data
/// commands run as the real <c>amurochar</c> process with stdout redirected. A tiny tokenizer stands in for OLMo's.
/// </summary>
public class PaperScaleOnDiskTests
{
    sealed record Layout(ScratchDirectory Dir, string Cache, string Data) : IDisposable
    {
        public void Dispose() => Dir.Dispose();
    }

    static Layout Build()
    {
        var dir = new ScratchDirectory();
        string plain = dir.Sub("plain"), cache = dir.Sub("hub"), data = dir.Sub("data");
        using (var model = MicroFixtures.Model())
            HfModelDirectory.Save(plain, model.Config, model.StateDict().Select(p => (p.Key, p.Value)));
        MicroFixtures.Tokenizer.Save(Path.Combine(plain, "tokenizer.json"));
        foreach (string revision in new[] { "step1000-tokens4B", "step18000-tokens76B" })
            HubCacheLayout.Write(cache, CheckpointRevisions.RepoId, revision, plain);

        RealFixtures.WriteDataFolder(data);
        // boolq as load_dataset("google/boolq").save_to_disk(DATA/"boolq") leaves it: a DatasetDict.
        Directory.Delete(Path.Combine(data, "boolq.validation"), recursive: true);
        RealFixtures.CopyDirectory(RealFixtures.Folder("boolq/none/validation"), Path.Combine(data, "boolq", "validation"));
        File.WriteAllText(Path.Combine(data, "boolq", "dataset_dict.json"), "{\"splits\": [\"train\", \"validation\"]}");
        return new Layout(dir, cache, data);
    }

    [Fact]
    public void The_inputs_open_from_the_Hub_cache_and_the_data_folder()
    {
        using var layout = Build();
        var inputs = new PaperInputs(null, layout.Data, Scale.Paper, v => v == "HF_HUB_CACHE" ? layout.Cache : null);
        Assert.Equal([1000, 18000], inputs.Checkpoints);
        Assert.Equal(MicroFixtures.Tokenizer.VocabularySize, inputs.Tokenizer.VocabularySize);
        using (var model = ModelLoader.Load(inputs.CheckpointDirectory(18000)))
            Assert.Equal(MicroFixtures.Config().VocabSize, model.Shape.VocabSize);
        Assert.Empty(inputs.Datasets.Problems);
        Assert.Equal(RealFixtures.All.Select(f => f.Name).Order(), inputs.Datasets.All.Select(d => d.Name).Distinct().Order());
    }

    [Fact]
    public void Datasets_list_show_and_export_run_at_paper_scale_with_plain_redirected_output()
    {
        using var layout = Build();
        var env = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = layout.Cache, [PaperData.DataVariable] = layout.Data };

        var list = PaperCli.Run(env, "datasets", "list", "--scale", "paper");
        Assert.Equal(0, list.Code);
        Assert.DoesNotContain('\u001b', list.Out);
        // Redirected: one tab-separated line per dataset, nothing wrapped.
        var rows = list.Out.Split('\n').Select(line => line.Split('\t')).ToList();
        foreach (var f in RealFixtures.All) Assert.Contains(rows, r => r[0] == f.Name && r.Length == rows[0].Length);
        Assert.Contains("google/boolq validation", list.Out);
        Assert.Contains(Path.Combine(layout.Data, "boolq", "validation"), list.Out);

        var raw = RealFixtures.RawRows("boolq/none/validation");
        // The authors' protocol: the demonstration is the file's first item, followed by a newline, then that item again.
        var show = PaperCli.Run(env, "datasets", "show", "boolq", "--scale", "paper", "-n", "1", "--shots", "1");
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("1-shot, authors protocol)", show.Out);
        Assert.DoesNotContain('\u001b', show.Out);
        Assert.Contains($"Question: {raw[0].Values["question"]}?", show.Out);
        Assert.Contains($"Answer: {((bool)raw[0].Values["answer"]! ? "yes" : "no")}", show.Out);

        string export = Path.Combine(layout.Dir.Path, "arc.jsonl");
        var exported = PaperCli.Run(env, "datasets", "export", "arc_easy", "--scale", "paper", "--out", export);   // every row: no pool set aside
        Assert.Equal(0, exported.Code);
        Assert.Equal(20, File.ReadAllLines(export).Length);
    }

    [Fact]
    public void The_data_commands_need_no_model_and_name_only_the_data_variable_when_it_is_missing()
    {
        using var layout = Build();
        var noModel = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = layout.Dir.Sub("empty-cache"), [PaperData.DataVariable] = layout.Data };
        Assert.Equal(0, PaperCli.Run(noModel, "datasets", "list", "--scale", "paper").Code);

        var noData = PaperCli.Run(new() { ["HF_HUB_CACHE"] = layout.Cache }, "datasets", "list", "--scale", "paper");
        Assert.Equal(2, noData.Code);
        Assert.Contains(PaperData.DataVariable, noData.Err);
        Assert.DoesNotContain(PaperInputs.OlmoVariable, noData.Err);
    }

    [Fact]
    public void A_bad_dataset_is_an_error_row_while_the_others_list()
    {
        using var layout = Build();
        File.WriteAllText(Path.Combine(layout.Data, "sciq.test.jsonl"), "{}\n");
        var list = PaperCli.Run(new() { [PaperData.DataVariable] = layout.Data }, "datasets", "list", "--scale", "paper");
        Assert.Equal(1, list.Code);
        Assert.Contains("sciq.test.jsonl and sciq.test", list.Out);
        Assert.Contains("\narc_easy\t", list.Out);
        Assert.Contains("could not be read", list.Err);
    }

    /// <summary>
    /// Issue 8's acceptance, end to end: a Hub cache holding a small OLMo that carries OLMo-1B's real tokenizer
    /// (50,280 ids, so 50,304 embedding rows as in OLMo-1B-hf) and OLMo-1B-hf's own special-token files, plus the seven
    /// real datasets as save_to_disk folders, lists, shows and scores through the paper-scale commands.
    /// </summary>
    [Fact]
    public void A_Hub_cache_with_OLMo_1Bs_tokenizer_lists_shows_and_scores_at_paper_scale()
    {
        using var dir = new ScratchDirectory();
        string plain = dir.Sub("plain"), cache = dir.Sub("hub"), data = dir.Sub("data"), store = dir.Sub("store");
        string olmoTokenizer = Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "olmo-1b", "tokenizer.json");
        var tokenizer = AmuroChar.Tokenization.HfTokenizer.Load(olmoTokenizer);
        var config = OlmoConfig.Preset("micro").WithVocabularyFor(tokenizer.VocabularySize, 50279, 1) with { MaxPositionEmbeddings = 512 };
        Assert.Equal(50304, config.VocabSize);
        using (var model = OlmoForCausalLM.CreateRandom(config, seed: 8))
            HfModelDirectory.Save(plain, model.Config, model.StateDict().Select(p => (p.Key, p.Value)));
        File.Copy(olmoTokenizer, Path.Combine(plain, "tokenizer.json"));
        foreach (string file in new[] { "generation_config.json", "tokenizer_config.json", "special_tokens_map.json" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", "olmo-1b-hf", file), Path.Combine(plain, file));
        HubCacheLayout.Write(cache, CheckpointRevisions.RepoId, "step1000-tokens4B", plain);
        RealFixtures.WriteDataFolder(data);
        var env = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = cache, [PaperData.DataVariable] = data };

        var list = PaperCli.Run(env, "datasets", "list", "--scale", "paper");
        Assert.True(list.Code == 0, list.Err);
        foreach (var f in RealFixtures.All) Assert.Contains($"\n{f.Name}\t", "\n" + list.Out);

        var show = PaperCli.Run(env, "datasets", "show", "arc_easy", "--scale", "paper", "-n", "1", "--shots", "0");
        Assert.True(show.Code == 0, show.Err);

        // SocialIQa has a training split in the paper's list, so its validation rows are all scored (a set without
        // one gives its first 32 rows to the few-shot pool, which would leave none of these 20).
        var scored = PaperCli.Run(env, "evaluate", "--scale", "paper", "--step", "1000", "--dataset", "socialiqa", "--shots", "0", "--store", store);
        Assert.True(scored.Code == 0, scored.Err);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(scored.Out)!;
        Assert.Equal(20, metrics["metrics"]!["rougeL"]!["n"]!.GetValue<int>());
        Assert.InRange(metrics["metrics"]!["rougeL"]!["mean"]!.GetValue<double>(), 0, 1);
        // The revision's own special-token files were read (the committed tokenizer's <|endoftext|> is id 0, the
        // config says 50279): the study says so instead of silently picking one.
        Assert.Contains("special tokens of", scored.Err);
    }
}
