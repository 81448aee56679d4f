using ScottPlot;

namespace AmuroChar.Plots;

public static partial class Figures
{
    /// <summary>
    /// Grouped bars with 95% interval error bars: one cluster per group (e.g. checkpoint or task group), one bar per
    /// series inside it, a legend outside the data, and a zero line, since gains and out-of-domain changes can be negative.
    /// </summary>
    public static string GroupedBars(string path, string title, string yLabel, IReadOnlyList<string> groups,
        IReadOnlyList<BarSeries> series, string? xLabel = null,
        int width = FigureStyle.DefaultWidth, int height = FigureStyle.DefaultHeight)
    {
        FigureChecks.FilePath(path);
        FigureChecks.Size(width, height);
        FigureChecks.Names(groups, "groups", nameof(groups));
        if (series is null || series.Count == 0)
            throw new ArgumentException("No bar series given.", nameof(series));
        FigureChecks.Names(series.Select(s => s?.Name ?? "").ToArray(), "bar series", nameof(series));
        foreach (BarSeries s in series)
        {
            if (s.Values is null || s.Values.Count != groups.Count)
                throw new ArgumentException(
                    $"Bar series '{s.Name}' has {s.Values?.Count ?? 0} values for {groups.Count} groups.", nameof(series));
            for (int g = 0; g < groups.Count; g++)
                FigureChecks.Interval(s.Values[g].Mean, s.Values[g].Lo, s.Values[g].Hi,
                    $"Bar series '{s.Name}', group '{groups[g]}'", nameof(series));
        }

        using Plot plot = FigureStyle.NewPlot(title);
        // Each cluster fills 80% of its unit slot, split evenly among the series.
        double barWidth = 0.8 / series.Count;
        for (int i = 0; i < series.Count; i++)
        {
            Color color = FigureStyle.SeriesColor(i);
            double[] xs = Enumerable.Range(0, groups.Count).Select(g => g - 0.4 + barWidth * (i + 0.5)).ToArray();
            IReadOnlyList<BarValue> v = series[i].Values;
            var bars = plot.Add.Bars(xs.Select((x, g) => new Bar
            {
                Position = x, Value = v[g].Mean, Size = barWidth * 0.92, FillColor = color, LineWidth = 0,
            }).ToArray());
            bars.LegendText = series[i].Name;

            // Intervals need not be symmetric (bootstrap), so they are drawn apart from the bars.
            var errors = plot.Add.ErrorBar(xs, v.Select(b => b.Mean).ToArray(), new double[groups.Count]);
            errors.YErrorPositive = v.Select(b => Math.Max(0, b.Hi - b.Mean)).ToArray();
            errors.YErrorNegative = v.Select(b => Math.Max(0, b.Mean - b.Lo)).ToArray();
            errors.Color = Colors.Black;
            errors.LineWidth = 1.2f;
            errors.CapSize = (float)Math.Clamp(barWidth * 40, 3, 10);
        }
        plot.Add.HorizontalLine(0, 1.5f, Colors.Black);

        TickLabels.SetBottom(plot, Enumerable.Range(0, groups.Count).Select(g => (double)g).ToArray(), groups,
            -0.5, groups.Count - 0.5, width);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Axes.SetLimitsX(-0.5, groups.Count - 0.5);

        // Zero always shows, so the bars' baseline is on the plot; margins leave room above and below the whiskers.
        var values = series.SelectMany(s => s.Values).ToArray();
        double lo = Math.Min(0, values.Min(b => Math.Min(b.Mean, b.Lo)));
        double hi = Math.Max(0, values.Max(b => Math.Max(b.Mean, b.Hi)));
        double pad = Math.Max(hi - lo, 1e-6) * 0.08;
        plot.Axes.SetLimitsY(lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0 + pad);

        if (xLabel is not null)
            plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        FigureStyle.ShowLegend(plot, series.Select(s => s.Name), width);
        return FigureStyle.Save(plot, path, width, height);
    }
}
