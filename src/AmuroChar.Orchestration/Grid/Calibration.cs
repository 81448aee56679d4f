using AmuroChar.Bench;
using System.Diagnostics;
using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Grid;

/// <summary>What one training configuration measured beside what <see cref="CostModel"/> plans for it (fp32, no
/// activation checkpointing: the CPU path).</summary>
public sealed record Calibration(
    long ParameterBytes, long GradientBytes, long OptimizerBytes, TrainingMemory Planned,
    long PeakRssIncreaseBytes, double StepSeconds, double MatmulFlopsPerSecond, double PlannedFlopsPerStep)
{
    /// <summary>What the first step adds on top of the weights: gradients, AdamW state, activations.</summary>
    public long PlannedStepIncrease => Planned.Gradients + Planned.OptimizerState + Planned.Activations;
    /// <summary>The step time the plan predicts at the measured matmul rate (model FLOP utilisation 1).</summary>
    public double PlannedStepSeconds => PlannedFlopsPerStep / MatmulFlopsPerSecond;

    /// <summary>
    /// Measures in this process, so it should be a fresh one (<c>amurochar grid calibrate</c>): tensor bytes exactly
    /// (parameters, their gradients, AdamW's state after its first step), the resident-memory peak of the first step
    /// above the memory before it (sampled every millisecond), and the mean time of later steps.
    /// </summary>
    public static Calibration Measure(OlmoConfig config, int batch, int length, int steps)
    {
        RequireMemory(config, batch, length);
        using var model = OlmoForCausalLM.CreateRandom(config, 7);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: 1e-4);
        using var ids = randint(2, config.VocabSize, [batch, length + 1], generator: new Generator(7));
        long parameterBytes = parameters.Sum(Bytes);

        GC.Collect();
        long before = Machine.ResidentBytes(), peak = before;
        using (var sampling = new CancellationTokenSource())
        {
            var sampler = Task.Run(() => { while (!sampling.IsCancellationRequested) { peak = Math.Max(peak, Machine.ResidentBytes()); Thread.Sleep(1); } });
            Machine.TrainStep(model, optimizer, ids);
            sampling.Cancel();
            sampler.Wait();
        }
        long gradientBytes = parameters.Sum(p => p.grad is { } g ? Bytes(g) : 0);
        long optimizerBytes = optimizer.state_dict().State.Sum(OptimizerStateBytes);

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Machine.TrainStep(model, optimizer, ids);
        double stepSeconds = clock.Elapsed.TotalSeconds / steps;

        var planned = CostModel.Training(ModelArchitecture.Of(config), batch, length, Precision.Fp32, checkpointing: false);
        double flops = CostModel.TrainFlopsPerToken(ModelArchitecture.Of(config), length) * batch * length;
        return new Calibration(parameterBytes, gradientBytes, optimizerBytes, planned, peak - before, stepSeconds, Machine.MatmulFlopsPerSecond(), flops);
    }

    /// <summary>Issue 21: `grid calibrate --batch 100000 --length 100000` asked libtorch for 80 GB and died in it. The
    /// plan's own estimate of the step (weights, gradients, AdamW, activations; in floating point, so no size overflows
    /// it) is compared with this machine's memory first, naming the options.</summary>
    static void RequireMemory(OlmoConfig config, int batch, int length)
    {
        double logits = 2.0 * 4 * batch * (length + 1.0) * config.VocabSize;   // the largest activations, computed without overflow
        var plan = logits < long.MaxValue / 4 ? CostModel.Training(ModelArchitecture.Of(config), batch, length, Precision.Fp32, checkpointing: false) : null;
        double bytes = plan is null ? logits : Math.Max(plan.Total, logits);
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > memory)
            throw new ArgumentException(
                $"--batch {batch} --length {length}: one training step of the {config.HiddenSize}-wide model needs about {bytes / 1048576.0:N0} MiB "
                + $"(weights, gradients, AdamW state and activations as the planner counts them), more than this machine's {memory / 1048576.0:N0} MiB");
    }

    /// <summary>AdamW's per-parameter state: exp_avg and exp_avg_sq (max_exp_avg_sq only with amsgrad, off here).</summary>
    static long OptimizerStateBytes(TorchSharp.Modules.OptimizerState state) => state is TorchSharp.Modules.AdamW.State s
        ? Bytes(s.exp_avg) + Bytes(s.exp_avg_sq) + (s.max_exp_avg_sq is { } m ? Bytes(m) : 0)
        : throw new InvalidOperationException($"unexpected optimizer state {state.GetType().Name}");

    static long Bytes(Tensor t) => t.numel() * t.ElementSize;

}
