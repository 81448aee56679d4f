using AmuroChar.Tasks.RealData;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>Parquet written by DuckDB rather than Parquet.Net (see Fixtures/README.md): nested columns, int32 ids and a
/// float32 score read as they would from hub files.</summary>
public class ForeignParquetTests
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "RealData", "Fixtures", $"{name}.duckdb.parquet");

    [Fact]
    public void Arc_choices_struct_of_lists()
    {
        var d = RealDatasets.Load("arc_easy", Fixture("arc"), "test");
        Assert.Equal(["wood", "iron", "glass"], d.Examples[0].Choices!);
        Assert.Equal("iron", d.Examples[0].Target);
        Assert.Equal(0, d.Examples[1].Gold); // answer key "1" among labels "1", "2"
    }

    [Fact]
    public void Tulu_messages_list_of_structs()
    {
        var d = RealDatasets.Load("tulu", Fixture("tulu"), "train");
        Assert.Equal(["Hi?", "2+2?"], d.Examples.Select(e => e["prompt"]));
        Assert.Equal(["Hello.", "4"], d.Examples.Select(e => e.Target));
    }

    [Fact]
    public void Tweet_qa_answer_list_of_strings()
    {
        var d = RealDatasets.Load("tweet_qa", Fixture("tweet_qa"), "train");
        Assert.Equal("the fans", d.Examples[0]["answers"]);
    }

    [Fact]
    public void Stsb_float32_score_and_int32_id()
    {
        var d = RealDatasets.Load("stsb", Fixture("stsb"), "test");
        Assert.Equal("0", d.Examples[0].Id);
        Assert.Equal("3.8", d.Examples[0]["score"]); // not 3.799999952316284
        Assert.Equal("yes", d.Examples[0].Target);
    }
}
