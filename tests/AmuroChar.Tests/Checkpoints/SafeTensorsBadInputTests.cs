using AmuroChar.Checkpoints;
using Xunit;
using static AmuroChar.Tests.Checkpoints.CheckpointTestFiles;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>One test per kind of broken file: each must fail with a message naming the file and the problem.</summary>
public class SafeTensorsBadInputTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly string _path;

    public SafeTensorsBadInputTests() => _path = _dir.File("bad.safetensors");

    public void Dispose() => _dir.Dispose();

    const string Good = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";

    void AssertInvalid(string phrase)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.ReadHeader(_path));
        Assert.StartsWith(_path, error.Message);
        Assert.Contains(phrase, error.Message);
        // Loading goes through the same validation.
        Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(_path));
    }

    [Fact]
    public void ValidFileUsedByTheseTests_Loads()
    {
        WriteRaw(_path, Good, Floats(1, 2));
        Assert.Equal([1f, 2f], SafeTensorsFile.Load(_path)["a"].data<float>().ToArray());
    }

    [Fact]
    public void MissingFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SafeTensorsFile.ReadHeader(_path));
        Assert.Contains(_path, error.Message);
        Assert.Equal(_path, error.FileName);
    }

    [Fact]
    public void FileShorterThanTheLengthPrefix()
    {
        File.WriteAllBytes(_path, [1, 0, 0, 0, 0]);
        AssertInvalid("truncated");
    }

    [Fact]
    public void FileTruncatedInsideTheBuffer()
    {
        WriteRaw(_path, Good, Floats(1)); // 4 of 8 bytes
        AssertInvalid("out of range");
    }

    [Fact]
    public void HeaderLengthPastTheEnd()
    {
        WriteRaw(_path, Good, Floats(1, 2), headerLength: 1000);
        AssertInvalid("runs past the end of the file");
    }

    [Fact]
    public void HeaderLengthAbsurdlyLarge()
    {
        WriteRaw(_path, Good, Floats(1, 2), headerLength: ulong.MaxValue);
        AssertInvalid("absurdly large");
    }

    [Fact]
    public void HeaderNotStartingWithBrace()
    {
        WriteRaw(_path, " " + Good, Floats(1, 2));
        AssertInvalid("does not start with '{'");
    }

    [Fact]
    public void MalformedJson()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", Floats(1, 2));
        AssertInvalid("malformed safetensors header JSON");
    }

    [Fact]
    public void WrongJsonType()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("shape must be an array");
    }

    [Fact]
    public void NonIntegerDimension()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("must contain integers");
    }

    [Fact]
    public void MissingField()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("missing 'shape'");
    }

    [Fact]
    public void UnknownDtype()
    {
        WriteRaw(_path, """{"a":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("unknown or unsupported dtype 'F31'");
    }

    [Fact]
    public void OffsetsNotAPair()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}""", Floats(1, 2));
        AssertInvalid("data_offsets must be [begin, end]");
    }

    [Fact]
    public void OffsetsBeginAfterEnd()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", Floats(1, 2));
        AssertInvalid("begin after end");
    }

    [Fact]
    public void OffsetsOutOfRange()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", Floats(1, 2));
        AssertInvalid("out of range");
    }

    [Fact]
    public void OverlappingOffsets()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            Floats(1, 2, 3));
        AssertInvalid("overlap");
    }

    [Fact]
    public void OffsetsLeavingAHole()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            Floats(1, 2, 3));
        AssertInvalid("not covered by any tensor (a hole before 'b')");
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensor()
    {
        WriteRaw(_path, Good, Floats(1, 2, 3));
        AssertInvalid("not covered by any tensor (trailing bytes");
    }

    [Fact]
    public void ShapeTimesDtypeSizeDisagreesWithOffsets()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("needs 12 bytes");
    }

    [Fact]
    public void NegativeDimension()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("negative dimension -2");
    }

    [Fact]
    public void DuplicateTensorNames()
    {
        WriteRaw(_path, """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            Floats(1, 2));
        AssertInvalid("duplicate tensor name 'a'");
    }

    [Fact]
    public void NonStringMetadataValue()
    {
        WriteRaw(_path, """{"__metadata__":{"step":20000},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2));
        AssertInvalid("value for key 'step' is not a string");
    }
}
