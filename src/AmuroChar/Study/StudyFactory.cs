using AmuroChar.Results;
using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>Builds the inputs of a named scale: the tiny world for "tiny" and "small", the files for "paper".</summary>
public static class StudyFactory
{
    public static IStudyInputs Inputs(string scale, long worldSeed, ResultStore store, IProgress<TrainingProgress>? progress = null)
    {
        if (scale == "paper")
        {
            if (PaperInputs.MissingInputs() is { } missing) throw new InvalidOperationException(missing);
            return new PaperInputs(Environment.GetEnvironmentVariable(PaperInputs.OlmoVariable),
                Environment.GetEnvironmentVariable(PaperInputs.DataVariable)!, Scale.Paper);
        }
        return new TinyInputs(Scale.ByName(scale), worldSeed, store, progress);
    }
}
