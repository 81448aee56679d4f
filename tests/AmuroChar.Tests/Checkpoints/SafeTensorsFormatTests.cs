using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AmuroChar.Checkpoints;
using TorchSharp;
using Xunit;
using static AmuroChar.Tests.Checkpoints.CheckpointTestFiles;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

public class SafeTensorsFormatTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void SaveThenLoad_IsBitwiseIdentical(ScalarType dtype)
    {
        using var dir = new TempDirectory();
        var tensors = new Dictionary<string, Tensor>
        {
            ["matrix"] = Random([7, 5], dtype, 1),
            ["cube"] = Random([2, 3, 4], dtype, 2),
            ["scalar"] = Random([], dtype, 3),
            ["empty"] = torch.empty([0, 3], dtype),
        };
        SafeTensorsFile.Save(dir.File("t.safetensors"), tensors);

        var loaded = SafeTensorsFile.Load(dir.File("t.safetensors"));
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(dtype, loaded[name].dtype);
            Assert.Equal(original.shape, loaded[name].shape);
            Assert.Equal(RawBytes(original), RawBytes(loaded[name]));
        }
    }

    [Fact]
    public void SaveThenLoad_OtherDtypesRoundTrip()
    {
        using var dir = new TempDirectory();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f64"] = Random([3], ScalarType.Float64, 4),
            ["i64"] = torch.tensor(new long[] { long.MinValue, -1, long.MaxValue }),
            ["i32"] = torch.tensor(new[] { int.MinValue, 7 }),
            ["i16"] = torch.tensor(new short[] { -3, 300 }),
            ["i8"] = torch.tensor(new sbyte[] { -128, 127 }),
            ["u8"] = torch.tensor(new byte[] { 0, 255 }),
            ["bool"] = torch.tensor(new[] { true, false, true }),
        };
        SafeTensorsFile.Save(dir.File("t.safetensors"), tensors);
        var loaded = SafeTensorsFile.Load(dir.File("t.safetensors"));
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, loaded[name].dtype);
            Assert.Equal(RawBytes(original), RawBytes(loaded[name]));
        }
    }

    /// <summary>Byte-exact outputs of the reference implementation's own tests (safetensors/src/tensor.rs).</summary>
    [Fact]
    public void Writer_MatchesTheReferenceImplementationByteForByte()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");

        SafeTensorsFile.Save(path, new Dictionary<string, Tensor>());
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32], File.ReadAllBytes(path));

        SafeTensorsFile.Save(path, new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal(Header("{\"__metadata__\":{\"framework\":\"pt\"}}     "), File.ReadAllBytes(path));

        using var attn = torch.tensor(new[] { 0f, 1, 2, 3, 4, 5 }).reshape(1, 1, 2, 3);
        SafeTensorsFile.Save(path, [("attn0", attn)]);
        byte[] expected = [.. Header("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       "),
                           .. Floats(0, 1, 2, 3, 4, 5)];
        Assert.Equal(expected, File.ReadAllBytes(path));

        static byte[] Header(string json)
        {
            var bytes = new byte[8 + json.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
            Encoding.ASCII.GetBytes(json).CopyTo(bytes, 8);
            return bytes;
        }
    }

    [Fact]
    public void Writer_PadsHeaderAndOrdersByDtypeAlignmentThenName()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        SafeTensorsFile.Save(path,
        [
            ("b_half", torch.zeros(3, ScalarType.Float16)),
            ("z_float", torch.zeros(1, ScalarType.Float32)),
            ("a_byte", torch.zeros(5, ScalarType.Byte)),
            ("a_float", torch.zeros(2, ScalarType.Float32)),
            ("long", torch.zeros(1, ScalarType.Int64)),
            ("a_half", torch.zeros(1, ScalarType.BFloat16)),
        ]);

        var header = SafeTensorsFile.ReadHeader(path);
        Assert.Equal(0, header.HeaderLength % 8);
        Assert.Equal(["long", "a_float", "z_float", "a_half", "b_half", "a_byte"], header.Entries.Select(e => e.Name));
        foreach (var entry in header.Entries) Assert.Equal(0, (header.DataStart + entry.Begin) % entry.DType.SizeInBytes());

        // The header's key order is the buffer order, and the padding is spaces.
        byte[] bytes = File.ReadAllBytes(path);
        string json = Encoding.UTF8.GetString(bytes, 8, (int)header.HeaderLength);
        Assert.Equal(json.TrimEnd(' ').Length, json.TrimEnd().Length);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(header.Entries.Select(e => e.Name), document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Metadata_RoundTrips()
    {
        using var dir = new TempDirectory();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "20000", ["note"] = "ünïcode \"quoted\"" };
        SafeTensorsFile.Save(dir.File("t.safetensors"), [("x", torch.ones(2))], metadata);
        Assert.Equal(metadata.OrderBy(p => p.Key), SafeTensorsFile.ReadHeader(dir.File("t.safetensors")).Metadata.OrderBy(p => p.Key));

        SafeTensorsFile.Save(dir.File("none.safetensors"), [("x", torch.ones(2))]);
        Assert.Empty(SafeTensorsFile.ReadHeader(dir.File("none.safetensors")).Metadata);
    }

    /// <summary>A file made by hand to the spec, not by our writer: keys out of buffer order, metadata last, and a
    /// header padded with spaces to an arbitrary length.</summary>
    [Fact]
    public void Reader_ReadsAHandWrittenFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("hand.safetensors");
        string json = """
            {"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]},
             "half":{"data_offsets":[0,4],"shape":[2],"dtype":"F16"},"__metadata__":{"source":"hand"}}
            """ + "   ";
        byte[] half = [0x00, 0x3C, 0x00, 0xC0]; // 1.0 and -2.0 in IEEE binary16, little-endian
        WriteRaw(path, json, [.. half, .. Floats(1.5f, -2.25f, 3f, 1e-3f)]);

        var loaded = SafeTensorsFile.Load(path);
        Assert.Equal(new long[] { 2, 2 }, loaded["weight"].shape);
        Assert.Equal([1.5f, -2.25f, 3f, 1e-3f], loaded["weight"].data<float>().ToArray());
        Assert.Equal(ScalarType.Float16, loaded["half"].dtype);
        Assert.Equal([1f, -2f], loaded["half"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal("hand", SafeTensorsFile.ReadHeader(path).Metadata["source"]);
    }

    [Fact]
    public void Save_WritesNonContiguousTensorsInRowMajorOrder()
    {
        using var dir = new TempDirectory();
        using var matrix = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var transposed = matrix.t();
        SafeTensorsFile.Save(dir.File("t.safetensors"), [("t", transposed)]);
        var loaded = SafeTensorsFile.Load(dir.File("t.safetensors"))["t"];
        Assert.Equal(new long[] { 3, 2 }, loaded.shape);
        Assert.Equal([0f, 3, 1, 4, 2, 5], loaded.data<float>().ToArray());
    }

    [Fact]
    public void Load_ConvertsFloatingPointTensorsOnly()
    {
        using var dir = new TempDirectory();
        SafeTensorsFile.Save(dir.File("t.safetensors"),
            [("w", torch.tensor(new[] { 1.5f, -2f }).to(ScalarType.BFloat16)), ("ids", torch.tensor(new long[] { 3 }))]);
        var loaded = SafeTensorsFile.Load(dir.File("t.safetensors"), ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, loaded["w"].dtype);
        Assert.Equal([1.5f, -2f], loaded["w"].data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, loaded["ids"].dtype);
    }

    [Fact]
    public void LoadInto_FillsExistingTensors_ConvertingAndThroughViews()
    {
        using var dir = new TempDirectory();
        using var source = Random([4, 3], ScalarType.Float32, 5);
        SafeTensorsFile.Save(dir.File("t.safetensors"), [("same", source), ("half", source.to(ScalarType.BFloat16)), ("strided", source)]);

        using var same = torch.zeros(4, 3);
        using var fromHalf = torch.zeros(4, 3);
        using var backing = torch.zeros(3, 4);
        using var strided = backing.t(); // a non-contiguous view: written through a temporary
        var parameter = new TorchSharp.Modules.Parameter(torch.zeros(4, 3)); // requires grad
        SafeTensorsFile.LoadInto(dir.File("t.safetensors"), new Dictionary<string, Tensor> { ["same"] = same, ["half"] = fromHalf, ["strided"] = strided });
        SafeTensorsFile.LoadInto(dir.File("t.safetensors"), new Dictionary<string, Tensor> { ["same"] = parameter }, allowUnexpected: true);

        Assert.Equal(RawBytes(source), RawBytes(same));
        Assert.Equal(RawBytes(source), RawBytes(strided));
        Assert.Equal(RawBytes(source), RawBytes(parameter.detach()));
        Assert.True(torch.allclose(source, fromHalf, rtol: 1e-2, atol: 1e-2));
        Assert.True(parameter.requires_grad);
    }

    [Fact]
    public void LoadInto_FailedValidationLeavesTargetsUntouched()
    {
        using var dir = new TempDirectory();
        SafeTensorsFile.Save(dir.File("t.safetensors"), [("a", torch.ones(2)), ("b", torch.ones(3))]);
        using var a = torch.zeros(2);
        using var b = torch.zeros(4);
        var error = Assert.Throws<InvalidDataException>(() =>
            SafeTensorsFile.LoadInto(dir.File("t.safetensors"), new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }));
        Assert.Contains("'b' has shape [3]", error.Message);
        Assert.Equal(0f, a.sum().item<float>());
    }

    [Fact]
    public void LoadInto_RefusesIntegerToFloatConversion()
    {
        using var dir = new TempDirectory();
        SafeTensorsFile.Save(dir.File("t.safetensors"), [("ids", torch.tensor(new long[] { 1, 2 }))]);
        var error = Assert.Throws<InvalidDataException>(() =>
            SafeTensorsFile.LoadInto(dir.File("t.safetensors"), new Dictionary<string, Tensor> { ["ids"] = torch.zeros(2) }));
        Assert.Contains("cannot be loaded into", error.Message);
    }

    [Fact]
    public void LoadInto_ReportsMissingAndUnexpectedTensors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        SafeTensorsFile.Save(path, [("a", torch.ones(2)), ("extra", torch.ones(1))]);
        var missing = Assert.Throws<InvalidDataException>(() =>
            SafeTensorsFile.LoadInto(path, new Dictionary<string, Tensor> { ["a"] = torch.zeros(2), ["b"] = torch.zeros(2) }));
        Assert.StartsWith(path, missing.Message);
        Assert.Contains("missing tensors: b", missing.Message);
        var unexpected = Assert.Throws<InvalidDataException>(() =>
            SafeTensorsFile.LoadInto(path, new Dictionary<string, Tensor> { ["a"] = torch.zeros(2) }));
        Assert.Contains("unexpected tensors", unexpected.Message);
        Assert.Contains("extra", unexpected.Message);
    }
}
