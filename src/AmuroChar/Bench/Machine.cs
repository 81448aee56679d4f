using System.Diagnostics;
using static TorchSharp.torch;

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
