namespace AmuroChar.Plots;

// Plain inputs for the figure functions: the study turns its own results into these, so the plotting code knows
// nothing about tasks, checkpoints or result stores.

/// <summary>One value on a line: its x (a checkpoint's step or token count), mean and 95% interval.</summary>
public readonly record struct Point(double X, double Mean, double Lo, double Hi);

/// <summary>One line of <see cref="Figures.LinesOverCheckpoints"/>; its points may come in any order.</summary>
public sealed record Series(string Name, IReadOnlyList<Point> Points);

/// <summary>One bar: its mean and 95% interval.</summary>
public readonly record struct BarValue(double Mean, double Lo, double Hi);

/// <summary>One colour of bars in <see cref="Figures.GroupedBars"/>: a value for every group, in the groups' order.</summary>
public sealed record BarSeries(string Name, IReadOnlyList<BarValue> Values);

/// <summary>How <see cref="Figures.LinesOverCheckpoints"/> places checkpoints along the x axis.</summary>
public enum CheckpointSpacing
{
    /// <summary>Every distinct x one step apart, labelled with its value: dense early checkpoints stay apart.</summary>
    Equal,
    /// <summary>Proportional to log10(x), labelled with the values; every x must be positive.</summary>
    Log,
    /// <summary>Proportional to x, with ordinary numeric ticks.</summary>
    Linear,
}
