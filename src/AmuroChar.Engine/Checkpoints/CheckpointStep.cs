using System.Globalization;

namespace AmuroChar.Checkpoints;

/// <summary>
/// A study's checkpoints are keyed by pre-training step. The one checkpoint without a step in its name is a
/// repository's <c>main</c> branch: the released final model, which the paper evaluates beside 738k (its numbers
/// differ from 738k's, so it is not that revision under another name). It is the key <see cref="Main"/>, which sorts
/// after every step, and everything that shows or parses a checkpoint goes through here, so it reads "main" wherever a
/// step would read "738000".
/// </summary>
public static class CheckpointStep
{
    /// <summary>The key of the <c>main</c> revision: after every pre-training step.</summary>
    public const int Main = int.MaxValue;

    public const string MainName = "main";

    /// <summary>"738000", or "main".</summary>
    public static string Label(int step) => step == Main ? MainName : step.ToString(CultureInfo.InvariantCulture);

    /// <summary>"step 738000", or "main", for running text.</summary>
    public static string Name(int step) => step == Main ? MainName : $"step {Label(step)}";

    /// <summary>"step-738000", or "step-main": file and folder names (baselines/paper/&lt;finding&gt;/step-main.json).</summary>
    public static string FileStem(int step) => "step-" + Label(step);

    /// <summary>A step as a user writes it: a non-negative integer, or <c>main</c>.</summary>
    public static int Parse(string text, string what = "--step")
    {
        string t = text.Trim();
        if (t.Equals(MainName, StringComparison.OrdinalIgnoreCase)) return Main;
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int step) && step != Main) return step;
        throw new ArgumentException($"{what} '{text}' is not a checkpoint: give a pre-training step (a non-negative integer) or '{MainName}'");
    }
}
