using AmuroChar.Tasks.RealData;

namespace AmuroChar.Tests.RealData;

/// <summary>The seven real datasets committed as save_to_disk samples (Fixtures/hf_datasets, see its README), and where
/// each goes in a paper-scale data folder.</summary>
internal static class RealFixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "RealData", "Fixtures", "hf_datasets");

    /// <summary>Fixture folder (under <see cref="Root"/>), catalog name, split, and the stem it is saved as.</summary>
    public static readonly (string Folder, string Name, string Split, string Stem)[] All =
    [
        ("ai2_arc/ARC-Easy/validation", "arc_easy", "test", "arc_easy.test"),
        ("ai2_arc/ARC-Challenge/validation", "arc_challenge", "test", "arc_challenge.test"),
        ("boolq/none/validation", "boolq", "validation", "boolq.validation"),
        ("glue/rte/validation", "rte", "test", "rte.train"),
        ("openbookqa/main/validation", "openbookqa", "test", "openbookqa.test"),
        ("sciq/none/validation", "sciq", "test", "sciq.test"),
        ("social_i_qa/none/validation", "socialiqa", "validation", "socialiqa.validation"),
    ];

    public static string Folder(string relative) => Path.Combine(Root, relative);

    public static IReadOnlyList<HfRow> RawRows(string relative) => [.. ArrowDatasetFolder.Open(Folder(relative)).Rows()];

    public static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (string dir in Directory.EnumerateDirectories(source)) CopyDirectory(dir, Path.Combine(target, Path.GetFileName(dir)));
    }

    /// <summary>Each fixture saved into <paramref name="dataDirectory"/> under its stem, as a Dataset.save_to_disk folder.</summary>
    public static void WriteDataFolder(string dataDirectory)
    {
        foreach (var f in All) CopyDirectory(Folder(f.Folder), Path.Combine(dataDirectory, f.Stem));
    }
}
