using System.Text.RegularExpressions;
using Xunit;

namespace AmuroChar.Tests.Model;

/// <summary>
/// Every tensor the model, training and evaluation create follows the model's device: a factory call (tensor, arange,
/// zeros, ones, full, empty, rand*) without a device argument makes a CPU tensor, which on CUDA either fails at the
/// first op that mixes it with the model's tensors or silently computes on the host. No device here can show that at
/// run time: CUDA is absent, and libtorch 2.10's meta device has no kernel for index_select (embedding, RoPE lookup)
/// or logical_and (padding masks), so the model can't run there (measured with TorchSharp 0.107). So every factory
/// call in src/AmuroChar.Engine/{Model,Training,Evaluation} must name a device, or be one of the listed host-side tensors
/// with the reason it is on the host.
/// </summary>
public sealed partial class DevicePlacementTests
{
    static readonly string[] Folders = ["Model", "Training", "Evaluation"];

    /// <summary>Host-side on purpose: (file, text of the call) → why.</summary>
    static readonly Dictionary<(string File, string Call), string> HostSide = new()
    {
        // The rotary table is computed once in fp32 on the host, as transformers' inv_freq buffer is, and then moved
        // to the positions' device (RotaryTable.At: `.to(dtype, positions.device)`).
        [("Olmo.cs", "arange(0, headDim, 2, dtype: ScalarType.Int64)")] = "RoPE inv_freq, moved with the table",
        [("Olmo.cs", "arange(config.MaxPositionEmbeddings, dtype: ScalarType.Float32)")] = "RoPE angles, moved with the table",
    };

    [GeneratedRegex(@"(?<![\w.])(tensor|arange|zeros|ones|full|empty|rand|randn|randint|eye|linspace)\(")]
    private static partial Regex Factory();

    /// <summary>Factory calls in <paramref name="source"/> that name no device: (line, call text).</summary>
    internal static IEnumerable<(int Line, string Call)> CallsWithoutDevice(string source)
    {
        foreach (Match m in Factory().Matches(source))
        {
            int depth = 0, end = m.Index + m.Length - 1;
            for (; end < source.Length; end++)
            {
                if (source[end] == '(') depth++;
                else if (source[end] == ')' && --depth == 0) break;
            }
            string call = source[m.Index..Math.Min(source.Length, end + 1)];
            if (!call.Contains("device", StringComparison.OrdinalIgnoreCase))
                yield return (source[..m.Index].Count(c => c == '\n') + 1, call);
        }
    }

    [Fact]
    public void The_check_finds_a_tensor_made_without_a_device()
    {
        var found = CallsWithoutDevice("var a = arange(0, t, dtype: ScalarType.Int64);\nvar b = zeros(b, 1, ScalarType.Int64, inputIds.device);\nvar c = tensor(ids, device: model.Device);\nvar d = ones(n, 1);")
            .ToList();
        Assert.Equal([(1, "arange(0, t, dtype: ScalarType.Int64)"), (4, "ones(n, 1)")], found);
    }

    [Fact]
    public void Every_tensor_of_model_training_and_evaluation_follows_the_models_device()
    {
        string root = AmuroChar.RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("repository root (the test reads src/)");
        var offenders = new List<string>();
        var usedExceptions = new HashSet<(string, string)>();
        foreach (string folder in Folders)
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "src", "AmuroChar.Engine", folder), "*.cs"))
                foreach (var (line, call) in CallsWithoutDevice(File.ReadAllText(file)))
                {
                    if (HostSide.ContainsKey((Path.GetFileName(file), call))) { usedExceptions.Add((Path.GetFileName(file), call)); continue; }
                    offenders.Add($"{Path.GetRelativePath(root, file)}:{line}: {call}");
                }

        Assert.True(offenders.Count == 0, "tensors created without the model's device:\n" + string.Join("\n", offenders));
        Assert.Equal(HostSide.Keys.ToHashSet(), usedExceptions);   // a stale exception would hide a new call
    }
}
