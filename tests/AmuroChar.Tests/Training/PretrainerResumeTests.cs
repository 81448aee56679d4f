using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using AmuroChar.Tokenization;
using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Training;

public class PretrainerResumeTests
{
    static readonly Lazy<HfTokenizer> Tok = new(() => PretrainFixtures.Tokenizer);

    static OlmoConfig Config() => PretrainFixtures.Config();

    static int[] Tokens(int vocab) { var rng = new AmuroChar.Randomness.Rng(9); return Enumerable.Range(0, 300).Select(_ => rng.Next(2, vocab)).ToArray(); }

    static readonly PretrainConfig Settings = new()
    {
        SequenceLength = 16, BatchSize = 4, Steps = 12, WarmupSteps = 2, CheckpointSteps = [0, 4, 8, 12], Seed = 3,
    };

    static byte[] Weights(string run, int step) => File.ReadAllBytes(Path.Combine(Pretrainer.CheckpointDirectory(run, step), "model.safetensors"));

    [Fact]
    public void A_resumed_run_ends_bitwise_identical_to_an_uninterrupted_one()
    {
        TorchRuntime.SetThreads(2);
        using var dir = new ScratchDirectory();
        var config = Config();
        var tokens = Tokens(Tok.Value.VocabularySize);
        string a = dir.Sub("a"), b = dir.Sub("b");

        Pretrainer.Run(config, Tok.Value, tokens, Settings, a);

        var first = new Recorder<TrainingProgress>();
        Pretrainer.Run(config, Tok.Value, tokens, Settings, b, first, stopAfterStep: 6);
        Assert.True(Directory.Exists(Pretrainer.CheckpointDirectory(b, 0)));
        Assert.True(Directory.Exists(Pretrainer.CheckpointDirectory(b, 4)));
        Assert.False(Directory.Exists(Pretrainer.CheckpointDirectory(b, 8)));
        Assert.Equal(6, first.Reports.Count);

        var second = new Recorder<TrainingProgress>();
        Pretrainer.Run(config, Tok.Value, tokens, Settings, b, second);
        // It resumed from step 4 (reports count completed steps: 5 … 12), not from scratch.
        Assert.Equal(Enumerable.Range(5, 8), second.Reports.Select(r => r.Step));

        foreach (int step in Settings.CheckpointSteps) Assert.True(Weights(a, step).AsSpan().SequenceEqual(Weights(b, step)), $"step {step} differs");
        Assert.False(Weights(a, 0).AsSpan().SequenceEqual(Weights(a, 12)));   // it did train

        // Each checkpoint is a loadable HF directory with the tokenizer.
        var loadedTokenizer = HfTokenizer.Load(Path.Combine(Pretrainer.CheckpointDirectory(a, 12), "tokenizer.json"));
        Assert.Equal(Tok.Value.Encode("The baker lives in Tovel."), loadedTokenizer.Encode("The baker lives in Tovel."));
        Assert.Equal(config.VocabSize, OlmoConfig.Load(Path.Combine(Pretrainer.CheckpointDirectory(a, 12), "config.json")).VocabSize);

        // The loss went down over the run.
        Assert.True(second.Reports[^1].Loss < first.Reports[0].Loss, $"{first.Reports[0].Loss} -> {second.Reports[^1].Loss}");
    }

    [Fact]
    public void Resuming_with_another_configuration_is_refused()
    {
        TorchRuntime.SetThreads(2);
        using var dir = new ScratchDirectory();
        var tokens = Tokens(Tok.Value.VocabularySize);
        var settings = Settings with { Steps = 6, CheckpointSteps = [0, 2, 6] };
        Pretrainer.Run(Config(), Tok.Value, tokens, settings, dir.Path, stopAfterStep: 3);
        var e = Assert.Throws<InvalidDataException>(() => Pretrainer.Run(Config(), Tok.Value, tokens, settings with { PeakLearningRate = 1e-2 }, dir.Path));
        Assert.Contains("different pre-training configuration", e.Message);
    }
}
