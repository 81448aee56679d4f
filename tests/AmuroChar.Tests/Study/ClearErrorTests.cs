using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tests.Shared;
using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>Misconfigurations fail early with a message that says what to do.</summary>
public class ClearErrorTests
{
    [Fact]
    public void The_paper_scale_without_its_folders_names_both_variables()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable) is not null
                        || Environment.GetEnvironmentVariable(PaperInputs.DataVariable) is not null,
            "the paper-scale variables are set in this environment");
        Assert.SkipWhen(Directory.Exists(Path.Combine(AmuroChar.Hub.HubCache.DefaultRoot(Environment.GetEnvironmentVariable), AmuroChar.Hub.HubRepo.Model(AmuroChar.Checkpoints.CheckpointRevisions.RepoId).FolderName)),
            "this machine's Hub cache holds allenai/OLMo-1B-hf, which the paper scale reads when AMUROCHAR_OLMO_DIR is unset");
        using var dir = new ScratchDirectory();
        var store = new ResultStore(dir.Sub("store"));
        var e = Assert.Throws<InvalidOperationException>(() => StudyFactory.Inputs("paper", 1, store));
        Assert.Contains("AMUROCHAR_OLMO_DIR", e.Message);
        Assert.Contains("AMUROCHAR_DATA_DIR", e.Message);
    }

    [Fact]
    public void Missing_paper_inputs_are_named_one_by_one()
    {
        using var dir = new ScratchDirectory();
        Assert.Null(PaperInputs.MissingInputs(_ => dir.Path));
        string? message = PaperInputs.MissingInputs(name => name == PaperInputs.OlmoVariable ? dir.Path : dir.Sub("does-not-exist"));
        Assert.NotNull(message);
        Assert.Contains("AMUROCHAR_DATA_DIR", message);
        Assert.DoesNotContain("AMUROCHAR_OLMO_DIR", message);
        Assert.Contains("xsum.train", message);   // it says which files the folder should hold
        Assert.Contains("rte.train", message);    // the paper evaluated RTE and TweetQA on their training splits
        Assert.DoesNotContain("rte.test", message);
    }

    [Theory]
    [InlineData("rte", "test", "rte.train")]
    [InlineData("tweetqa", "test", "tweetqa.train")]
    [InlineData("xsum", "test", "xsum.test")]
    [InlineData("mnli_matched", "validation", "mnli_matched.validation")]
    public void Paper_files_are_named_by_the_split_the_paper_read(string name, string split, string file) =>
        Assert.Equal(file, PaperInputs.FileName(name, split));

    [Fact]
    public void An_unknown_scale_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Scale.ByName("nope"));
        Assert.Contains("'nope'", e.Message);
        foreach (var name in new[] { "tiny", "small", "paper" }) Assert.Contains(name, e.Message);
        Assert.Equal(Scale.Names, Scale.Names.Select(Scale.ByName).Select(s => s.Name));

        using var dir = new ScratchDirectory();
        var store = new ResultStore(dir.Sub("store"));
        Assert.Throws<ArgumentException>(() => StudyFactory.Inputs("nope", 1, store));
    }

    [Fact]
    public void A_model_whose_heads_do_not_divide_the_hidden_size_is_refused()
    {
        var bad = OlmoConfig.Preset("micro") with { HiddenSize = 30 };   // 4 heads
        var e = Assert.Throws<InvalidDataException>(() => bad.Validate());
        Assert.Contains("num_attention_heads (4) does not divide hidden_size (30)", e.Message);
        Assert.Throws<InvalidDataException>(() => new OlmoForCausalLM(bad));

        var kv = OlmoConfig.Preset("micro") with { NumKeyValueHeads = 3 };
        Assert.Contains("num_key_value_heads (3) must divide num_attention_heads (4)", Assert.Throws<InvalidDataException>(() => kv.Validate()).Message);
        var odd = OlmoConfig.Preset("micro") with { HiddenSize = 36, NumAttentionHeads = 4, NumKeyValueHeads = 4 };   // head dim 9
        Assert.Contains("must be even", Assert.Throws<InvalidDataException>(() => odd.Validate()).Message);

        var preset = Assert.Throws<ArgumentException>(() => OlmoConfig.Preset("huge"));
        Assert.Contains("micro", preset.Message);
    }

    [Fact]
    public void Pre_training_longer_sequences_than_the_model_has_positions_is_refused()
    {
        var config = MicroFixtures.Config(maxPositions: 64);
        using var dir = new ScratchDirectory();
        var e = Assert.Throws<ArgumentException>(() => Pretrainer.Run(config, MicroFixtures.Tokenizer, new int[1000],
            new PretrainConfig { SequenceLength = 65, BatchSize = 2, Steps = 2, WarmupSteps = 1, CheckpointSteps = [2] }, dir.Path));
        Assert.Contains("sequence length 65 exceeds max_position_embeddings 64", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));   // nothing was written

        Assert.Contains("outside 0..2", Assert.Throws<ArgumentException>(() =>
            new PretrainConfig { Steps = 2, WarmupSteps = 1, CheckpointSteps = [3] }.Validate()).Message);
        Assert.Contains("warmup", Assert.Throws<ArgumentException>(() =>
            new PretrainConfig { Steps = 2, WarmupSteps = 5, CheckpointSteps = [2] }.Validate()).Message);
    }
}
