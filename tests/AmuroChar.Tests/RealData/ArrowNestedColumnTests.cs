using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using AmuroChar.Tasks.RealData;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>A list-of-structs column (Tulu's <c>messages</c>) in a save_to_disk folder: each row must see its own slice
/// of the child arrays.</summary>
public class ArrowNestedColumnTests
{
    [Fact]
    public void Tulu_messages_as_a_list_of_structs_load_row_by_row()
    {
        using var dir = new ScratchDirectory();
        var message = new StructType([new Field("role", StringType.Default, true), new Field("content", StringType.Default, true)]);
        string[] roles = ["user", "assistant", "system", "user", "assistant", "user", "assistant"];
        string[] contents = ["Hi?", "Hello.", "Be brief.", "2+2?", "4", "Name a colour.", "Red."];
        var structs = new StructArray(message, roles.Length,
            [new StringArray.Builder().AppendRange(roles).Build(), new StringArray.Builder().AppendRange(contents).Build()], ArrowBuffer.Empty, 0, 0);
        var offsets = new ArrowBuffer.Builder<int>().AppendRange([0, 2, 5, 7]).Build();
        var messages = new ListArray(new ListType(new Field("item", message, true)), 3, offsets, structs, ArrowBuffer.Empty, 0, 0);
        var schema = new Schema([new Field("dataset", StringType.Default, true), new Field("id", StringType.Default, true),
            new Field("messages", messages.Data.DataType, true)], null);
        var batch = new RecordBatch(schema, [new StringArray.Builder().AppendRange(["sharegpt", "flan_v2", "oasst"]).Build(),
            new StringArray.Builder().AppendRange(["sg_1", "fl_2", "oa_3"]).Build(), messages], 3);
        using (var stream = File.Create(dir.Sub("data-00000-of-00001.arrow")))
        using (var writer = new ArrowStreamWriter(stream, schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        File.WriteAllText(dir.Sub("state.json"), """{"_data_files": [{"filename": "data-00000-of-00001.arrow"}], "_split": "train"}""");

        var data = RealDatasets.Load("tulu", dir.Path, "train");
        Assert.Equal(["sg_1", "fl_2", "oa_3"], data.Examples.Select(e => e.Id));
        Assert.Equal(["Hi?", "2+2?", "Name a colour."], data.Examples.Select(e => e["prompt"]));   // the system message is skipped
        Assert.Equal(["Hello.", "4", "Red."], data.Examples.Select(e => e.Target));
        Assert.Equal("allenai/tulu-v2-sft-mixture train", data.StandsFor);
    }
}
