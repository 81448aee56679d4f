using AmuroChar.Plots;

namespace AmuroChar.Tests.Plots;

/// <summary>Paper-shaped numbers (Sun &amp; Dredze 2024, OLMo-1B checkpoints) to draw the test figures with.</summary>
static class FigureSamples
{
    // OLMo-1B's checkpoints; "main" (the final model) is given a step just after the last numbered one.
    public static readonly double[] Steps = [1000, 18000, 342000, 424000, 505000, 592000, 738000, 739000];

    public static string StepLabel(double step) => step == 739000 ? "main" : FigureStyle.Compact(step);

    static Series Line(string name, double[] means, double halfWidth) =>
        new(name, means.Select((m, i) => new Point(Steps[i], m, m - halfWidth, m + halfWidth)).ToArray());

    public static IReadOnlyList<Series> MnliBaseVsFineTuned() =>
    [
        Line("base (4-shot)", [0.33, 0.34, 0.33, 0.35, 0.34, 0.33, 0.34, 0.35], 0.02),
        Line("fine-tuned", [0.354, 0.557, 0.787, 0.784, 0.792, 0.799, 0.798, 0.790], 0.015),
        Line("fine-tuned, instruct format", [0.33, 0.375, 0.684, 0.70, 0.71, 0.72, 0.73, 0.740], 0.02),
    ];

    public static readonly string[] GainGroups = ["1k", "18k", "342k", "424k", "505k", "592k", "738k", "main"];

    public static IReadOnlyList<BarSeries> FineTuningGain() =>
    [
        new("learned in fine-tuning", new[] { 0.062, 0.149, 0.286, 0.297, 0.304, 0.297, 0.264, 0.290 }
            .Select(v => new BarValue(v, v - 0.03, v + 0.025)).ToArray()),
        new("learned in pre-training", new[] { 0.048, 0.048, 0.004, 0.010, 0.030, 0.027, 0.021, -0.005 }
            .Select(v => new BarValue(v, v - 0.02, v + 0.02)).ToArray()),
    ];

    public static readonly string[] Tasks = ["MNLI", "PAWS", "XSum", "SocialIQa QG"];

    /// <summary>Rows: fine-tuned on; columns: evaluated on; change vs the base model.</summary>
    public static double[,] Transfer() => new[,]
    {
        { 0.452, 0.031, -0.048, -0.071 },
        { 0.012, 0.318, -0.055, -0.062 },
        { 0.004, -0.002, 0.061, 0.018 },
        { 0.001, 0.003, 0.009, 0.412 },
    };
}
