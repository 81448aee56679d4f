using System.Diagnostics;
using AmuroChar.Checkpoints;
using AmuroChar.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>
/// Not a timed test: measures what streaming a checkpoint into parameters costs in memory beyond the parameters
/// themselves, for a benchmark or a run by hand on a large model (OLMo-1B: 4.7 GB). The goal is an overhead of about
/// one tensor, far below the file's size. Peak RSS comes from /proc (Linux); elsewhere the RSS fields are zero.
/// </summary>
public static class CheckpointLoadProbe
{
    public sealed record Measurement(long CheckpointBytes, long ParameterBytes, long PeakRssIncreaseBytes, TimeSpan Elapsed)
    {
        /// <summary>Peak memory beyond the parameters being filled (staging tensors, buffers, allocator slack).</summary>
        public long OverheadBytes => PeakRssIncreaseBytes - ParameterBytes;
    }

    public static Measurement MeasureLoadInto(string directory)
    {
        var config = HfModelDirectory.LoadConfig(directory);
        // Fresh float32 parameters; large allocations are mapped lazily, so they become resident only as they load.
        var parameters = OlmoParameterShapes.Expected(config).ToDictionary(p => p.Key, p => torch.empty(p.Value));
        try
        {
            long checkpointBytes = Directory.EnumerateFiles(directory, "*.safetensors").Sum(f => new FileInfo(f).Length);
            long parameterBytes = parameters.Values.Sum(SafeTensorsFile.ByteLength);
            GC.Collect();
            ResetPeakRss();
            long before = ReadStatusKilobytes("VmRSS:") * 1024;
            var stopwatch = Stopwatch.StartNew();
            HfModelDirectory.LoadInto(directory, parameters, config);
            stopwatch.Stop();
            long peak = ReadStatusKilobytes("VmHWM:") * 1024;
            return new Measurement(checkpointBytes, parameterBytes, peak - before, stopwatch.Elapsed);
        }
        finally
        {
            foreach (var tensor in parameters.Values) tensor.Dispose();
        }
    }

    // Writing 5 to clear_refs resets the peak-RSS counter (VmHWM) to the current RSS.
    static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    static long ReadStatusKilobytes(string field)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }
}

public class CheckpointLoadProbeTests
{
    [Fact]
    public void Probe_MeasuresALoad()
    {
        using var dir = new TempDirectory();
        var config = OlmoConfig.Preset("micro");
        var stateDict = OlmoParameterShapes.Expected(config).Select(p => (p.Key, torch.ones(p.Value)));
        HfModelDirectory.Save(dir.Path, config, stateDict);

        var measurement = CheckpointLoadProbe.MeasureLoadInto(dir.Path);
        Assert.Equal(OlmoParameterShapes.Expected(config).Values.Sum(shape => shape.Aggregate(4L, (a, b) => a * b)), measurement.ParameterBytes);
        Assert.True(measurement.CheckpointBytes > measurement.ParameterBytes);
    }
}
