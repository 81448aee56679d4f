using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmuroChar.Grid;

/// <summary>
/// A grid's folder on the shared file system: <c>grid.json</c> (the spec and every stage's cell ids, in array-index
/// order), <c>jobs.json</c> (what was submitted: scheduler job id, stage, array indices), the batch scripts, the
/// task logs and the report. Written with atomic renames, so a reader never sees half a file.
/// </summary>
public sealed class GridFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string GridFile => Path.Combine(Root, "grid.json");
    public string JobsFile => Path.Combine(Root, "jobs.json");
    public string Logs => Path.Combine(Root, "logs");
    public string Scripts => Path.Combine(Root, "scripts");
    public string ReportDirectory => Path.Combine(Root, "report");

    public sealed record Submission(string Stage, string JobId, IReadOnlyList<int> Indices, string SubmittedUtc);

    /// <summary>Writes the spec and its cells; refuses a folder planned for another spec (its jobs would be mixed up).</summary>
    public void Write(GridSpec spec, IReadOnlyList<GridCell> cells)
    {
        if (File.Exists(GridFile) && ReadSpec().ToJson() != spec.ToJson())
            throw new InvalidOperationException($"{GridFile} holds another grid:\n{ReadSpec().ToJson()}\nuse another --grid folder");
        Directory.CreateDirectory(Root);
        var stages = new JsonObject();
        foreach (var stage in Enum.GetValues<GridStage>())
            stages[GridCell.StageName(stage)] = new JsonArray(cells.Stage(stage).Select(c => (JsonNode)c.Id).ToArray());
        var json = new JsonObject { ["spec"] = JsonNode.Parse(spec.ToJson()), ["cells"] = stages };
        AtomicFile.WriteAllText(GridFile, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The spec; a relative store in a hand-edited grid.json is taken relative to the grid's folder (every node
    /// reads the same file from its own current folder, so the current folder can't be what it means).</summary>
    public GridSpec ReadSpec()
    {
        var spec = GridSpec.FromJson(Field("spec").ToJsonString(), GridFile);
        if (string.IsNullOrWhiteSpace(spec.Store)) throw new InvalidDataException($"{GridFile}: the spec names no store");
        return Path.IsPathRooted(spec.Store) ? spec : spec with { Store = Path.GetFullPath(spec.Store, Root) };
    }

    /// <summary>A top-level object field of grid.json; missing, null or not an object is an error naming the file.</summary>
    JsonObject Field(string name) => Read() is JsonObject root && root[name] is JsonObject value ? value
        : throw new InvalidDataException($"{GridFile}: \"{name}\" is missing or not a JSON object; plan the grid again in a new folder");

    /// <summary>The cells this build makes from the folder's spec, checked against the ids written when it was planned:
    /// array indices mean nothing if the two differ (a different build or a changed study).</summary>
    public IReadOnlyList<GridCell> ReadCells()
    {
        var spec = ReadSpec();
        var cells = StudyGrid.Cells(spec);
        var written = Field("cells");
        foreach (var stage in Enum.GetValues<GridStage>())
        {
            var ids = written[GridCell.StageName(stage)] switch
            {
                null => [],
                JsonArray array when array.All(n => n is JsonValue v && v.TryGetValue<string>(out _)) => array.Select(n => n!.GetValue<string>()).ToList(),
                _ => throw new InvalidDataException($"{GridFile}: \"cells\".\"{GridCell.StageName(stage)}\" is not an array of cell ids"),
            };
            var now = cells.Stage(stage).Select(c => c.Id).ToList();
            if (!ids.SequenceEqual(now))
                throw new InvalidDataException($"{GridFile}: the {GridCell.StageName(stage)} cells differ from what this build of amurochar makes " +
                                               $"({ids.Count} written, {now.Count} now); plan the grid again in a new folder");
        }
        return cells;
    }

    JsonNode Read()
    {
        if (!File.Exists(GridFile)) throw new FileNotFoundException($"{GridFile}: no grid here (run `amurochar grid submit` or `grid plan --grid DIR` first)", GridFile);
        try { return JsonNode.Parse(File.ReadAllText(GridFile)) ?? throw new InvalidDataException($"{GridFile}: empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{GridFile}: malformed JSON: {e.Message}", e); }
    }

    public IReadOnlyList<Submission> Submissions()
    {
        if (!File.Exists(JobsFile)) return [];
        try { return JsonSerializer.Deserialize<List<Submission>>(File.ReadAllText(JobsFile)) ?? []; }
        catch (JsonException e) { throw new InvalidDataException($"{JobsFile}: malformed JSON: {e.Message}", e); }
    }

    public void AddSubmissions(IEnumerable<Submission> added) =>
        AtomicFile.WriteAllText(JobsFile, JsonSerializer.Serialize(Submissions().Concat(added).ToList(), new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
