using AmuroChar.Tasks.RealData;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>Issue 21: an Arrow file cut at a record-batch boundary read as a shorter valid stream (2,000 of 3,270 rows
/// loaded, no warning). A stream without its end-of-stream marker is now an error naming the file.</summary>
public sealed class ArrowCutStreamTests
{
    static string Fixture => Path.Combine(AppContext.BaseDirectory, "RealData", "Fixtures", "hf_datasets", "ai2_arc", "ARC-Easy", "validation");

    [Fact]
    public void A_whole_stream_reads_and_a_cut_one_is_an_error_naming_the_file()
    {
        using var dir = new ScratchDirectory();
        string folder = dir.Sub("arc");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(Fixture)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        int rows = ArrowDatasetFolder.Open(folder).Rows().Count();
        Assert.True(rows > 0);

        // Cut the marker off: what is left ends exactly after the last record batch, a valid-looking shorter stream.
        string arrow = Assert.Single(Directory.GetFiles(folder, "*.arrow"));
        byte[] bytes = File.ReadAllBytes(arrow);
        File.WriteAllBytes(arrow, bytes[..^8]);
        var e = Assert.Throws<InvalidDataException>(() => ArrowDatasetFolder.Open(folder).Rows().Count());
        Assert.Contains(arrow, e.Message);
        Assert.Contains("end-of-stream marker", e.Message);
    }
}
