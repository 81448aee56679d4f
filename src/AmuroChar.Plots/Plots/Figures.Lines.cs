using ScottPlot;

namespace AmuroChar.Plots;

/// <summary>The study's figures, each written as a PNG (atomically) whose full path is returned.</summary>
public static partial class Figures
{
    /// <summary>
    /// One line per series over pre-training checkpoints, with markers and a shaded 95% interval band; the legend
    /// sits outside the data (right, or below when wide). The y axis spans 0..1 when every value lies there
    /// (accuracy, ROUGE), else it fits the data; <paramref name="yLimits"/> overrides both. Series may cover
    /// different checkpoints.
    /// </summary>
    /// <param name="spacing">Equal (default) keeps the paper's dense early checkpoints (1k, 18k, 342k, ...) apart.</param>
    /// <param name="xTickLabel">Text for a checkpoint's x (default <see cref="FigureStyle.Checkpoint"/>: "18k", "main").</param>
    public static string LinesOverCheckpoints(string path, string title, string yLabel, IReadOnlyList<Series> series,
        CheckpointSpacing spacing = CheckpointSpacing.Equal, string xLabel = "pre-training step",
        Func<double, string>? xTickLabel = null, (double Min, double Max)? yLimits = null,
        int width = FigureStyle.DefaultWidth, int height = FigureStyle.DefaultHeight)
    {
        FigureChecks.FilePath(path);
        FigureChecks.Size(width, height);
        CheckSeries(series, spacing);
        if (yLimits is { } given && !(double.IsFinite(given.Min) && double.IsFinite(given.Max) && given.Min < given.Max))
            throw new ArgumentException($"yLimits ({given.Min}, {given.Max}) must be finite with Min < Max.", nameof(yLimits));
        xTickLabel ??= FigureStyle.Checkpoint;

        // Every checkpoint any series has, in order; with Equal spacing its index is its position on the axis.
        double[] checkpoints = series.SelectMany(s => s.Points).Select(p => p.X).Distinct().Order().ToArray();
        var slot = checkpoints.Select((x, i) => (x, i)).ToDictionary(t => t.x, t => (double)t.i);
        double Position(double x) => spacing switch
        {
            CheckpointSpacing.Equal => slot[x],
            CheckpointSpacing.Log => Math.Log10(x),
            _ => x,
        };

        using Plot plot = FigureStyle.NewPlot(title);
        for (int i = 0; i < series.Count; i++)
        {
            Point[] points = series[i].Points.OrderBy(p => p.X).ToArray();
            double[] xs = points.Select(p => Position(p.X)).ToArray();
            Color color = FigureStyle.SeriesColor(i);

            // Band first so the line and markers draw over it; a one-point series gets an error bar instead.
            if (points.Length > 1)
            {
                var band = plot.Add.FillY(xs, points.Select(p => p.Lo).ToArray(), points.Select(p => p.Hi).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            else
            {
                var bar = plot.Add.ErrorBar(xs, [points[0].Mean], [0.0]);
                bar.YErrorPositive = [Math.Max(0, points[0].Hi - points[0].Mean)];
                bar.YErrorNegative = [Math.Max(0, points[0].Mean - points[0].Lo)];
                bar.Color = color;
                bar.LineWidth = 1.5f;
            }
            var line = plot.Add.Scatter(xs, points.Select(p => p.Mean).ToArray(), color);
            line.LegendText = series[i].Name;
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.MarkerShape = FigureStyle.SeriesMarker(i);
        }

        if (spacing == CheckpointSpacing.Linear)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = xTickLabel };
        else
        {
            // A tick at every checkpoint, labelled with its value, and half a slot (or 5%) of margin at either end.
            double[] positions = checkpoints.Select(Position).ToArray();
            double margin = spacing == CheckpointSpacing.Equal || positions.Length == 1
                ? 0.5 : (positions[^1] - positions[0]) * 0.05;
            double xMin = positions[0] - margin, xMax = positions[^1] + margin;
            TickLabels.SetBottom(plot, positions, checkpoints.Select(xTickLabel).ToArray(), xMin, xMax, width);
            plot.Axes.SetLimitsX(xMin, xMax);
        }

        (double yMin, double yMax) = YRange(series, yLimits);
        plot.Axes.SetLimitsY(yMin, yMax);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        FigureStyle.ShowLegend(plot, series.Select(s => s.Name), width);
        return FigureStyle.Save(plot, path, width, height);
    }

    static void CheckSeries(IReadOnlyList<Series>? series, CheckpointSpacing spacing)
    {
        if (series is null || series.Count == 0)
            throw new ArgumentException("No series given.", nameof(series));
        FigureChecks.Names(series.Select(s => s?.Name ?? "").ToArray(), "series", nameof(series));
        foreach (Series s in series)
        {
            if (s.Points is null || s.Points.Count == 0)
                throw new ArgumentException($"Series '{s.Name}' has no points.", nameof(series));
            var xs = new HashSet<double>();
            foreach (Point p in s.Points)
            {
                FigureChecks.Finite(p.X, $"Series '{s.Name}': X", nameof(series));
                FigureChecks.Interval(p.Mean, p.Lo, p.Hi, $"Series '{s.Name}' at X={p.X}", nameof(series));
                if (!xs.Add(p.X))
                    throw new ArgumentException($"Series '{s.Name}' has two points at X={p.X}.", nameof(series));
                if (spacing == CheckpointSpacing.Log && p.X <= 0)
                    throw new ArgumentException($"Series '{s.Name}' has X={p.X}; a log axis needs X > 0.", nameof(series));
            }
        }
    }

    /// <summary>0..1 (with a sliver so markers at 0 or 1 aren't cut) when all values fit there, else the data ± 5%.</summary>
    static (double Min, double Max) YRange(IReadOnlyList<Series> series, (double Min, double Max)? given)
    {
        if (given is { } g)
            return g;
        var all = series.SelectMany(s => s.Points).ToArray();
        double lo = all.Min(p => Math.Min(p.Mean, p.Lo)), hi = all.Max(p => Math.Max(p.Mean, p.Hi));
        if (lo >= 0 && hi <= 1)
            return (-0.02, 1.02);
        double pad = Math.Max(hi - lo, 1e-6) * 0.05;
        return (lo - pad, hi + pad);
    }
}
