#:package Apache.Arrow
// Writes the test fixtures tests/AmuroChar.Tests/RealData/Fixtures/hf_datasets/: the first N rows of each save_to_disk
// folder under SOURCE, as save_to_disk folders again (the Arrow stream with its schema and "huggingface" metadata,
// dataset_info.json and state.json copied unchanged).
//   dotnet run tools/arrow_fixtures.cs -- /work/shared/reference/real-artifacts/hf_datasets tests/AmuroChar.Tests/RealData/Fixtures/hf_datasets 20
using Apache.Arrow;
using Apache.Arrow.Ipc;

string source = args[0], target = args[1];
int rows = int.Parse(args[2]);
foreach (string state in Directory.EnumerateFiles(source, "state.json", SearchOption.AllDirectories).Order())
{
    string dir = Path.GetDirectoryName(state)!;
    string outDir = Path.Combine(target, Path.GetRelativePath(source, dir));
    Directory.CreateDirectory(outDir);
    foreach (string name in new[] { "state.json", "dataset_info.json" })
        File.Copy(Path.Combine(dir, name), Path.Combine(outDir, name), overwrite: true);
    string arrow = Path.Combine(dir, "data-00000-of-00001.arrow");
    using var input = File.OpenRead(arrow);
    using var reader = new ArrowStreamReader(input);
    using var batch = reader.ReadNextRecordBatch();
    using var first = batch.Slice(0, Math.Min(rows, batch.Length));
    using var output = File.Create(Path.Combine(outDir, "data-00000-of-00001.arrow"));
    using var writer = new ArrowStreamWriter(output, reader.Schema);
    writer.WriteRecordBatch(first);
    writer.WriteEnd();
    Console.WriteLine($"{Path.GetRelativePath(source, dir)}: {first.Length} of {batch.Length}+ rows");
}
