using AmuroChar.Plots;
using AmuroChar.Tests.Checkpoints;
using SkiaSharp;
using Xunit;

namespace AmuroChar.Tests.Plots;

public sealed class FiguresTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(CheckpointSpacing.Equal)]
    [InlineData(CheckpointSpacing.Log)]
    [InlineData(CheckpointSpacing.Linear)]
    public void Lines_write_a_png_of_the_default_size(CheckpointSpacing spacing)
    {
        string path = Figures.LinesOverCheckpoints(_dir.File($"lines-{spacing}.png"), "MNLI accuracy", "accuracy",
            FigureSamples.MnliBaseVsFineTuned(), spacing, xTickLabel: FigureSamples.StepLabel);
        Assert.Equal(Path.GetFullPath(_dir.File($"lines-{spacing}.png")), path);
        Assert.Equal((FigureStyle.DefaultWidth, FigureStyle.DefaultHeight), PngFile.Size(path));
    }

    [Fact]
    public void Lines_take_a_size_values_outside_0_1_single_points_and_series_on_different_checkpoints()
    {
        Series[] series =
        [
            new("gain", [new(1000, -0.2, -0.3, -0.1), new(18000, 1.4, 1.2, 1.5), new(342000, 0.5, 0.5, 0.5)]),
            new("one point", [new(18000, 0.3, 0.25, 0.35)]),
            new("unsorted", [new(342000, 0.9, 0.8, 1.0), new(5000, 0.1, 0.0, 0.2)]),
        ];
        string path = Figures.LinesOverCheckpoints(_dir.File("odd.png"), "Odd data", "change", series,
            width: 640, height: 400);
        Assert.Equal((640, 400), PngFile.Size(path));
        path = Figures.LinesOverCheckpoints(_dir.File("limits.png"), "Given limits", "loss", series,
            CheckpointSpacing.Linear, xLabel: "tokens", yLimits: (-1, 2));
        Assert.Equal((FigureStyle.DefaultWidth, FigureStyle.DefaultHeight), PngFile.Size(path));
    }

    [Fact]
    public void Grouped_bars_write_a_png_with_negative_values()
    {
        string path = Figures.GroupedBars(_dir.File("gain.png"), "Gain from fine-tuning", "accuracy gain",
            FigureSamples.GainGroups, FigureSamples.FineTuningGain());
        Assert.Equal((FigureStyle.DefaultWidth, FigureStyle.DefaultHeight), PngFile.Size(path));

        BarSeries[] allNegative = [new("ood", [new(-0.1, -0.15, -0.05), new(-0.02, -0.04, 0)])];
        path = Figures.GroupedBars(_dir.File("neg.png"), "Out of domain", "change", ["CNN/DM", "SciQ QG"], allNegative,
            width: 500, height: 300);
        Assert.Equal((500, 300), PngFile.Size(path));
    }

    [Fact]
    public void Heatmap_writes_a_png_with_or_without_cell_text()
    {
        string path = Figures.Heatmap(_dir.File("transfer.png"), "Cross-task transfer", FigureSamples.Tasks,
            FigureSamples.Tasks, FigureSamples.Transfer(), rowAxisLabel: "fine-tuned on", columnAxisLabel: "evaluated on");
        Assert.Equal((FigureStyle.DefaultWidth, FigureStyle.DefaultHeight), PngFile.Size(path));

        path = Figures.Heatmap(_dir.File("zeros.png"), "All zero, no text", ["a"], ["x", "y", "z"], new double[1, 3],
            valueFormat: null, width: 400, height: 300);
        Assert.Equal((400, 300), PngFile.Size(path));
    }

    [Fact]
    public void Writing_replaces_the_file_atomically_and_leaves_no_temporary_files()
    {
        string target = _dir.File("sub/dir/fig.png");
        for (int i = 0; i < 3; i++) // also: rendering the same figure again doesn't fail
            Figures.GroupedBars(target, $"Run {i}", "gain", FigureSamples.GainGroups, FigureSamples.FineTuningGain());
        Assert.Equal(["fig.png"], Directory.GetFiles(_dir.File("sub/dir")).Select(Path.GetFileName));
        Assert.Equal((FigureStyle.DefaultWidth, FigureStyle.DefaultHeight), PngFile.Size(target));
    }

    [Fact]
    public void Text_is_drawn_with_the_embedded_font_not_a_system_one()
    {
        FigureFont.EnsureRegistered();
        // Not disposed: ScottPlot caches and shares the typeface it returns.
        SKTypeface face = ScottPlot.Fonts.GetTypeface(FigureFont.Name, bold: false, italic: false);
        Assert.Equal("DejaVu Sans", face.FamilyName);
        Assert.InRange(face.GlyphCount, 100, 1000); // the subset; a system DejaVu Sans has ~6,000 glyphs
        Assert.True(ScottPlot.Fonts.GetTypeface(FigureFont.Name, bold: true, italic: false).IsBold);

        // A figure whose only text is the title: the title band must hold dark (text) pixels.
        string path = Figures.Heatmap(_dir.File("title.png"), "TITLE TEXT MUST SHOW", ["r"], ["c"], new double[1, 1],
            valueFormat: null);
        using SKBitmap bitmap = SKBitmap.Decode(path);
        int dark = 0;
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y).Red < 100)
                    dark++;
        Assert.True(dark > 300, $"only {dark} dark pixels where the title should be");
    }

    /// <summary>
    /// Writes one of each figure where a person can look at them: set AMUROCHAR_FIGURE_SAMPLES to a folder.
    /// Without it the samples go to this test's temporary folder and are deleted.
    /// </summary>
    [Fact]
    public void Samples_of_every_figure()
    {
        string dir = Environment.GetEnvironmentVariable("AMUROCHAR_FIGURE_SAMPLES") is { Length: > 0 } d ? d : _dir.Path;
        Figures.LinesOverCheckpoints(Path.Combine(dir, "lines-equal.png"), "MNLI: base vs fine-tuned (4-shot)",
            "accuracy", FigureSamples.MnliBaseVsFineTuned(), xTickLabel: FigureSamples.StepLabel);
        Figures.LinesOverCheckpoints(Path.Combine(dir, "lines-linear.png"), "MNLI on a linear step axis",
            "accuracy", FigureSamples.MnliBaseVsFineTuned(), CheckpointSpacing.Linear);
        Figures.GroupedBars(Path.Combine(dir, "bars.png"), "Gain from fine-tuning by task group",
            "accuracy gain (fine-tuned − base)", FigureSamples.GainGroups, FigureSamples.FineTuningGain());
        Figures.Heatmap(Path.Combine(dir, "heatmap.png"), "Cross-task transfer (change vs base)", FigureSamples.Tasks,
            FigureSamples.Tasks, FigureSamples.Transfer(), rowAxisLabel: "fine-tuned on", columnAxisLabel: "evaluated on");

        // Crowded cases: 20 checkpoints and 12 series (colours cycle, markers tell them apart), long group names,
        // a small figure, a large matrix.
        double[] steps = Enumerable.Range(0, 20).Select(i => Math.Round(1000 * Math.Pow(1.5, i))).ToArray();
        Series[] many = Enumerable.Range(0, 12).Select(s => new Series($"series {s + 1}",
            steps.Select((x, i) => new Point(x, 0.05 + 0.07 * s + 0.01 * i, 0.03 + 0.07 * s + 0.01 * i,
                0.07 + 0.07 * s + 0.01 * i)).ToArray())).ToArray();
        Figures.LinesOverCheckpoints(Path.Combine(dir, "lines-crowded.png"), "20 checkpoints, 12 series", "accuracy", many);
        Figures.LinesOverCheckpoints(Path.Combine(dir, "lines-log-small.png"), "Log spacing, 480×320", "accuracy",
            FigureSamples.MnliBaseVsFineTuned(), CheckpointSpacing.Log, width: 480, height: 320);
        string[] longGroups = ["classification → generation", "generation → classification", "NLI out of domain",
            "paraphrase out of domain", "summary out of domain"];
        Figures.GroupedBars(Path.Combine(dir, "bars-long-labels.png"), "Out-of-domain change after fine-tuning",
            "change vs base", longGroups, [new("ROUGE-L / accuracy", [new(-0.051, -0.07, -0.03), new(0.002, -0.01, 0.014),
                new(0.25, 0.2, 0.3), new(-0.12, -0.2, -0.05), new(-0.003, -0.01, 0.004)])], xLabel: "transfer");
        string[] tasks = Enumerable.Range(1, 9).Select(i => $"task {i}").ToArray();
        var big = new double[9, 9];
        for (int r = 0; r < 9; r++)
            for (int c = 0; c < 9; c++)
                big[r, c] = r == c ? 0.3 + 0.02 * r : Math.Sin(r * 9 + c) * 0.08;
        Figures.Heatmap(Path.Combine(dir, "heatmap-9x9.png"), "9×9 transfer", tasks, tasks, big);

        string[] names = ["lines-equal", "lines-linear", "bars", "heatmap", "lines-crowded", "lines-log-small",
            "bars-long-labels", "heatmap-9x9"];
        Assert.All(names, n => Assert.True(File.Exists(Path.Combine(dir, n + ".png")), n));
    }
}
