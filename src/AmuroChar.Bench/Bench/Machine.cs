using System.Diagnostics;
using AmuroChar.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Bench;

/// <summary>
/// What this machine does, measured the one way both <c>amurochar bench</c> and the planner's calibration use: the
/// practical matmul peak (the rate model FLOP utilisation and the plan's FLOPs are divided by) and the resident memory.
/// </summary>
public static class Machine
{
    /// <summary>fp32 1024² matmuls for <paramref name="seconds"/>, after three warm-up products: FLOP/s.</summary>
    public static double MatmulFlopsPerSecond(double seconds = 1)
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        for (int i = 0; i < 3; i++) { using var s = NewDisposeScope(); a.matmul(b); }
        var clock = Stopwatch.StartNew();
        int n = 0;
        while (clock.Elapsed.TotalSeconds < seconds) { using var s = NewDisposeScope(); a.matmul(b); n++; }
        return n * 2.0 * 1024 * 1024 * 1024 / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One causal-LM training step on a fixed batch (next-token cross-entropy, AdamW), its temporaries
    /// disposed: what bench times and the calibration measures memory over.</summary>
    public static void TrainStep(OlmoForCausalLM model, optim.Optimizer optimizer, Tensor ids)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var logits = model.Forward(ids[.., ..^1]);
        F.cross_entropy(logits.reshape(-1, logits.shape[2]), ids[.., 1..].reshape(-1)).backward();
        optimizer.step();
    }

    /// <summary>Resident set size in bytes, from /proc/self/statm (pages × page size); the process's working set where
    /// there is none.</summary>
    public static long ResidentBytes()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (IOException)
        {
            using var p = Process.GetCurrentProcess();
            p.Refresh();
            return p.WorkingSet64;
        }
    }
}
