using System.IO.Compression;
using AmuroChar.Checkpoints;
using AmuroChar.Tests.Model;
using Xunit;
using static AmuroChar.Tests.Checkpoints.TorchPickleTestFiles;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>
/// One test per broken torch.save checkpoint: each is refused while its header is read — before a tensor is allocated —
/// with an error naming the file and the problem. Pickles that would run code are assembled here byte by byte and only
/// ever parsed.
/// </summary>
public sealed class TorchPickleBadInputTests(ITestOutputHelper output) : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string Bin => _dir.File("pytorch_model.bin");

    InvalidDataException AssertRefused(params string[] phrases)
    {
        using var file = File.OpenHandle(Bin, FileMode.Open, FileAccess.Read);
        var error = Assert.Throws<InvalidDataException>(() => TorchZipCheckpoint.ReadHeader(file, Bin));
        output.WriteLine(error.Message);
        Assert.StartsWith(Bin + ": ", error.Message);
        foreach (string phrase in phrases) Assert.Contains(phrase, error.Message);
        return error;
    }

    void WriteTensor(string storageType, long numel, long[] size, long[] stride, byte[] storage, long offset = 0) =>
        WriteOneStorageArchive(Bin, OneTensorPickle("w", storageType, numel, size, stride, offset), storage);

    [Fact]
    public void A_truncated_archive()
    {
        byte[] whole = File.ReadAllBytes(Fixture("mixed.bin"));
        File.WriteAllBytes(Bin, whole[..(whole.Length / 2)]);
        AssertRefused("no zip end-of-central-directory record", "truncated");
    }

    /// <summary>The classic pickle exploit: <c>os.system('echo pwned')</c>. Refused at its GLOBAL, never called.</summary>
    [Fact]
    public void A_pickle_that_names_os_system()
    {
        byte[] pickle = new Pickle().Proto().Global("os", "system").Str("echo pwned").Op(0x85).Op('R').Op('.').ToArray();
        WriteArchive(Bin, [("archive/data.pkl", pickle), ("archive/version", "3\n"u8.ToArray())]);
        AssertRefused("archive/data.pkl", "global 'os.system' is not allowed", "at byte 2");
    }

    [Fact]
    public void A_whitelisted_global_called_in_a_way_torch_save_never_writes()
    {
        // OrderedDict(...) with an argument, in place of a tensor.
        byte[] pickle = new Pickle().Proto().EmptyDict().Str("w").Global("collections", "OrderedDict").Str("x").Op(0x85).Op('R')
            .Op('s').Op('.').ToArray();
        WriteArchive(Bin, [("archive/data.pkl", pickle)]);
        AssertRefused("REDUCE of collections.OrderedDict");
    }

    [Fact]
    public void An_opcode_outside_the_subset_torch_save_uses()
    {
        byte[] pickle = new Pickle().Proto().Global("collections", "OrderedDict").Op(')').Op(0x81).Op('.').ToArray(); // NEWOBJ
        WriteArchive(Bin, [("archive/data.pkl", pickle)]);
        AssertRefused("unsupported pickle opcode 0x81");
    }

    [Fact]
    public void A_storage_file_shorter_than_its_tensor_needs()
    {
        WriteTensor("FloatStorage", numel: 6, size: [2, 3], stride: [3, 1], Floats(5));
        AssertRefused("archive/data/0 holds 20 bytes", "needs 24", "truncated?");
    }

    [Fact]
    public void A_tensor_that_runs_past_the_end_of_its_storage()
    {
        WriteTensor("HalfStorage", numel: 4, size: [3], stride: [1], new byte[8], offset: 2);
        AssertRefused("tensor 'w'", "runs past the end of storage '0' (4 elements of F16)");
    }

    /// <summary>A negative storage offset would point before the storage's bytes, into other members.</summary>
    [Fact]
    public void A_negative_storage_offset()
    {
        WriteTensor("FloatStorage", numel: 4, size: [2], stride: [1], Floats(4), offset: -1);
        AssertRefused("REDUCE of torch._utils._rebuild_tensor_v2");
    }

    [Fact]
    public void Non_contiguous_strides_as_torch_saves_a_transposed_view()
    {
        File.Copy(Fixture("noncontiguous.bin"), Bin);
        AssertRefused("tensor 'transposed' of shape [3, 2] has strides [1, 3]", "not contiguous");
    }

    [Fact]
    public void Non_contiguous_strides_crafted()
    {
        WriteTensor("FloatStorage", numel: 6, size: [2, 3], stride: [1, 2], Floats(6));
        AssertRefused("strides [1, 2]", "not contiguous");
    }

    [Fact]
    public void A_storage_type_without_a_whitelisted_dtype()
    {
        WriteTensor("ComplexFloatStorage", numel: 1, size: [1], stride: [1], new byte[8]);
        AssertRefused("global 'torch.ComplexFloatStorage' is not allowed");
    }

    [Fact]
    public void A_compressed_member()
    {
        WriteOneStorageArchive(Bin, OneTensorPickle("w", "FloatStorage", 6, [6], [1]), Floats(6), CompressionLevel.Optimal);
        AssertRefused("is compressed (method 8)");
    }

    [Fact]
    public void A_missing_storage_member()
    {
        WriteArchive(Bin, [("archive/data.pkl", OneTensorPickle("w", "FloatStorage", 6, [6], [1]))]);
        AssertRefused("storage '0' has no member archive/data/0");
    }

    [Fact]
    public void The_legacy_format_before_pytorch_1_6()
    {
        File.WriteAllBytes(Bin, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        AssertRefused("legacy torch.save format");
    }

    [Fact]
    public void A_big_endian_checkpoint()
    {
        WriteArchive(Bin, [("archive/data.pkl", OneTensorPickle("w", "FloatStorage", 1, [1], [1])), ("archive/data/0", Floats(1)),
            ("archive/byteorder", "big"u8.ToArray())]);
        AssertRefused("archive/byteorder says 'big'");
    }

    /// <summary>A thousand corruptions of a real checkpoint (bytes changed in its pickle or anywhere, or the file cut
    /// short): each reads cleanly or is an <see cref="InvalidDataException"/> naming the file — never another exception
    /// (an index out of range, an overflow, a huge allocation).</summary>
    [Fact]
    public void Corrupted_checkpoints_fail_only_with_clear_errors()
    {
        byte[] original = File.ReadAllBytes(Fixture("mixed.bin"));
        var random = new Random(20240601);
        int refused = 0;
        for (int trial = 0; trial < 1000; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            if (trial % 10 == 9) bytes = bytes[..random.Next(bytes.Length)];
            else
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    // In data.pkl (the first member, a few hundred bytes after its local header), in the central
                    // directory and end record (the last ~1.2 KB), or anywhere.
                    int at = (trial % 3) switch
                    {
                        0 => random.Next(40, 600),
                        1 => random.Next(bytes.Length - 1200, bytes.Length),
                        _ => random.Next(bytes.Length),
                    };
                    bytes[at] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)(bytes[at] ^ (1 << random.Next(8)));
                }
            File.WriteAllBytes(Bin, bytes);
            using var file = File.OpenHandle(Bin, FileMode.Open, FileAccess.Read);
            try { TorchZipCheckpoint.ReadHeader(file, Bin); }
            catch (InvalidDataException e)
            {
                Assert.StartsWith(Bin + ": ", e.Message);
                refused++;
            }
        }
        output.WriteLine($"{refused} of 1000 corruptions refused, the rest read");
        Assert.True(refused > 300, $"only {refused} corruptions refused");
    }

    /// <summary>Through the model loader: the error names the .bin, and no model is returned.</summary>
    [Fact]
    public void A_model_directory_with_a_truncated_bin()
    {
        string source = Fixture("pythia-like-bin");
        File.Copy(Path.Combine(source, "config.json"), _dir.File("config.json"));
        byte[] whole = File.ReadAllBytes(Path.Combine(source, "pytorch_model.bin"));
        File.WriteAllBytes(Bin, whole[..^100]);
        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(_dir.Path));
        output.WriteLine(error.Message);
        Assert.Contains(Bin, error.Message);
    }

    [Fact]
    public void A_bin_index_naming_a_tensor_its_shard_lacks()
    {
        string source = Fixture("olmo-tied-bin");
        foreach (string file in Directory.GetFiles(source)) File.Copy(file, _dir.File(Path.GetFileName(file)));
        string index = _dir.File("pytorch_model.bin.index.json");
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"model.layers.1.mlp.up_proj.weight\": \"pytorch_model-00002-of-00002.bin\"",
            "\"model.layers.1.mlp.up_proj.weight\": \"pytorch_model-00001-of-00002.bin\""));
        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(_dir.Path));
        output.WriteLine(error.Message);
        Assert.Contains(_dir.File("pytorch_model-00001-of-00002.bin"), error.Message);
        Assert.Contains("'model.layers.1.mlp.up_proj.weight' is listed for this shard in pytorch_model.bin.index.json but is not in the shard", error.Message);
    }
}
