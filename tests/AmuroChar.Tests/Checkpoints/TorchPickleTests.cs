using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Study;
using AmuroChar.Tests.Model;
using Xunit;
using static AmuroChar.Tests.Checkpoints.CheckpointTestFiles;
using static AmuroChar.Tests.Checkpoints.TorchPickleTestFiles;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>
/// torch.save checkpoints (<c>pytorch_model.bin</c>, as EleutherAI's Pythia steps ship them) read as safetensors are:
/// every dtype, a 0-d and an empty tensor, offset views and tied names sharing one storage, pickle protocols 2 and 4, a
/// zip64 archive; and real model directories — Pythia-shaped GPT-NeoX in one .bin, a tied OLMo in two .bin shards with
/// an index — giving logits bitwise equal to the same weights in safetensors. The fixtures are written by
///   /usr/bin/python3 tools/torch_pickle_fixtures.py
/// (from the repository root; Debian's python3-torch and numpy); no Python runs at test time.
/// </summary>
public sealed class TorchPickleTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static SafeTensorsHeader ReadHeader(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        return TorchZipCheckpoint.ReadHeader(file, path);
    }

    static Dictionary<string, Tensor> ReadAll(string path, ScalarType? convertTo = null)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var header = TorchZipCheckpoint.ReadHeader(file, path);
        return header.Entries.ToDictionary(e => e.Name, e => SafeTensorsFile.ReadTensor(file, header, e, convertTo));
    }

    [Theory]
    [InlineData("mixed.bin")]
    [InlineData("mixed-protocol4.bin")]
    [InlineData("mixed-zip64.bin")]
    public void A_state_dict_of_every_dtype_reads_bitwise_equal_to_its_values(string file)
    {
        var expected = SafeTensorsFile.Load(Fixture("mixed.expected.safetensors"));
        var actual = ReadAll(Fixture(file));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, want) in expected)
        {
            var got = actual[name];
            Assert.True(want.dtype == got.dtype, $"{name}: {got.dtype}, expected {want.dtype}");
            Assert.Equal(want.shape, got.shape);
            Assert.True(RawBytes(want).AsSpan().SequenceEqual(RawBytes(got)), $"{name}: bytes differ");
        }
        Assert.Equal([], actual["scalar"].shape);
        Assert.Equal([0L, 3L], actual["empty"].shape);
        Assert.Equal(new[] { ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Float64, ScalarType.Int64, ScalarType.Int32,
                ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool },
            new[] { "f32", "f16", "bf16", "f64", "i64", "i32", "i16", "i8", "u8", "bool" }.Select(n => actual[n].dtype));
        foreach (var tensor in expected.Values.Concat(actual.Values)) tensor.Dispose();
    }

    [Fact]
    public void Views_and_tied_names_are_byte_ranges_inside_one_shared_storage()
    {
        var entries = ReadHeader(Fixture("mixed.bin")).Entries.ToDictionary(e => e.Name);
        Assert.Equal(entries["shared.full"].Begin + 3 * 4, entries["shared.middle"].Begin);
        Assert.Equal(entries["shared.full"].Begin + 5 * 4, entries["shared.row"].Begin);
        Assert.Equal(entries["shared.full"].End, entries["shared.row"].End);
        Assert.Equal((entries["tied.a"].Begin, entries["tied.a"].End), (entries["tied.b"].Begin, entries["tied.b"].End));
    }

    [Fact]
    public void Floating_point_tensors_convert_as_the_safetensors_path_converts_them()
    {
        var converted = ReadAll(Fixture("mixed.bin"), ScalarType.Float32);
        var want = SafeTensorsFile.Load(Fixture("mixed.expected.safetensors"), ScalarType.Float32);
        foreach (var (name, tensor) in converted)
        {
            Assert.Equal(want[name].dtype, tensor.dtype);
            Assert.True(RawBytes(want[name]).AsSpan().SequenceEqual(RawBytes(tensor)), name);
        }
        Assert.Equal(ScalarType.Int64, converted["i64"].dtype);   // integers and bool keep their type
        Assert.Equal(ScalarType.Float32, converted["bf16"].dtype);
        foreach (var tensor in converted.Values.Concat(want.Values)) tensor.Dispose();
    }

    /// <summary>A one-tensor archive built here (System.IO.Compression, a pickle assembled by hand) reads back: the
    /// control for the forged archives of <see cref="TorchPickleBadInputTests"/>.</summary>
    [Fact]
    public void A_hand_made_archive_reads_with_a_storage_offset()
    {
        string path = _dir.File("pytorch_model.bin");
        WriteOneStorageArchive(path, OneTensorPickle("w", "FloatStorage", numel: 8, size: [2, 3], stride: [3, 1], offset: 2), Floats(8));
        var tensors = ReadAll(path);
        Assert.Equal(new[] { 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f }, tensors["w"].data<float>().ToArray());
        tensors["w"].Dispose();
    }

    static Tensor Logits(ICausalLM model, long[] ids)
    {
        using var _ = no_grad();
        return model.Forward(tensor(ids).unsqueeze(0));
    }

    static void AssertSameModel(string expectedDirectory, string actualDirectory, long[] ids)
    {
        using var expected = ModelLoader.Load(expectedDirectory);
        using var actual = ModelLoader.Load(actualDirectory);
        Assert.Equal(expected.ModelType, actual.ModelType);
        var want = expected.StateDict();
        foreach (var (name, parameter) in actual.StateDict())
            Assert.True(RawBytes(want[name]).AsSpan().SequenceEqual(RawBytes(parameter)), $"{name} differs");
        using var a = Logits(expected, ids);
        using var b = Logits(actual, ids);
        Assert.True(RawBytes(a).AsSpan().SequenceEqual(RawBytes(b)), "logits differ");
    }

    [Fact]
    public void A_pythia_shaped_gpt_neox_in_pytorch_model_bin_gives_bitwise_the_logits_of_its_safetensors()
    {
        string bin = Fixture("pythia-like-bin");
        Assert.False(File.Exists(Path.Combine(bin, "model.safetensors")));
        AssertSameModel(GptNeoXFixtures.Directory("pythia-like"), bin, [3, 1, 4, 1, 5, 9, 2, 6, 53, 58, 97]);
    }

    [Fact]
    public void A_tied_olmo_in_two_bin_shards_with_an_index_gives_bitwise_the_logits_of_its_safetensors()
    {
        using (var weights = HfWeightFiles.Open(Fixture("olmo-tied-bin")))
        {
            Assert.EndsWith("pytorch_model.bin.index.json", weights.Source);
            Assert.Equal(2, weights.Shards.Count);
            // lm_head.weight is stored (as the embedding's own tensor) and skipped for a tied model, as transformers does.
            Assert.Equal(weights.Tensors["model.embed_tokens.weight"].Entry.Begin, weights.Tensors["lm_head.weight"].Entry.Begin);
        }
        AssertSameModel(Fixture("olmo-tied-safetensors"), Fixture("olmo-tied-bin"), [5, 17, 127, 0, 64, 3, 99]);
    }

    /// <summary>A Pythia step revision as the Hub cache holds it (pytorch_model.bin a link to its LFS blob): found — a
    /// <c>main</c> with only a .bin is a model too — keyed by its blob name as safetensors are, and loaded.</summary>
    [Fact]
    public void Pythia_revisions_with_only_a_bin_are_found_keyed_and_loaded_from_the_Hub_cache()
    {
        const string repo = "EleutherAI/pythia-like";
        string source = Fixture("pythia-like-bin");
        HubCacheLayout.Write(_dir.File("hub"), repo, "step1000", source);
        HubCacheLayout.Write(_dir.File("hub"), repo, "main", source);
        var revisions = CheckpointRevisions.Find(_dir.File("hub"), repo);
        Assert.Equal(["step1000", "main"], revisions.Select(r => r.Name));

        string folder = _dir.File(Path.Combine("folders", "step1000"));
        AmuroChar.Tests.RealData.RealFixtures.CopyDirectory(source, folder);
        Assert.Equal(ContentKeys.Revision(CheckpointRevisions.Find(_dir.File("folders"), repo).Single()),
            ContentKeys.Revision(revisions[0]));
        AssertSameModel(source, revisions[0].Directory, [7, 8, 9]);
    }

    /// <summary>transformers reads model.safetensors when a directory has both; so do we: here the .bin is not even a
    /// zip archive, and the load still succeeds with the safetensors weights.</summary>
    [Fact]
    public void Safetensors_win_when_a_directory_has_both()
    {
        string source = GptNeoXFixtures.Directory("pythia-like");
        foreach (string name in new[] { "config.json", "model.safetensors" }) File.Copy(Path.Combine(source, name), _dir.File(name));
        File.WriteAllText(_dir.File("pytorch_model.bin"), "not a checkpoint");
        using (var weights = HfWeightFiles.Open(_dir.Path)) Assert.EndsWith("model.safetensors", weights.Source);
        AssertSameModel(source, _dir.Path, [1, 2, 3]);
    }
}
