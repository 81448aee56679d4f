using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tokenization;
using static TorchSharp.torch;

namespace AmuroChar.Training;

/// <summary>
/// The resumable checkpoints of a pre-training run: <c>checkpoints/step-N/</c> (the HF directory) and
/// <c>state/step-N/</c> (optimizer.bin and state.json, which records the SHA-256 of every file of both). A work folder
/// outlives crashes, kills and hand edits, so nothing in it is trusted: before a resume every checkpoint is checked
/// (well-formed state.json, every checksum, finite weights), the run continues from the last step whose checkpoint
/// and all earlier ones are sound, and everything after it (including <c>*.tmp-*</c> folders a kill left) is removed,
/// with the reason announced. The run is deterministic, so redoing the removed steps gives the same bytes.
/// </summary>
internal static class WorkCheckpoints
{
    const string StateFile = "state.json", OptimizerFile = "optimizer.bin";

    public static string CheckpointDirectory(string run, int step) => Path.Combine(run, "checkpoints", $"step-{step}");
    static string StateDirectory(string run, int step) => Path.Combine(run, "state", $"step-{step}");

    /// <summary>Model directory first, then the state that marks it resumable; each appears whole (temp dir + rename).</summary>
    public static void Save(string run, int step, OlmoForCausalLM model, TorchSharp.Modules.OptimizerHelper optimizer,
        HfTokenizer tokenizer, PretrainConfig config)
    {
        string checkpoint = CheckpointDirectory(run, step);
        WriteDirectory(checkpoint, dir =>
        {
            HfModelDirectory.Save(dir, model.Config, model.StateDict().Select(kv => (kv.Key, kv.Value)));
            tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        });
        WriteDirectory(StateDirectory(run, step), dir =>
        {
            optimizer.save_state_dict(Path.Combine(dir, OptimizerFile));
            var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string file in Directory.EnumerateFiles(checkpoint)) sums[$"checkpoint/{Path.GetFileName(file)}"] = Sha256(file);
            sums[$"state/{OptimizerFile}"] = Sha256(Path.Combine(dir, OptimizerFile));
            File.WriteAllText(Path.Combine(dir, StateFile), JsonSerializer.Serialize(new RunState(step, ConfigJson(config), sums)));
        });
    }

    /// <summary>
    /// The step to continue from (0: from scratch), after removing every unsound or later checkpoint and every
    /// temporary; each removal of a checkpoint that was there is announced through <paramref name="notice"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">A sound checkpoint of a different configuration (not damage: the
    /// folder belongs to another run).</exception>
    public static int PrepareResume(string run, PretrainConfig config, Action<string> notice)
    {
        foreach (string sub in new[] { "checkpoints", "state" })
        {
            string folder = Path.Combine(run, sub);
            if (!Directory.Exists(folder)) continue;
            foreach (string stray in Directory.EnumerateDirectories(folder, "*.tmp-*")) Directory.Delete(stray, recursive: true);
        }
        int? lastSound = null;
        string? stop = null;
        foreach (int step in config.CheckpointSteps.Order())
        {
            if (!Path.Exists(CheckpointDirectory(run, step)) && !Path.Exists(StateDirectory(run, step))) break;
            if (Problem(run, step, config) is { } problem) { stop = $"work checkpoint step-{step} is unusable ({problem})"; break; }
            lastSound = step;
        }
        bool removed = false;
        foreach (string sub in new[] { "checkpoints", "state" })
        {
            string folder = Path.Combine(run, sub);
            if (!Directory.Exists(folder)) continue;
            foreach (string dir in Directory.EnumerateDirectories(folder))
            {
                string name = Path.GetFileName(dir);
                if (name.StartsWith("step-", StringComparison.Ordinal) && int.TryParse(name[5..], out int s) && s <= lastSound) continue;
                Directory.Delete(dir, recursive: true);
                removed = true;
            }
        }
        int resume = lastSound ?? 0;
        if (stop is not null)
            notice($"pretrain: {run}: {stop}; discarding it and every later one, {(resume > 0 ? $"resuming from step {resume}" : "starting over")}");
        else if (removed)
            notice($"pretrain: {run}: removed checkpoints left incomplete by an interrupted run; resuming from step {resume}");
        return resume;
    }

    /// <summary>Null if the checkpoint of <paramref name="step"/> is sound, else why not.</summary>
    public static string? Problem(string run, int step, PretrainConfig config)
    {
        string stateDir = StateDirectory(run, step), checkpoint = CheckpointDirectory(run, step);
        string statePath = Path.Combine(stateDir, StateFile);
        if (!Directory.Exists(checkpoint)) return "its model directory is missing";
        if (!File.Exists(statePath)) return $"no {StateFile}: the run was interrupted before its optimizer state was saved";
        RunState? state;
        try { state = JsonSerializer.Deserialize<RunState>(File.ReadAllText(statePath), Json); }
        catch (JsonException e) { return $"malformed {StateFile} ({e.Message})"; }
        if (state is null || state.Checksums is null || state.ConfigJson is null) return $"malformed {StateFile} (fields missing; written by an older version?)";
        if (state.Step != step) return $"{StateFile} says step {state.Step}";
        if (state.ConfigJson != ConfigJson(config))
            throw new InvalidDataException($"{run}: the saved run used a different pre-training configuration; delete the directory to start over");
        var expected = Directory.EnumerateFiles(checkpoint).Select(f => $"checkpoint/{Path.GetFileName(f)}")
            .Concat(Directory.EnumerateFiles(stateDir).Where(f => Path.GetFileName(f) != StateFile).Select(f => $"state/{Path.GetFileName(f)}"));
        if (expected.FirstOrDefault(f => !state.Checksums.ContainsKey(f)) is { } extra) return $"{extra} has no recorded checksum";
        foreach (var (file, sum) in state.Checksums)
        {
            string path = Path.Combine(file.StartsWith("state/", StringComparison.Ordinal) ? stateDir : checkpoint, file[(file.IndexOf('/') + 1)..]);
            if (!File.Exists(path)) return $"{file} is missing";
            if (Sha256(path) != sum) return $"{file} checksum mismatch";
        }
        return NonFinite(checkpoint);
    }

    /// <summary>A checksum proves the bytes are what was written, not that training had not diverged.</summary>
    static string? NonFinite(string checkpoint)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in HfModelDirectory.LoadStateDict(checkpoint))
            if (!isfinite(tensor).all().item<bool>()) return $"non-finite values in weight {name}";
        return null;
    }

    static void WriteDirectory(string final, Action<string> write)
    {
        string temp = final + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        write(temp);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
    }

    static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static string ConfigJson(PretrainConfig config) => JsonSerializer.Serialize(config);

    static readonly JsonSerializerOptions Json = new() { RespectNullableAnnotations = false };

    sealed record RunState(
        [property: JsonPropertyName("Step")] int Step,
        [property: JsonPropertyName("ConfigJson")] string? ConfigJson,
        [property: JsonPropertyName("Checksums")] IReadOnlyDictionary<string, string>? Checksums);
}
