using AmuroChar.Results;
using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>Builds the inputs of a named scale: its synthetic world, or the files of a checkpointed repository.</summary>
public static class StudyFactory
{
    /// <param name="sizes">A miniature run of the paper scale (sizes shrunk, the same code path); the tiny scales are
    /// sized by their names.</param>
    /// <param name="model">The paper scale's checkpointed repository when not the paper's OLMo-1B-hf (e.g.
    /// <c>EleutherAI/pythia-160m</c>); its revisions are read as OLMo's are, each loaded by its config's family.</param>
    public static IStudyInputs Inputs(string scale, long worldSeed, ResultStore store, IProgress<TrainingProgress>? progress = null,
        SizeOverrides? sizes = null, string? model = null)
    {
        if (Scale.IsCheckpointed(scale))
        {
            var paper = (sizes ?? new()).Apply(Scale.Paper);
            if (!string.IsNullOrWhiteSpace(model)) paper = paper with { ModelRepository = model };
            if (PaperInputs.MissingInputs(repoId: paper.ModelRepository!) is { } missing) throw new InvalidOperationException(missing);
            return new PaperInputs(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable),
                Environment.GetEnvironmentVariable(PaperInputs.DataVariable)!, paper);
        }
        if (!string.IsNullOrWhiteSpace(model))
            throw new ArgumentException($"--model names the paper scale's checkpointed repository; the {scale} scale pre-trains its own model");
        if (sizes is { IsEmpty: false })
            throw new ArgumentException($"size overrides ({sizes}) shrink the paper scale; the {scale} scale is sized by its name (micro is the smallest)");
        return new TinyInputs(Scale.ByName(scale), worldSeed, store, progress);
    }
}
