using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using AmuroChar.Tokenization;
using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Training;

/// <summary>
/// A pre-training work folder is checked before a resume: each kind of damage is announced with its reason, the
/// damaged checkpoint and everything after it are discarded, the run continues from the last sound checkpoint (or
/// starts over), and it still ends bitwise identical to an uninterrupted run.
/// </summary>
public class WorkCheckpointValidationTests
{
    static readonly Lazy<HfTokenizer> Tok = new(() => PretrainFixtures.Tokenizer);

    static OlmoConfig Config() => PretrainFixtures.Config();

    static int[] Tokens() { var rng = new AmuroChar.Randomness.Rng(9); return Enumerable.Range(0, 300).Select(_ => rng.Next(2, Tok.Value.VocabularySize)).ToArray(); }

    static readonly PretrainConfig Settings = new()
    {
        SequenceLength = 16, BatchSize = 4, Steps = 12, WarmupSteps = 2, CheckpointSteps = [0, 4, 8, 12], Seed = 3,
    };

    /// <summary>The uninterrupted run, once for all cases.</summary>
    static readonly Lazy<Dictionary<int, byte[]>> Reference = new(() =>
    {
        TorchRuntime.SetThreads(2);
        using var dir = new ScratchDirectory();
        Pretrainer.Run(Config(), Tok.Value, Tokens(), Settings, dir.Path, notice: _ => { });
        return Settings.CheckpointSteps.ToDictionary(s => s, s => Weights(dir.Path, s));
    });

    static byte[] Weights(string run, int step) => File.ReadAllBytes(Path.Combine(Pretrainer.CheckpointDirectory(run, step), "model.safetensors"));
    static string Checkpoint(string run, int step, string file) => Path.Combine(Pretrainer.CheckpointDirectory(run, step), file);
    static string State(string run, int step, string file) => Path.Combine(run, "state", $"step-{step}", file);

    public static TheoryData<string, int, string?> Damages => new()
    {
        // damage, the step the run must resume from, what the announcement must say (null: nothing to announce)
        { "one weight changed", 4, "checkpoint/model.safetensors checksum mismatch" },
        { "NaN weight, checksum updated to match", 4, "non-finite values in weight" },
        { "truncated optimizer.bin", 4, "state/optimizer.bin checksum mismatch" },
        { "malformed state.json", 4, "malformed state.json" },
        { "state.json of an older version (no checksums)", 4, "fields missing" },
        { "killed between the checkpoint and its state", 4, "no state.json" },
        { "step-0 damaged", 0, "step-0 is unusable" },
        { "stray temporary folders", 8, null },
    };

    [Theory, MemberData(nameof(Damages))]
    public void A_damaged_work_checkpoint_is_announced_discarded_and_the_run_still_ends_bitwise_identical(string damage, int resumeFrom, string? announced)
    {
        var reference = Reference.Value;
        using var dir = new ScratchDirectory();
        string run = dir.Path;
        Pretrainer.Run(Config(), Tok.Value, Tokens(), Settings, run, stopAfterStep: 10, notice: _ => { });
        Damage(run, damage);

        var notices = new List<string>();
        var progress = new Recorder<TrainingProgress>();
        Pretrainer.Run(Config(), Tok.Value, Tokens(), Settings, run, progress, notice: notices.Add);

        Assert.Equal(resumeFrom + 1, progress.Reports[0].Step);   // reports count completed steps
        if (announced is null) Assert.Empty(notices);
        else Assert.Contains(notices, n => n.Contains(announced, StringComparison.Ordinal) && n.Contains(run, StringComparison.Ordinal));
        foreach (int step in Settings.CheckpointSteps)
            Assert.True(reference[step].AsSpan().SequenceEqual(Weights(run, step)), $"step {step} differs from the uninterrupted run");
        Assert.Empty(Directory.EnumerateDirectories(run, "*.tmp-*", SearchOption.AllDirectories));
        Assert.Null(Pretrainer.CheckFinished(run, Settings));
    }

    [Fact]
    public void A_finished_run_with_a_damaged_checkpoint_is_not_reported_finished()
    {
        using var dir = new ScratchDirectory();
        Pretrainer.Run(Config(), Tok.Value, Tokens(), Settings with { Steps = 4, CheckpointSteps = [0, 4] }, dir.Path, notice: _ => { });
        Assert.Null(Pretrainer.CheckFinished(dir.Path, Settings with { Steps = 4, CheckpointSteps = [0, 4] }));
        FlipByte(Checkpoint(dir.Path, 4, "model.safetensors"));
        Assert.Contains("step-4: checkpoint/model.safetensors checksum mismatch",
            Pretrainer.CheckFinished(dir.Path, Settings with { Steps = 4, CheckpointSteps = [0, 4] }));
    }

    static void Damage(string run, string damage)
    {
        switch (damage)
        {
            case "one weight changed": FlipByte(Checkpoint(run, 8, "model.safetensors")); break;
            case "NaN weight, checksum updated to match":
                string weights = Checkpoint(run, 8, "model.safetensors");
                byte[] bytes = File.ReadAllBytes(weights);
                long dataStart = 8 + BinaryPrimitives.ReadInt64LittleEndian(bytes);
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)dataStart + 16), float.NaN);
                File.WriteAllBytes(weights, bytes);
                var state = JsonNode.Parse(File.ReadAllText(State(run, 8, "state.json")))!;
                state["Checksums"]!["checkpoint/model.safetensors"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
                File.WriteAllText(State(run, 8, "state.json"), state.ToJsonString());
                break;
            case "truncated optimizer.bin":
                using (var f = new FileStream(State(run, 8, "optimizer.bin"), FileMode.Open)) f.SetLength(f.Length / 2);
                break;
            case "malformed state.json": File.WriteAllText(State(run, 8, "state.json"), """{"Step": 8, "Checks"""); break;
            case "state.json of an older version (no checksums)":
                var old = JsonNode.Parse(File.ReadAllText(State(run, 8, "state.json")))!.AsObject();
                old.Remove("Checksums");
                File.WriteAllText(State(run, 8, "state.json"), old.ToJsonString());
                break;
            case "killed between the checkpoint and its state": Directory.Delete(Path.Combine(run, "state", "step-8"), recursive: true); break;
            case "step-0 damaged": FlipByte(Checkpoint(run, 0, "config.json")); break;
            case "stray temporary folders":
                Directory.CreateDirectory(Path.Combine(run, "checkpoints", "step-12.tmp-999999"));
                File.WriteAllText(Path.Combine(run, "checkpoints", "step-12.tmp-999999", "model.safetensors"), "half");
                Directory.CreateDirectory(Path.Combine(run, "state", "step-12.tmp-999999"));
                break;
            default: throw new ArgumentException(damage);
        }
    }

    static void FlipByte(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^9] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }
}
