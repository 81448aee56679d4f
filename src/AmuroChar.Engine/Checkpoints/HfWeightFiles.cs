using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace AmuroChar.Checkpoints;

/// <summary>One open weights file of a model directory (safetensors, or a torch.save <c>.bin</c> described as
/// safetensors entries: <see cref="TorchZipCheckpoint"/>), with its validated header.</summary>
internal sealed record HfShard(string Path, SafeFileHandle Handle, SafeTensorsHeader Header);

/// <summary>
/// The weights of a Hugging Face model directory, opened and cross-checked: <c>model.safetensors</c>, the shards a
/// <c>model.safetensors.index.json</c> names, or, in repositories that predate safetensors (EleutherAI's Pythia steps),
/// <c>pytorch_model.bin</c> or the shards of <c>pytorch_model.bin.index.json</c>. Both formats come out as the same
/// entries (name, dtype, shape, byte range), so every family's loader reads either. Every file stays open until
/// disposal, so the bytes loaded are those of the headers validated, even if someone replaces a file meanwhile.
/// </summary>
internal sealed class HfWeightFiles : IDisposable
{
    readonly List<HfShard> _shards;

    HfWeightFiles(string source, List<HfShard> shards, Dictionary<string, (HfShard, SafeTensorsEntry)> tensors)
    {
        Source = source;
        _shards = shards;
        Tensors = tensors;
    }

    /// <summary>The file that lists the tensors (the single weights file or the index), for error messages.</summary>
    public string Source { get; }

    public IReadOnlyList<HfShard> Shards => _shards;

    /// <summary>Every tensor of the checkpoint and the shard that holds it.</summary>
    public IReadOnlyDictionary<string, (HfShard Shard, SafeTensorsEntry Entry)> Tensors { get; }

    public void Dispose()
    {
        foreach (var shard in _shards) shard.Handle.Dispose();
    }

    public static HfWeightFiles Open(string directory)
    {
        HfModelDirectory.RequireDirectory(directory);
        // transformers' order: safetensors before pickles, and in each format the single file before an index.
        (string Name, bool Sharded, HeaderReader Read)[] layouts =
        [
            (HfModelDirectory.WeightsFileName, false, SafeTensorsFile.ReadHeader),
            (HfModelDirectory.IndexFileName, true, SafeTensorsFile.ReadHeader),
            (HfModelDirectory.TorchWeightsFileName, false, TorchZipCheckpoint.ReadHeader),
            (HfModelDirectory.TorchIndexFileName, true, TorchZipCheckpoint.ReadHeader),
        ];
        foreach (var (name, sharded, read) in layouts)
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path)) return sharded ? OpenSharded(directory, path, read) : OpenSingle(path, read);
        }
        throw new FileNotFoundException(
            $"{directory}: no weights in model directory: none of {string.Join(", ", layouts.Select(l => l.Name))} exists",
            Path.Combine(directory, HfModelDirectory.WeightsFileName));
    }

    delegate SafeTensorsHeader HeaderReader(SafeFileHandle file, string path);

    static HfWeightFiles OpenSingle(string path, HeaderReader read)
    {
        var shard = OpenShard(path, read);
        var tensors = shard.Header.Entries.ToDictionary(e => e.Name, e => (shard, e), StringComparer.Ordinal);
        return new HfWeightFiles(path, [shard], tensors);
    }

    static HfWeightFiles OpenSharded(string directory, string indexPath, HeaderReader read)
    {
        var weightMap = ReadWeightMap(indexPath);
        var shards = new List<HfShard>();
        try
        {
            var tensors = new Dictionary<string, (HfShard, SafeTensorsEntry)>(StringComparer.Ordinal);
            foreach (var group in weightMap.GroupBy(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal))
            {
                string shardPath = Path.Combine(directory, group.Key);
                if (!File.Exists(shardPath))
                    throw new FileNotFoundException(
                        $"{indexPath}: shard '{group.Key}' listed in the index does not exist ({shardPath})", shardPath);
                var shard = OpenShard(shardPath, read);
                shards.Add(shard);

                var listed = group.ToHashSet(StringComparer.Ordinal);
                foreach (string name in listed)
                {
                    var entry = shard.Header.Find(name)
                        ?? throw SafeTensorsHeader.Invalid(shardPath,
                            $"tensor '{name}' is listed for this shard in {Path.GetFileName(indexPath)} but is not in the shard");
                    tensors[name] = (shard, entry);
                }
                var unlisted = shard.Header.Entries.Select(e => e.Name).Where(name => !listed.Contains(name)).ToList();
                if (unlisted.Count > 0)
                    throw SafeTensorsHeader.Invalid(shardPath,
                        $"tensors not listed for this shard in {Path.GetFileName(indexPath)}: {string.Join(", ", unlisted)}");
            }
            return new HfWeightFiles(indexPath, shards, tensors);
        }
        catch
        {
            foreach (var shard in shards) shard.Handle.Dispose();
            throw;
        }
    }

    static HfShard OpenShard(string path, HeaderReader read)
    {
        var handle = SafeTensorsFile.OpenForReading(path);
        try { return new HfShard(path, handle, read(handle, path)); }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads an index's weight_map (tensor name → shard file name), rejecting anything ambiguous.</summary>
    internal static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllBytes(indexPath)); }
        catch (JsonException e) { throw new InvalidDataException($"{indexPath}: malformed index JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weight_map", out var map))
                throw SafeTensorsHeader.Invalid(indexPath, "malformed index JSON: no \"weight_map\" object");
            if (map.ValueKind != JsonValueKind.Object)
                throw SafeTensorsHeader.Invalid(indexPath, "malformed index JSON: \"weight_map\" is not an object");

            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in map.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.String)
                    throw SafeTensorsHeader.Invalid(indexPath, $"malformed index JSON: shard of '{item.Name}' is not a string");
                string shard = item.Value.GetString()!;
                // A shard is a file beside the index, never a path that could point elsewhere.
                if (shard.Length == 0 || shard is "." or ".." || shard.IndexOfAny(['/', '\\']) >= 0)
                    throw SafeTensorsHeader.Invalid(indexPath, $"malformed index JSON: shard '{shard}' of '{item.Name}' is not a plain file name");
                if (!weightMap.TryAdd(item.Name, shard))
                    throw SafeTensorsHeader.Invalid(indexPath, $"malformed index JSON: tensor '{item.Name}' is listed twice");
            }
            return weightMap;
        }
    }

    /// <summary>Writes an index as transformers does: sorted keys, two-space indent.</summary>
    internal static void WriteIndex(string indexPath, long totalSize, IReadOnlyDictionary<string, string> weightMap)
    {
        AtomicFile.Write(indexPath, stream =>
        {
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteStartObject("metadata");
                json.WriteNumber("total_size", totalSize);
                json.WriteEndObject();
                json.WriteStartObject("weight_map");
                foreach (var (name, shard) in weightMap.OrderBy(pair => pair.Key, StringComparer.Ordinal)) json.WriteString(name, shard);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        });
    }
}
