namespace AmuroChar.Plots;

/// <summary>Input checks shared by the figure functions: bad data fails loudly here, not as a blank or odd plot.</summary>
internal static class FigureChecks
{
    public static void FilePath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("The figure's file path is empty.", nameof(path));
    }

    public static void Size(int width, int height)
    {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000)
            throw new ArgumentException($"Figure size {width}×{height} px is outside 100..10000 px.", width < 100 || width > 10_000 ? nameof(width) : nameof(height));
    }

    public static void Finite(double value, string what, string paramName)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"{what} is {value}; every plotted value must be finite.", paramName);
    }

    /// <summary>A mean with its interval: all finite and Lo ≤ Hi (the mean itself may sit outside a skewed interval).</summary>
    public static void Interval(double mean, double lo, double hi, string what, string paramName)
    {
        Finite(mean, $"{what}: mean", paramName);
        Finite(lo, $"{what}: Lo", paramName);
        Finite(hi, $"{what}: Hi", paramName);
        if (lo > hi)
            throw new ArgumentException($"{what}: Lo {lo} is above Hi {hi}.", paramName);
    }

    /// <summary>Non-empty, distinct names: a legend or axis with two identical entries can't be read.</summary>
    public static void Names(IReadOnlyList<string>? names, string what, string paramName)
    {
        if (names is null || names.Count == 0)
            throw new ArgumentException($"No {what} given.", paramName);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
                throw new ArgumentException($"{what} #{i} has an empty name.", paramName);
            if (!seen.Add(names[i]))
                throw new ArgumentException($"{what} '{names[i]}' appears twice.", paramName);
        }
    }
}
