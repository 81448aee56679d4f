using AmuroChar.Model;
using AmuroChar.Study;

namespace AmuroChar.Findings;

/// <summary>
/// Computes everything a set of findings needs before they are judged, using both cores: the inputs (pre-training
/// runs alone on all threads), then the fine-tuned models, then the evaluations, each as independent single-threaded
/// jobs side by side. Results do not depend on this schedule: on CPU, 1, 2 and 4 intra-op threads give bitwise
/// identical results (3 does not), and every result is stored under a key of what produced it, never of when.
/// </summary>
public static class StudyRunner
{
    public static IReadOnlyList<Finding> AllFindings(Measurements m) =>
    [
        new DichotomyInPretraining(m), new LatentImprovement(m), new TaskTransfer(m), new DomainKnowledge(m),
        new FormatSensitivity(m), new InstructionTuning(m), new PredictionMethods(m),
    ];

    public static void Run(Measurements m, IEnumerable<Finding> findings, int workers)
    {
        var study = m.Study;
        TorchRuntime.SetThreads(study.Scale.Threads);
        foreach (int step in study.Inputs.Checkpoints) study.Inputs.CheckpointDirectory(step);

        var requirements = findings.SelectMany(f => f.Requires()).Distinct().ToList();
        var models = requirements.Select(r => r.Model).Where(x => !x.IsBase).Distinct()
            .OrderBy(x => x.FineTunedOn).ThenBy(x => x.Step).ThenBy(x => x.Seed).ToList();
        bool parallel = workers > 1;
        if (parallel) TorchRuntime.SetThreads(1);
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) };
            Parallel.ForEach(models, options, model => study.ModelDirectory(model));
            Parallel.ForEach(requirements, options, r => m.Result(r.Model, r.Dataset, r.Format, r.Method));
        }
        finally
        {
            if (parallel) TorchRuntime.SetThreads(study.Scale.Threads);
        }
    }
}
