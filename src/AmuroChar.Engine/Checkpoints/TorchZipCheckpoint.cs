using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AmuroChar.Checkpoints;

/// <summary>
/// Reads the header of a PyTorch checkpoint as <c>torch.save</c> writes a state dict since PyTorch 1.6 (the
/// <c>pytorch_model.bin</c> of Hugging Face repositories such as EleutherAI's Pythia steps): a zip archive of stored
/// members <c>&lt;prefix&gt;/data.pkl</c> (the state dict, pickled), <c>&lt;prefix&gt;/data/&lt;key&gt;</c> (each storage's
/// raw little-endian bytes), <c>&lt;prefix&gt;/version</c> and perhaps <c>&lt;prefix&gt;/byteorder</c>. Every tensor
/// becomes a <see cref="SafeTensorsEntry"/> whose byte range lies inside its storage's member, so the safetensors
/// loaders read it unchanged. Everything is checked before a tensor is allocated: the zip structure, the pickle (parsed,
/// never executed: <see cref="TorchPickle"/>), each storage's length against its element count, each tensor's extent
/// within its storage, and that each tensor is contiguous in memory (a storage offset is fine; other strides are
/// refused — a state dict never has them).
/// </summary>
internal static class TorchZipCheckpoint
{
    /// <summary>A state dict's pickle is a few hundred bytes per tensor; anything near this is not one.</summary>
    const long MaxPickleLength = 64L << 20;

    public static SafeTensorsHeader ReadHeader(SafeFileHandle file, string path)
    {
        var members = StoredZip.ReadEntries(file, path);
        string prefix = Prefix(members, path);
        CheckByteOrder(file, members, prefix, path);

        var pickle = members[$"{prefix}/data.pkl"];
        if (pickle.Length > MaxPickleLength)
            throw Invalid(path, $"{pickle.Name} of {pickle.Length} bytes is absurdly large for a state dict (the limit is {MaxPickleLength})");
        var tensors = TorchPickle.ReadStateDict(StoredZip.Read(file, pickle.DataOffset, (int)pickle.Length, path), $"{path}: {pickle.Name}");

        var storages = new Dictionary<string, (TorchStorageRef Storage, StoredZipEntry Member)>(StringComparer.Ordinal);
        var entries = new List<SafeTensorsEntry>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            var member = Storage(members, storages, prefix, name, tensor.Storage, path);
            entries.Add(Entry(name, tensor, member, path));
        }
        return SafeTensorsHeader.ForTorchCheckpoint(path, entries);
    }

    /// <summary>The archive's one top-level folder holding data.pkl (torch names it after the file, or "archive").</summary>
    static string Prefix(Dictionary<string, StoredZipEntry> members, string path)
    {
        var prefixes = members.Keys
            .Where(name => name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.IndexOf('/') == name.Length - "/data.pkl".Length)
            .Select(name => name[..^"/data.pkl".Length])
            .ToList();
        return prefixes.Count switch
        {
            1 => prefixes[0],
            0 => throw Invalid(path, "zip archive has no <name>/data.pkl member, so it is not a torch.save checkpoint"),
            _ => throw Invalid(path, $"zip archive has several data.pkl members ({string.Join(", ", prefixes.Order(StringComparer.Ordinal))})"),
        };
    }

    /// <summary>torch.save records the writer's byte order since PyTorch 1.13; older archives are little-endian.</summary>
    static void CheckByteOrder(SafeFileHandle file, Dictionary<string, StoredZipEntry> members, string prefix, string path)
    {
        if (!members.TryGetValue($"{prefix}/byteorder", out var member)) return;
        string order = member.Length <= 16 ? Encoding.ASCII.GetString(StoredZip.Read(file, member.DataOffset, (int)member.Length, path)).Trim() : "?";
        if (order != "little")
            throw Invalid(path, $"{member.Name} says '{order}': only little-endian checkpoints are read");
    }

    /// <summary>The storage's member, checked once per storage: it exists and holds exactly numel elements, and every
    /// tensor viewing it agrees on its dtype.</summary>
    static StoredZipEntry Storage(Dictionary<string, StoredZipEntry> members, Dictionary<string, (TorchStorageRef, StoredZipEntry)> storages,
        string prefix, string name, TorchStorageRef storage, string path)
    {
        if (storages.TryGetValue(storage.Key, out var seen))
        {
            var (first, member) = seen;
            if (first.DType != storage.DType || first.Numel != storage.Numel)
                throw Invalid(path, $"tensor '{name}' views storage '{storage.Key}' as {storage.Numel} × {storage.DType}, " +
                                    $"but another tensor views it as {first.Numel} × {first.DType}");
            return member;
        }
        string memberName = $"{prefix}/data/{storage.Key}";
        if (!members.TryGetValue(memberName, out var data))
            throw Invalid(path, $"tensor '{name}': storage '{storage.Key}' has no member {memberName} in the archive");
        long needed;
        try { needed = checked(storage.Numel * storage.DType.SizeInBytes()); }
        catch (OverflowException) { throw Invalid(path, $"tensor '{name}': storage '{storage.Key}' of {storage.Numel} elements is too large"); }
        if (data.Length != needed)
            throw Invalid(path, $"{memberName} holds {data.Length} bytes, but storage '{storage.Key}' ({storage.Numel} × {storage.DType}, " +
                                $"viewed by tensor '{name}') needs {needed}{(data.Length < needed ? " (truncated?)" : "")}");
        storages[storage.Key] = (storage, data);
        return data;
    }

    /// <summary>The tensor's bytes as an absolute range of the file: contiguous, within its storage.</summary>
    static SafeTensorsEntry Entry(string name, TorchTensorRef tensor, StoredZipEntry member, string path)
    {
        string shape = Model.OlmoParameterShapes.Format(tensor.Size);
        if (tensor.Stride.Length != tensor.Size.Length)
            throw Invalid(path, $"tensor '{name}' has shape {shape} but {tensor.Stride.Length} strides");
        var storage = tensor.Storage;
        long size = storage.DType.SizeInBytes(), numel;
        try { numel = tensor.Size.Aggregate(1L, (a, b) => checked(a * b)); }
        catch (OverflowException) { throw Invalid(path, $"tensor '{name}': shape {shape} is too large"); }
        if (!IsContiguous(tensor.Size, tensor.Stride))
            throw Invalid(path, $"tensor '{name}' of shape {shape} has strides {Model.OlmoParameterShapes.Format(tensor.Stride)}, which are not " +
                                "contiguous (row-major); only contiguous tensors are read, as every state dict saved by torch.save has them");
        // An empty tensor reads nothing; its offset may even sit at the storage's end.
        if (numel > 0 && (tensor.StorageOffset > storage.Numel || numel > storage.Numel - tensor.StorageOffset))
            throw Invalid(path, $"tensor '{name}' (shape {shape} at element offset {tensor.StorageOffset}) runs past the end of storage " +
                                $"'{storage.Key}' ({storage.Numel} elements of {storage.DType})");
        long begin = numel == 0 ? member.DataOffset : member.DataOffset + tensor.StorageOffset * size;
        return new SafeTensorsEntry(name, storage.DType, tensor.Size, begin, begin + numel * size);
    }

    /// <summary>Row-major contiguity as torch defines it: strides of dimensions of size 1 don't matter, and an empty
    /// tensor is contiguous whatever its strides.</summary>
    static bool IsContiguous(long[] size, long[] stride)
    {
        if (size.Contains(0)) return true;
        long expected = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            if (size[i] == 1) continue;
            if (stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    static InvalidDataException Invalid(string path, string problem) => SafeTensorsHeader.Invalid(path, problem);
}
