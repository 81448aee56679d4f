using System.Globalization;
using ScottPlot;

namespace AmuroChar.Plots;

/// <summary>
/// Looks shared by every figure: one font, fixed sizes, white background, and a fixed palette handed out by series
/// position, so a study that passes its series in the same order ("base" first, then "fine-tuned", ...) gets the
/// same colour and marker for the same name in every figure.
/// </summary>
public static class FigureStyle
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 560;

    internal const float TitleSize = 20, AxisLabelSize = 16, TickLabelSize = 13, LegendSize = 14, CellTextSize = 14;

    // Tableau 10 (matplotlib's default cycle): distinct on white and familiar from the paper's own figures.
    static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    // Markers cycle at a different period from the colours, so series 11+ still differ from series 1-10.
    static readonly MarkerShape[] Markers =
        [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
         MarkerShape.FilledTriangleDown, MarkerShape.OpenCircle, MarkerShape.OpenSquare];

    /// <summary>The colour of the series at <paramref name="index"/> (0-based) in any figure.</summary>
    public static string ColorHex(int index) => Palette[index % Palette.Length];

    internal static Color SeriesColor(int index) => Color.FromHex(ColorHex(index));

    internal static MarkerShape SeriesMarker(int index) => Markers[index % Markers.Length];

    /// <summary>A plot with the shared background and title; the caller adds data and labels.</summary>
    internal static Plot NewPlot(string title)
    {
        FigureFont.EnsureRegistered();
        var plot = new Plot();
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Title(title, TitleSize);
        return plot;
    }

    /// <summary>
    /// The legend outside the data, on the right; below instead (entries side by side, wrapping) when they would take
    /// over a quarter of the figure's width (long names, small figures), so the data keep most of the room.
    /// </summary>
    internal static void ShowLegend(Plot plot, IEnumerable<string> names, int width)
    {
        const float symbol = 50; // the line-and-marker sample and padding before each name
        bool wide = names.Max(n => FigureFont.MeasureWidth(n, LegendSize)) + symbol > width * 0.25f;
        plot.ShowLegend(wide ? Edge.Bottom : Edge.Right);
    }

    /// <summary>Sets the shared font and sizes on everything added since <see cref="NewPlot"/>, renders, writes atomically.</summary>
    internal static string Save(Plot plot, string path, int width, int height)
    {
        // New labels already take the font from Fonts.Default (see FigureFont); naming it here as well keeps the
        // main labels right even if something else in the process changed that default in between.
        plot.Axes.Title.Label.FontName = FigureFont.Name;
        plot.Legend.FontName = FigureFont.Name;
        plot.Legend.FontSize = LegendSize;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.FontName = FigureFont.Name;
            axis.TickLabelStyle.FontSize = TickLabelSize;
            axis.Label.FontName = FigureFont.Name;
            axis.Label.FontSize = AxisLabelSize;
        }
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        string full = Path.GetFullPath(path);
        AtomicFile.WriteAllBytes(full, png);
        return full;
    }

    /// <summary>Tick text for a checkpoint: <see cref="Compact"/>, and "main" for the <c>main</c> revision.</summary>
    public static string Checkpoint(double x) => x == AmuroChar.Checkpoints.CheckpointStep.Main ? AmuroChar.Checkpoints.CheckpointStep.MainName : Compact(x);

    /// <summary>Short tick text for steps and token counts: 1000 → "1k", 342000 → "342k", 4.19e9 → "4.19B".</summary>
    public static string Compact(double x)
    {
        double a = Math.Abs(x);
        (double scale, string suffix) = a >= 1e9 ? (1e9, "B") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "k") : (1, "");
        return (x / scale).ToString("0.##", CultureInfo.InvariantCulture) + suffix;
    }
}
