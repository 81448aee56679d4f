using AmuroChar.Results;
using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>Builds the inputs of a named scale: the tiny world for "tiny" and "small", the files for "paper".</summary>
public static class StudyFactory
{
    /// <param name="sizes">A miniature run of the paper scale (sizes shrunk, the same code path); the tiny scales are
    /// sized by their names.</param>
    public static IStudyInputs Inputs(string scale, long worldSeed, ResultStore store, IProgress<TrainingProgress>? progress = null,
        SizeOverrides? sizes = null)
    {
        if (scale == "paper")
        {
            if (PaperInputs.MissingInputs() is { } missing) throw new InvalidOperationException(missing);
            return new PaperInputs(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable),
                Environment.GetEnvironmentVariable(PaperInputs.DataVariable)!, (sizes ?? new()).Apply(Scale.Paper));
        }
        if (sizes is { IsEmpty: false })
            throw new ArgumentException($"size overrides ({sizes}) shrink the paper scale; the {scale} scale is sized by its name (micro is the smallest)");
        return new TinyInputs(Scale.ByName(scale), worldSeed, store, progress);
    }
}
