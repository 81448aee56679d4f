using AmuroChar.Checkpoints;
using AmuroChar.Study;
using AmuroChar.Tests.Checkpoints;
using AmuroChar.Tests.RealData;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>The paper scale's inputs are keyed by the bytes read, not by where they lie (a referee point).</summary>
public class ContentKeyTests
{
    static string WriteRevision(string folder)
    {
        Directory.CreateDirectory(folder);
        using (var model = MicroFixtures.Model())
            HfModelDirectory.Save(folder, model.Config, model.StateDict().Select(p => (p.Key, p.Value)));
        MicroFixtures.Tokenizer.Save(Path.Combine(folder, "tokenizer.json"));
        return folder;
    }

    static void FlipLastByte(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 1;
        File.WriteAllBytes(file, bytes);
    }

    [Fact]
    public void Moving_the_inputs_keeps_the_key_and_one_changed_byte_of_a_dataset_file_changes_it()
    {
        using var dir = new ScratchDirectory();
        string models = dir.Sub("models"), data = dir.Sub("data");
        WriteRevision(Path.Combine(models, "step1000-tokens4B"));
        RealFixtures.WriteDataFolder(data);
        File.WriteAllText(Path.Combine(data, "xsum.test.jsonl"), "{\"document\": \"Zorb won.\", \"summary\": \"Zorb.\", \"id\": \"1\"}\n");
        string Key(string m, string d) => new PaperInputs(m, d, Scale.Paper).Identity.Hash;
        string original = Key(models, data);

        string movedModels = dir.Sub("elsewhere-models"), movedData = dir.Sub("elsewhere-data");
        Directory.Move(models, movedModels);
        Directory.Move(data, movedData);
        Assert.Equal(original, Key(movedModels, movedData));

        FlipLastByte(Directory.EnumerateFiles(Path.Combine(movedData, "boolq.validation"), "*.arrow").First());
        string arrowChanged = Key(movedModels, movedData);
        Assert.NotEqual(original, arrowChanged);
        FlipLastByte(Path.Combine(movedData, "xsum.test.jsonl"));
        Assert.NotEqual(arrowChanged, Key(movedModels, movedData));

        // A file the study doesn't read is not part of the key.
        string unread = Key(movedModels, movedData);
        File.WriteAllText(Path.Combine(movedData, "notes.txt"), "not a dataset");
        Assert.Equal(unread, Key(movedModels, movedData));
    }

    [Fact]
    public void A_revision_is_keyed_by_its_weights_the_same_in_a_plain_folder_and_in_the_Hub_cache()
    {
        using var dir = new ScratchDirectory();
        string plain = WriteRevision(dir.Sub(Path.Combine("plain", "step1000-tokens4B")));
        HubCacheLayout.Write(dir.Sub("hub"), CheckpointRevisions.RepoId, "step1000-tokens4B", plain);
        var fromFolder = CheckpointRevisions.Find(dir.Sub("plain")).Single();
        var fromCache = CheckpointRevisions.Find(dir.Sub("hub")).Single();
        Assert.NotNull(fromCache.Commit);
        // The cache's weights are taken by their blob name (the Hub's SHA-256), the folder's are hashed: the same key.
        Assert.Equal(ContentKeys.Revision(fromFolder), ContentKeys.Revision(fromCache));

        string before = ContentKeys.Revision(fromFolder);
        FlipLastByte(Path.Combine(plain, "model.safetensors"));
        Assert.NotEqual(before, ContentKeys.Revision(fromFolder));

        // Another step's revision with the same files is another checkpoint: the name is part of the key.
        string renamed = dir.Sub(Path.Combine("plain2", "step18000-tokens76B"));
        RealFixtures.CopyDirectory(plain, renamed);
        Assert.NotEqual(ContentKeys.Revision(fromFolder), ContentKeys.Revision(CheckpointRevisions.Find(dir.Sub("plain2")).Single()));
    }
}
