using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Study;
using TorchSharp;
using Xunit;
using static AmuroChar.Tests.Checkpoints.CheckpointTestFiles;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>OLMo revisions as users have them on disk: revision folders from <c>huggingface-cli download --local-dir</c>,
/// or the Hub cache (refs → snapshots → blob links), single or sharded, fp32 or bf16. Each layout must give the very
/// logprobs of the plain folder it was made from.</summary>
public class RevisionLayoutTests
{
    const string Repo = CheckpointRevisions.RepoId;
    static readonly OlmoConfig Micro = OlmoConfig.Preset("micro");
    static readonly long[] Ids = [3, 17, 42, 5, 99, 7, 64, 1];

    static void SavePlain(string directory, ScalarType dtype = ScalarType.Float32, long? maxShardBytes = null, long seed = 7)
    {
        TorchRuntime.SetThreads(2);
        using var model = OlmoForCausalLM.CreateRandom(Micro, seed);
        var tensors = model.StateDict().Select(p => (p.Key, dtype == ScalarType.Float32 ? p.Value : p.Value.to(dtype))).ToList();
        HfModelDirectory.Save(directory, Micro, tensors, maxShardBytes);
    }

    static byte[] Logprobs(string directory)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelLoader.Load(directory);
        using var _ = no_grad();
        var logits = model.Forward(tensor(Ids, ScalarType.Int64).unsqueeze(0));
        return RawBytes(logits.log_softmax(-1));
    }

    [Fact]
    public void The_Hub_cache_single_file_layout_gives_the_plain_folders_logprobs_bitwise()
    {
        using var dir = new TempDirectory();
        string plain = dir.File("plain");
        SavePlain(plain);
        HubCacheLayout.Write(dir.File("hub"), Repo, "step1000-tokens4B", plain);

        var revisions = CheckpointRevisions.Find(dir.File("hub"));
        var revision = Assert.Single(revisions);
        Assert.Equal(("step1000-tokens4B", 1000L, (long?)4_000_000_000), (revision.Name, revision.Step, revision.Tokens));
        Assert.NotNull(new FileInfo(Path.Combine(revision.Directory, "model.safetensors")).LinkTarget);   // read through the link
        Assert.Equal(Logprobs(plain), Logprobs(revision.Directory));
    }

    [Fact]
    public void Sharded_weights_in_the_Hub_cache_give_the_same_logprobs()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        SavePlain(dir.File("sharded"), maxShardBytes: 20_000);
        Assert.True(Directory.GetFiles(dir.File("sharded"), "model-*.safetensors").Length > 1);
        HubCacheLayout.Write(dir.File("hub"), Repo, "step18000-tokens76B", dir.File("sharded"));

        var revision = Assert.Single(CheckpointRevisions.Find(HubCacheLayout.RepoFolder(dir.File("hub"), Repo)));   // the repo folder works too
        Assert.True(File.Exists(Path.Combine(revision.Directory, HfModelDirectory.IndexFileName)));
        Assert.Equal(Logprobs(dir.File("plain")), Logprobs(revision.Directory));
    }

    [Fact]
    public void Bf16_weights_load_as_fp32_exactly()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("bf16"), ScalarType.BFloat16);
        // The reference: the same bf16 values widened to fp32 by torch and saved as fp32.
        var bf16 = HfModelDirectory.LoadStateDict(dir.File("bf16"));
        Assert.All(bf16.Values, t => Assert.Equal(ScalarType.BFloat16, t.dtype));
        HfModelDirectory.Save(dir.File("fp32"), Micro, bf16.Select(p => (p.Key, p.Value.to(ScalarType.Float32))));
        HubCacheLayout.Write(dir.File("hub"), Repo, "step1000-tokens4B", dir.File("bf16"));

        var revision = Assert.Single(CheckpointRevisions.Find(dir.File("hub")));
        Assert.Equal(Logprobs(dir.File("fp32")), Logprobs(revision.Directory));
        SavePlain(dir.File("original"));
        Assert.NotEqual(Logprobs(dir.File("original")), Logprobs(revision.Directory));   // bf16 rounding did happen
    }

    [Fact]
    public void Local_dir_revision_folders_give_the_same_logprobs_and_steps_from_their_names()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        string root = dir.File("olmo");
        foreach (string rev in new[] { "step18000-tokens76B", "step1000-tokens4B" })
        {
            SavePlain(Path.Combine(root, rev));
            // huggingface-cli download --local-dir leaves its own metadata beside the files.
            Directory.CreateDirectory(Path.Combine(root, rev, ".cache", "huggingface", "download"));
        }
        Directory.CreateDirectory(Path.Combine(root, "notes"));

        var revisions = CheckpointRevisions.Find(root);
        Assert.Equal([1000L, 18000L], revisions.Select(r => r.Step));
        Assert.Equal(Logprobs(dir.File("plain")), Logprobs(revisions[0].Directory));
    }

    [Fact]
    public void PaperInputs_finds_checkpoints_in_the_Hub_cache_named_by_HF_HUB_CACHE_or_HF_HOME()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        string cache = Path.Combine(dir.File("hf-home"), "hub");
        foreach (string rev in new[] { "step342000-tokens1434B", "step1000-tokens4B" })
            HubCacheLayout.Write(cache, Repo, rev, dir.File("plain"));
        // A main ref without a model (what fetching one file of the repository leaves) is not a checkpoint.
        File.WriteAllText(Path.Combine(HubCacheLayout.RepoFolder(cache, Repo), "refs", "main"), "0123abcd");
        Directory.CreateDirectory(dir.File("data"));

        var viaHome = new PaperInputs(null, dir.File("data"), Scale.Paper, v => v == "HF_HOME" ? dir.File("hf-home") : null);
        Assert.Equal([1000, 342000], viaHome.Checkpoints);
        Assert.Equal(["step1000-tokens4B", "step342000-tokens1434B"], viaHome.Revisions.Select(r => r.Name));
        var viaCache = new PaperInputs(null, dir.File("data"), Scale.Paper, v => v == "HF_HUB_CACHE" ? cache : null);
        Assert.Equal(viaHome.CheckpointDirectory(342000), viaCache.CheckpointDirectory(342000));
        Assert.Null(PaperInputs.MissingInputs(v => v switch { "HF_HUB_CACHE" => cache, PaperInputs.DataVariable => dir.File("data"), _ => null }));
        Assert.Equal(Logprobs(dir.File("plain")), Logprobs(viaCache.CheckpointDirectory(1000)));
    }

    /// <summary>Issue 19: the paper's last checkpoint is <c>main</c>, the released final model. It is found in either
    /// layout, after every step, with no tokens (its name gives none), and the grid plans what the study runs.</summary>
    [Fact]
    public void Main_is_the_last_checkpoint_in_the_Hub_cache_and_in_revision_folders()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        SavePlain(dir.File("final"), seed: 8);
        string cache = dir.File("hub");
        HubCacheLayout.Write(cache, Repo, "step1000-tokens4B", dir.File("plain"));
        HubCacheLayout.Write(cache, Repo, "main", dir.File("final"));
        var revisions = CheckpointRevisions.Find(cache);
        Assert.Equal(["step1000-tokens4B", "main"], revisions.Select(r => r.Name));
        Assert.Equal((CheckpointStep.Main, (long?)null), (revisions[1].Step, revisions[1].Tokens));
        Directory.CreateDirectory(dir.File("data"));
        var inputs = new PaperInputs(cache, dir.File("data"), Scale.Paper);
        Assert.Equal([1000, CheckpointStep.Main], inputs.Checkpoints);
        Assert.Equal(Logprobs(dir.File("final")), Logprobs(inputs.CheckpointDirectory(CheckpointStep.Main)));
        Assert.Equal([1000, CheckpointStep.Main], new AmuroChar.Grid.GridSpec { Scale = "paper", Store = dir.File("store"), OlmoDirectory = cache }.Checkpoints());

        string folders = dir.File("folders");
        RealDataCopy(dir.File("plain"), Path.Combine(folders, "step1000-tokens4B"));
        RealDataCopy(dir.File("final"), Path.Combine(folders, "main"));
        Assert.Equal([1000L, CheckpointStep.Main], CheckpointRevisions.Find(folders).Select(r => r.Step));
        // A main folder without weights is not a checkpoint.
        File.Delete(Path.Combine(folders, "main", HfModelDirectory.WeightsFileName));
        Assert.Equal([1000L], CheckpointRevisions.Find(folders).Select(r => r.Step));
    }

    static void RealDataCopy(string from, string to) => AmuroChar.Tests.RealData.RealFixtures.CopyDirectory(from, to);

    /// <summary>Issue 18: the grid planned from its own folder-only copy of revision discovery, so a Hub cache given as
    /// the OLMo folder (which the study reads) found no checkpoints there.</summary>
    [Fact]
    public void The_grid_finds_the_same_checkpoints_as_the_study_in_a_Hub_cache()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        string cache = dir.File("hub");
        foreach (string rev in new[] { "step342000-tokens1434B", "step1000-tokens4B" })
            HubCacheLayout.Write(cache, Repo, rev, dir.File("plain"));
        Assert.Equal([1000, 342000], new AmuroChar.Grid.GridSpec { Scale = "paper", Store = dir.File("store"), OlmoDirectory = cache }.Checkpoints());
        Assert.Equal([1000, 342000], new AmuroChar.Grid.GridSpec { Scale = "paper", Store = dir.File("store"), OlmoDirectory = HubCacheLayout.RepoFolder(cache, Repo) }.Checkpoints());
    }

    [Fact]
    public void The_Hub_cache_is_where_huggingface_hub_puts_it()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal("/a", AmuroChar.Hub.HubCache.DefaultRoot(v => v switch { "HF_HUB_CACHE" => "/a", "HUGGINGFACE_HUB_CACHE" => "/b", "HF_HOME" => "/c", _ => null }));
        Assert.Equal("/b", AmuroChar.Hub.HubCache.DefaultRoot(v => v switch { "HUGGINGFACE_HUB_CACHE" => "/b", "HF_HOME" => "/c", _ => null }));
        Assert.Equal(Path.Combine("/c", "hub"), AmuroChar.Hub.HubCache.DefaultRoot(v => v switch { "HF_HOME" => "/c", "XDG_CACHE_HOME" => "/x", _ => null }));
        Assert.Equal(Path.Combine("/x", "huggingface", "hub"), AmuroChar.Hub.HubCache.DefaultRoot(v => v == "XDG_CACHE_HOME" ? "/x" : null));
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), AmuroChar.Hub.HubCache.DefaultRoot(_ => null));
        Assert.Equal(Path.Combine(home, "hf"), AmuroChar.Hub.HubCache.DefaultRoot(v => v == "HF_HUB_CACHE" ? "~/hf" : null));
    }

    [Fact]
    public void A_link_to_a_missing_blob_names_the_file_and_the_blob()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        string snapshot = HubCacheLayout.Write(dir.File("hub"), Repo, "step1000-tokens4B", dir.File("plain"));
        string target = new FileInfo(Path.Combine(snapshot, "model.safetensors")).LinkTarget!;
        File.Delete(Path.Combine(snapshot, target));

        var e = Assert.Throws<FileNotFoundException>(() => CheckpointRevisions.Find(dir.File("hub")));
        Assert.Contains(Path.Combine(snapshot, "model.safetensors"), e.Message);
        Assert.Contains(target, e.Message);
        Assert.Contains("step1000-tokens4B", e.Message);
    }

    [Fact]
    public void A_ref_to_a_missing_snapshot_and_a_cache_without_step_refs_say_what_is_wrong()
    {
        using var dir = new TempDirectory();
        SavePlain(dir.File("plain"));
        string snapshot = HubCacheLayout.Write(dir.File("hub"), Repo, "step1000-tokens4B", dir.File("plain"));
        Directory.Delete(snapshot, recursive: true);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => CheckpointRevisions.Find(dir.File("hub")));
        Assert.Contains("refs", missing.Message);
        Assert.Contains(Path.GetFileName(snapshot), missing.Message);

        string repo = HubCacheLayout.RepoFolder(dir.File("hub"), Repo);
        File.Delete(Path.Combine(repo, "refs", "step1000-tokens4B"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), "abc123");
        var none = Assert.Throws<DirectoryNotFoundException>(() => CheckpointRevisions.Find(dir.File("hub")));
        Assert.Contains("refs found: main", none.Message);
        Assert.Contains("--revision", none.Message);

        File.WriteAllText(Path.Combine(repo, "refs", "main"), "not a sha!");
        Assert.Contains("commit sha", Assert.Throws<InvalidDataException>(() => CheckpointRevisions.Find(dir.File("hub"))).Message);
    }

    [Fact]
    public void Two_revisions_of_one_step_and_a_single_model_folder_are_refused_by_name()
    {
        using var dir = new TempDirectory();
        string root = dir.File("olmo");
        SavePlain(Path.Combine(root, "step1000-tokens4B"));
        SavePlain(Path.Combine(root, "step1000-tokens5B"));
        var clash = Assert.Throws<InvalidDataException>(() => CheckpointRevisions.Find(root));
        Assert.Contains("step1000-tokens4B", clash.Message);
        Assert.Contains("step1000-tokens5B", clash.Message);

        var one = Assert.Throws<DirectoryNotFoundException>(() => CheckpointRevisions.Find(Path.Combine(root, "step1000-tokens4B")));
        Assert.Contains("one model directory", one.Message);
        var empty = Assert.Throws<DirectoryNotFoundException>(() => CheckpointRevisions.Find(dir.File("plain-missing")));
        Assert.Contains("plain-missing", empty.Message);
    }
}
