// MSBuild task (compiled by RoslynCodeTaskFactory against netstandard2.0, see build/SourceHash.targets).
//
// One SHA-256 over a set of source files, independent of the order the build lists them in and of the folder the
// repository was cloned into: files sorted by their path relative to the project (ordinal, '/' separators), and the
// hash taken over "<relative path>\n<length>\n<bytes>" per file. The result keys stored results (CodeVersion), so
// any edit to the engine's sources gives new keys and nothing is judged on numbers an older engine computed.
using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class SourceTreeHash : Task
{
    [Required] public ITaskItem[] Files { get; set; } = new ITaskItem[0];
    [Required] public string BaseDirectory { get; set; } = "";
    [Output] public string Hash { get; set; } = "";

    public override bool Execute()
    {
        string root = Path.GetFullPath(BaseDirectory).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
        var files = Files
            .Select(f => Path.GetFullPath(f.ItemSpec))
            .Distinct()
            .Select(full => (Full: full, Relative: (full.StartsWith(root, StringComparison.Ordinal) ? full.Substring(root.Length) : full).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        using (var sha = SHA256.Create())
        {
            foreach (var (full, relative) in files)
            {
                byte[] bytes = File.ReadAllBytes(full);
                byte[] header = Encoding.UTF8.GetBytes(relative + "\n" + bytes.Length + "\n");
                sha.TransformBlock(header, 0, header.Length, null, 0);
                sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
            }
            sha.TransformFinalBlock(new byte[0], 0, 0);
            Hash = string.Concat(sha.Hash.Select(b => b.ToString("x2")));
        }
        Log.LogMessage(MessageImportance.Normal, $"SourceTreeHash: {files.Count} files -> {Hash}");
        return true;
    }
}
