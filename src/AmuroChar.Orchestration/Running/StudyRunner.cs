using System.Collections.Concurrent;
using System.Diagnostics;
using AmuroChar.Model;
using AmuroChar.Study;

using AmuroChar.Findings;

namespace AmuroChar.Running;

/// <summary>
/// Computes everything a set of findings needs before they are judged, using both cores: the inputs (pre-training
/// runs alone on all threads), then the fine-tuned models, then the evaluations, each as independent single-threaded
/// jobs side by side. An evaluation job is one model with all of its evaluations, so each model is loaded once
/// (<see cref="AmuroChar.Study.StudyEngine.EvaluateMany"/>). Results do not depend on this schedule: on CPU, 1, 2 and 4 intra-op threads give bitwise
/// identical results (3 does not), and every result is stored under a key of what produced it, never of when.
/// </summary>
public static class StudyRunner
{
    /// <summary>The wall time of one phase of a study run and what its models computed (<see cref="ComputeLedger"/>);
    /// work found in the result store takes no time and computes nothing.</summary>
    public sealed record PhaseTime(string Phase, int Jobs, TimeSpan Elapsed, ComputeLedger.Reading Work = default)
    {
        public override string ToString() => $"{Phase,-12} {Jobs,4} jobs  {Elapsed.TotalSeconds,7:0.0} s";

        /// <summary>The phase's FLOPs (<see cref="AmuroChar.Bench.CostModel.Flops"/>) and their rate as a share of
        /// <paramref name="peakFlopsPerSecond"/>, the machine's measured matmul peak on all the threads the study uses.</summary>
        public string Describe(ModelArchitecture model, double peakFlopsPerSecond)
        {
            double flops = AmuroChar.Bench.CostModel.Flops(model, Work);
            string efficiency = Elapsed.TotalSeconds > 0.5 && flops > 0 ? $"{flops / Elapsed.TotalSeconds / peakFlopsPerSecond:P0} of the matmul peak" : "nothing computed";
            return $"{this}  {flops:0.00e+00} FLOPs  {efficiency}";
        }
    }

    /// <summary>The architecture of the study's models, read from its first checkpoint (what the phases' FLOPs are
    /// counted for).</summary>
    public static ModelArchitecture Architecture(AmuroChar.Study.StudyEngine study)
    {
        string directory = study.Inputs.CheckpointDirectory(study.Inputs.Checkpoints[0]);
        return AmuroChar.Checkpoints.ModelFamilies.Of(directory).Architecture(directory);
    }

    /// <summary>The matmul peak (<see cref="AmuroChar.Bench.Machine.MatmulFlopsPerSecond"/>) on the study's threads,
    /// the denominator of every phase's efficiency, as in <c>amurochar bench</c>.</summary>
    public static double PeakFlopsPerSecond(AmuroChar.Study.StudyEngine study)
    {
        TorchRuntime.SetThreads(study.Scale.Threads);
        return AmuroChar.Bench.Machine.MatmulFlopsPerSecond();
    }

    /// <param name="jobs">Told when each phase starts and as each of its jobs finishes (from worker threads).</param>
    public static IReadOnlyList<PhaseTime> Run(Measurements m, IEnumerable<Finding> findings, int workers, IProgress<JobProgress>? jobs = null)
    {
        var study = m.Study;
        var times = new List<PhaseTime>();
        var clock = Stopwatch.StartNew();
        var work = ComputeLedger.Now;
        ComputeLedger.Reading Done() { var before = work; work = ComputeLedger.Now; return work - before; }
        TorchRuntime.SetThreads(study.Scale.Threads);
        jobs?.Report(new JobProgress("pre-train", 0, 1));
        foreach (int step in study.Inputs.Checkpoints) study.Inputs.CheckpointDirectory(step);
        jobs?.Report(new JobProgress("pre-train", 1, 1));
        times.Add(new("pre-train", study.Inputs.Checkpoints.Count, clock.Elapsed, Done()));

        var requirements = Declaration.RequirementsOf(m, findings);   // derived from the findings' declarations
        // Longest first (training examples × epochs, the number of steps up to the batch size), taken in that order by
        // whichever worker is free, so the phase does not end with one long job running and the other worker idle.
        var models = requirements.Select(r => r.Model).Where(x => !x.IsBase).Distinct()
            .OrderByDescending(x => TrainingExamples(study, x))
            .ThenBy(x => x.FineTunedOn, StringComparer.Ordinal).ThenBy(x => x.Step).ThenBy(x => x.Seed).ToList();
        // One GPU runs one job at a time (two OLMo-1B fine-tuning jobs don't fit in one GPU's memory).
        bool parallel = workers > 1 && study.Device.type == TorchSharp.DeviceType.CPU;
        if (parallel) TorchRuntime.SetThreads(1);
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = parallel ? workers : 1 };
            clock.Restart();
            ForEachCounted("fine-tune", models, options, jobs, model => study.ModelDirectory(model));
            times.Add(new("fine-tune", models.Count, clock.Elapsed, Done()));
            clock.Restart();
            Evaluate(study, requirements, options, jobs);
            times.Add(new("evaluate", requirements.Count, clock.Elapsed, Done()));
        }
        finally
        {
            if (parallel) TorchRuntime.SetThreads(study.Scale.Threads);
        }
        return times;
    }

    /// <summary>
    /// Runs the evaluations grouped by model, models side by side, filling the result store (the findings then read
    /// each result from it). Models with the most evaluations start first, so the last job to finish is a short one.
    /// </summary>
    static void Evaluate(AmuroChar.Study.StudyEngine study, IReadOnlyList<Requirement> requirements, ParallelOptions options, IProgress<JobProgress>? jobs)
    {
        var byModel = requirements.GroupBy(r => r.Model)
            .Select(g => (Model: g.Key, Requests: g.Select(Request).Distinct().ToList()))
            .OrderByDescending(g => g.Requests.Count).ThenBy(g => g.Model.ToString(), StringComparer.Ordinal).ToList();
        int done = 0;
        jobs?.Report(new JobProgress("evaluate", 0, requirements.Count));
        // No buffering: each worker takes the next model only when it is free, in the order above.
        Parallel.ForEach(Partitioner.Create(byModel, EnumerablePartitionerOptions.NoBuffering), options, group =>
            study.EvaluateMany(group.Model, group.Requests,
                _ => jobs?.Report(new JobProgress("evaluate", Interlocked.Increment(ref done), requirements.Count))));
    }

    static long TrainingExamples(AmuroChar.Study.StudyEngine study, ModelRef model)
    {
        if (study.IsStored(model)) return 0;
        var config = model.FineTunedOn == ModelRef.Instruction ? study.Scale.Instruct : study.Scale.FineTune;
        return (long)study.Check(model)!.Examples.Count * config.Epochs;
    }

    static EvaluationRequest Request(Requirement r) => new(r.Dataset, r.Format, r.Method, r.Shots);

    static void ForEachCounted<T>(string phase, IReadOnlyList<T> items, ParallelOptions options, IProgress<JobProgress>? jobs, Action<T> run)
    {
        int done = 0;
        jobs?.Report(new JobProgress(phase, 0, items.Count));
        // No buffering: each worker takes the next item only when it is free, in the order given.
        Parallel.ForEach(Partitioner.Create(items, EnumerablePartitionerOptions.NoBuffering), options, item =>
        {
            run(item);
            jobs?.Report(new JobProgress(phase, Interlocked.Increment(ref done), items.Count));
        });
    }
}
