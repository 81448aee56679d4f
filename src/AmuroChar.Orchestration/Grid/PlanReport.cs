using AmuroChar.Bench;
using AmuroChar.Model;
using System.Globalization;
using System.Text;

namespace AmuroChar.Grid;

/// <summary>The plan as text: cells per stage, tokens, FLOPs, wall time, and the memory of one training job.</summary>
public static class PlanReport
{
    public static string Render(GridSpec spec, GridPlanner planner, IReadOnlyList<GridCell> cells, bool listCells = false)
    {
        var costs = planner.Costs(cells);
        var model = planner.Model;
        var ft = planner.Scale.FineTune;
        double? rate = planner.FlopsPerSecond;
        var sb = new StringBuilder();
        sb.AppendLine($"plan: scale {spec.Scale}, model {planner.ModelName} ({model.ModelType}, {Count(CostModel.Parameters(model))} parameters: d={model.HiddenSize}, " +
                      $"{model.Layers} layers, vocab {model.VocabSize:N0}), checkpoints {string.Join(", ", spec.Checkpoints().Select(AmuroChar.Checkpoints.CheckpointStep.Label))}, " +
                      $"fine-tuning seeds {string.Join(", ", planner.Scale.FineTuneSeeds)}");
        sb.AppendLine($"fine-tuning: batch {ft.BatchSize} x {ft.MaxLength} tokens, {ft.Epochs} epochs (instruction tuning {planner.Scale.Instruct.Epochs}); " +
                      $"precision {Name(planner.Precision)}{(planner.Options.ActivationCheckpointing ? ", activation checkpointing" : "")}");
        sb.AppendLine(rate is { } r ? $"throughput: {r / 1e12:0.###} TFLOP/s sustained per device" : "throughput: not given (--throughput-tflops or --tokens-per-second gives wall times)");
        sb.AppendLine();
        sb.AppendLine($"{"stage",-9} {"cells",6} {"tokens",12} {"FLOPs",11} {"device-hours",13} {"largest cell",13} {"memory/job",11}");
        foreach (var stage in Enum.GetValues<GridStage>())
        {
            var s = costs.Where(c => c.Cell.Stage == stage).ToList();
            double flops = s.Sum(c => c.Flops);
            string hours = rate is { } f ? (flops / f / 3600).ToString("0.00", CultureInfo.InvariantCulture) : "-";
            string largest = rate is { } g && s.Count > 0 ? Duration(s.Max(c => c.Flops) / g) : "-";
            sb.AppendLine($"{GridCell.StageName(stage),-9} {s.Count,6} {Count(s.Sum(c => c.Tokens)),12} {Sci(flops),11} {hours,13} {largest,13} {Bytes(s.Select(c => c.MemoryBytes).DefaultIfEmpty().Max()),11}");
        }
        double total = costs.Sum(c => c.Flops);
        sb.AppendLine($"{"total",-9} {costs.Count,6} {Count(costs.Sum(c => c.Tokens)),12} {Sci(total),11} {(rate is { } t ? (total / t / 3600).ToString("0.00", CultureInfo.InvariantCulture) : "-"),13}");
        sb.AppendLine();
        sb.AppendLine($"memory of one fine-tuning job ({ft.BatchSize} x {ft.MaxLength}), by what holds it:");
        sb.AppendLine($"{"precision",-24} {"checkpointing",13} {"weights",9} {"gradients",9} {"AdamW",9} {"activations",11} {"total",9}");
        foreach (var precision in new[] { Precision.Fp32, Precision.Bf16Mixed })
            foreach (bool ckpt in new[] { false, true })
            {
                var m = planner.TrainingJob(precision, ckpt);
                sb.AppendLine($"{Name(precision),-24} {(ckpt ? "yes" : "no"),13} {Bytes(m.Weights),9} {Bytes(m.Gradients),9} {Bytes(m.OptimizerState),9} {Bytes(m.Activations),11} {Bytes(m.Total),9}");
            }
        sb.AppendLine();
        sb.AppendLine("Estimates (src/AmuroChar.Bench/Bench/CostModel.cs): training 6N + 12·L·s·d FLOPs per token, scoring and generation 2N + 4·L·s·d;");
        sb.AppendLine($"training tokens assume {(planner.Options.TokensPerExample is { } tpe ? $"{tpe} tokens" : "the maximum length")} per example, evaluations " +
                      $"{(planner.Options.EvalItems?.ToString(CultureInfo.InvariantCulture) ?? (planner.OnGpu ? "1000" : "the scale's"))} items at the context bound; no work was done.");
        var (shared, whole) = planner.EvaluationTokens(cells);
        if (whole > shared)
            sb.AppendLine($"Evaluation computes a set's few-shot demonstrations once per model (shared-prefix KV cache): {Count(shared)} tokens instead of " +
                          $"{Count(whole)} ({(1 - shared / whole) * 100:0}% fewer); `amurochar bench` measures that saving in time (shared_prefix).");
        if (listCells)
        {
            sb.AppendLine();
            foreach (var c in costs)
                sb.AppendLine($"{GridCell.StageName(c.Cell.Stage),-9} {c.Cell.Id,-44} {c.Cell.Evaluations.Count,3} evals {Count(c.Tokens),10} tokens {Sci(c.Flops),10} FLOPs {Bytes(c.MemoryBytes),9}");
        }
        return sb.ToString();
    }

    public static string Name(Precision p) => p == Precision.Fp32 ? "fp32" : "bf16 mixed (fp32 master)";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        _ => $"{bytes / 1024.0:0.0} KiB",
    };

    static string Count(double n) => n switch
    {
        >= 1e12 => $"{n / 1e12:0.00}T",
        >= 1e9 => $"{n / 1e9:0.00}B",
        >= 1e6 => $"{n / 1e6:0.00}M",
        >= 1e3 => $"{n / 1e3:0.0}k",
        _ => n.ToString("0", CultureInfo.InvariantCulture),
    };

    static string Sci(double x) => x == 0 ? "0" : x.ToString("0.00e+00", CultureInfo.InvariantCulture);

    static string Duration(double seconds) => seconds switch
    {
        >= 3600 => $"{seconds / 3600:0.0} h",
        >= 60 => $"{seconds / 60:0.0} min",
        _ => $"{seconds:0} s",
    };
}
