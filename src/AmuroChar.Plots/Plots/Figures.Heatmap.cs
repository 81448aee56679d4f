using System.Globalization;
using ScottPlot;

namespace AmuroChar.Plots;

public static partial class Figures
{
    /// <summary>
    /// An annotated heatmap with a diverging colour scale centred at 0 (blue above, red below, white at 0) and a
    /// colour bar; row 0 is the top row. Used for the cross-task transfer matrix (rows: fine-tuned on, columns:
    /// evaluated on, values: change vs base).
    /// </summary>
    /// <param name="valueFormat">.NET number format for the text in each cell; null writes none.</param>
    public static string Heatmap(string path, string title, IReadOnlyList<string> rowLabels,
        IReadOnlyList<string> columnLabels, double[,] values, string? valueFormat = "+0.00;-0.00;0.00",
        string? rowAxisLabel = null, string? columnAxisLabel = null,
        int width = FigureStyle.DefaultWidth, int height = FigureStyle.DefaultHeight)
    {
        FigureChecks.FilePath(path);
        FigureChecks.Size(width, height);
        FigureChecks.Names(rowLabels, "row labels", nameof(rowLabels));
        FigureChecks.Names(columnLabels, "column labels", nameof(columnLabels));
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows != rowLabels.Count || cols != columnLabels.Count)
            throw new ArgumentException(
                $"The matrix is {rows}×{cols} but there are {rowLabels.Count} row and {columnLabels.Count} column labels.",
                nameof(values));
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                FigureChecks.Finite(values[r, c], $"Cell ({rowLabels[r]}, {columnLabels[c]})", nameof(values));
        if (valueFormat is not null)
        {
            try { _ = 0.0.ToString(valueFormat, CultureInfo.InvariantCulture); } // fail before drawing anything
            catch (FormatException e) { throw new ArgumentException($"'{valueFormat}' is not a number format.", nameof(valueFormat), e); }
        }

        double extreme = 0;
        foreach (double v in values)
            extreme = Math.Max(extreme, Math.Abs(v));
        if (extreme == 0)
            extreme = 1; // all zeros: any symmetric range paints them white
        // Reversed Balance: gains blue, losses red; the symmetric range puts its white middle exactly at 0.
        var scale = new ColorScale(new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Balance()),
            new ScottPlot.Range(-extreme, extreme));

        using Plot plot = FigureStyle.NewPlot(title);
        // One rectangle per cell rather than ScottPlot's Heatmap plottable: its stretched bitmap, given an extent,
        // drew the edge cells at half size. Cell (r, c) spans x in [c, c+1], y in [rows-r-1, rows-r]: row 0 on top.
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                var cell = plot.Add.Rectangle(c, c + 1, rows - r - 1, rows - r);
                cell.FillColor = scale.ColorOf(values[r, c]);
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
            }
        plot.Add.ColorBar(scale, Edge.Right);

        if (valueFormat is not null)
            Annotate(plot, scale, values, valueFormat, width, height);

        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(r => rows - r - 0.5).ToArray(), rowLabels.ToArray());
        TickLabels.SetBottom(plot, Enumerable.Range(0, cols).Select(c => c + 0.5).ToArray(), columnLabels, 0, cols, width);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
        plot.Axes.SetLimits(0, cols, 0, rows);
        if (rowAxisLabel is not null)
            plot.YLabel(rowAxisLabel);
        if (columnAxisLabel is not null)
            plot.XLabel(columnAxisLabel);
        return FigureStyle.Save(plot, path, width, height);
    }

    /// <summary>Writes each value in its cell, in black or white for contrast, shrunk if the cells are small.</summary>
    static void Annotate(Plot plot, ColorScale scale, double[,] values, string format, int width, int height)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        string[,] text = new string[rows, cols];
        int longest = 1;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                longest = Math.Max(longest, (text[r, c] = values[r, c].ToString(format, CultureInfo.InvariantCulture)).Length);

        // The data area is roughly 65% of the figure each way; keep the text inside ~85% of a cell.
        float cellWidth = width * 0.65f / cols, cellHeight = height * 0.65f / rows;
        float size = Math.Min(FigureStyle.CellTextSize, cellWidth * 0.85f / (longest * 0.62f));
        size = Math.Max(6, Math.Min(size, cellHeight * 0.6f));

        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                Color fill = scale.ColorOf(values[r, c]);
                double luminance = 0.299 * fill.R + 0.587 * fill.G + 0.114 * fill.B;
                var label = plot.Add.Text(text[r, c], c + 0.5, rows - r - 0.5);
                label.Alignment = Alignment.MiddleCenter;
                label.LabelFontName = FigureFont.Name;
                label.LabelFontSize = size;
                label.LabelFontColor = luminance < 140 ? Colors.White : Colors.Black;
            }
    }

    /// <summary>The colour scale shared by the cells and the colour bar.</summary>
    sealed class ColorScale(IColormap colormap, ScottPlot.Range range) : IHasColorAxis
    {
        public IColormap Colormap { get; } = colormap;

        public ScottPlot.Range GetRange() => range;

        public Color ColorOf(double value) => Colormap.GetColor(value, range);
    }
}
