using ScottPlot;

namespace AmuroChar.Plots;

/// <summary>
/// Bottom-axis tick labels at given positions that stay readable when they are long or many: first wrapped at
/// spaces onto up to three lines, and if that is not enough, slanted, with room made below and to the left for them
/// (ScottPlot neither wraps nor measures slanted labels itself).
/// </summary>
internal static class TickLabels
{
    const float Slant = 35; // degrees below horizontal
    const int MaxLines = 3;

    /// <param name="min">Left end of the x axis, in the same units as <paramref name="positions"/>.</param>
    /// <param name="max">Right end of the x axis.</param>
    public static void SetBottom(Plot plot, IReadOnlyList<double> positions, IReadOnlyList<string> labels,
        double min, double max, int figureWidth)
    {
        plot.Axes.Bottom.SetTicks(positions.ToArray(), labels.ToArray());
        if (labels.Count == 0)
            return;

        // The data area is roughly 70% of the figure (axis on the left, legend or colour bar on the right).
        double pixelsPerUnit = figureWidth * 0.7 / (max - min);
        double[] sorted = positions.Order().ToArray();
        double gap = sorted.Length < 2 ? figureWidth * 0.7
            : sorted.Zip(sorted.Skip(1), (a, b) => (b - a) * pixelsPerUnit).Min();
        float room = (float)gap * 0.9f;
        float size = FigureStyle.TickLabelSize;
        if (labels.All(l => FigureFont.MeasureWidth(l, size) <= room))
            return;

        string[] wrapped = labels.Select(l => Wrap(l, room, size)).ToArray();
        if (wrapped.All(l => l.Count(c => c == '\n') < MaxLines && FigureFont.MeasureWidth(l, size) <= room))
        {
            plot.Axes.Bottom.SetTicks(positions.ToArray(), wrapped);
            return;
        }

        // Slanted labels still collide when checkpoints sit closer than a line of text (measured across the
        // slant); then only every so many keep their text, the first and last always among them.
        double minGap = size * 1.3 / Math.Sin(Slant * Math.PI / 180);
        if (gap < minGap)
            plot.Axes.Bottom.SetTicks(positions.ToArray(), Thin(positions, labels, pixelsPerUnit, minGap));

        plot.Axes.Bottom.TickLabelStyle.Rotation = -Slant;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        double sin = Math.Sin(Slant * Math.PI / 180), cos = Math.Cos(Slant * Math.PI / 180);
        float lineHeight = size * 1.3f;
        float longest = labels.Max(l => FigureFont.MeasureWidth(l, size));
        // Down: the slanted text plus the axis title under it. Left: the first label must not leave the figure.
        plot.Axes.Bottom.MinimumSize = (float)(longest * sin + lineHeight * cos) + FigureStyle.AxisLabelSize * 1.5f + 6;
        int first = Array.IndexOf(positions.ToArray(), sorted[0]);
        double reachLeft = FigureFont.MeasureWidth(labels[first], size) * cos + lineHeight * sin / 2;
        double leftOfData = (sorted[0] - min) * pixelsPerUnit;
        plot.Axes.Left.MinimumSize = (float)Math.Max(0, reachLeft - leftOfData + 10);
    }

    /// <summary>Blanks labels (their ticks stay) closer than <paramref name="minGap"/> pixels to a kept one.</summary>
    static string[] Thin(IReadOnlyList<double> positions, IReadOnlyList<string> labels, double pixelsPerUnit, double minGap)
    {
        int[] order = Enumerable.Range(0, positions.Count).OrderBy(i => positions[i]).ToArray();
        var kept = new string[labels.Count];
        Array.Fill(kept, "");
        double lastKept = double.NegativeInfinity, end = positions[order[^1]] * pixelsPerUnit;
        foreach (int i in order)
        {
            double at = positions[i] * pixelsPerUnit;
            bool isLast = i == order[^1];
            // Keep this one if it clears the previous kept label, and (unless it is the last) leaves room for the last.
            if (at - lastKept >= minGap && (isLast || end - at >= minGap))
            {
                kept[i] = labels[i];
                lastKept = at;
            }
        }
        return kept;
    }

    /// <summary>Greedy word wrap to <paramref name="room"/> pixels; a single word wider than that stays whole.</summary>
    static string Wrap(string label, float room, float size)
    {
        var lines = new List<string>();
        string line = "";
        foreach (string word in label.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && FigureFont.MeasureWidth(candidate, size) > room)
            {
                lines.Add(line);
                line = word;
            }
            else
                line = candidate;
        }
        lines.Add(line);
        return string.Join('\n', lines);
    }
}
