using AmuroChar.Study;
using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Study;

/// <summary>The findings suite's first `dotnet test` trains for minutes; these lines say what it is doing without
/// flooding: one per phase edge, otherwise at most one per interval.</summary>
public class ProgressLinesTests
{
    [Fact]
    public void Phase_edges_always_print_and_training_steps_at_most_once_per_interval()
    {
        var lines = new List<string>();
        var now = TimeSpan.Zero;
        var progress = new ProgressLines(lines.Add, TimeSpan.FromSeconds(30), () => now);

        progress.Report(new JobProgress("pre-train", 0, 1));
        for (int step = 1; step <= 700; step++)
        {
            now = TimeSpan.FromSeconds(step * 0.5);   // 350 s of pre-training
            progress.Report(new TrainingProgress("pretrain", step, 700, 2.5, 1e-3, 10_000));
        }
        progress.Report(new JobProgress("pre-train", 1, 1));
        progress.Report(new JobProgress("fine-tune", 0, 20));
        now += TimeSpan.FromSeconds(1);
        progress.Report(new JobProgress("fine-tune", 1, 20));   // within the interval: folded into the next line

        Assert.Equal("[00:00] pre-train: 0/1 jobs done", lines[0]);
        Assert.InRange(lines.Count, 350 / 30 + 2, 350 / 30 + 5);   // ~one line per 30 s, plus the edges
        Assert.Contains(lines, l => l.Contains("pretrain step ") && l.Contains("/700, loss 2.500, 10000 tok/s"));
        Assert.Equal("[05:50] pre-train: 1 job done", lines[^2]);
        Assert.Equal("[05:50] fine-tune: 0/20 jobs done", lines[^1]);

        now += TimeSpan.FromSeconds(30);
        progress.Report(new JobProgress("fine-tune", 2, 20));
        Assert.Equal("[06:21] fine-tune: 2/20 jobs done", lines[^1]);   // the last phase's training step is not repeated
    }
}
