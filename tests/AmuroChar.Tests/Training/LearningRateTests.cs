using AmuroChar.Training;
using Xunit;

namespace AmuroChar.Tests.Training;

public class LearningRateTests
{
    [Theory]
    // total 10, warmup 2, peak 1, final ratio 0.1: warmup (s+1)/2, then 0.1 + 0.45 (1 + cos(pi (s-2)/8))
    [InlineData(0, 0.5)]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(4, 0.868198051533946)]    // 0.1 + 0.45 (1 + cos(pi/4))
    [InlineData(6, 0.55)]                 // halfway: 0.1 + 0.45
    [InlineData(8, 0.231801948466054)]    // 0.1 + 0.45 (1 + cos(3pi/4))
    [InlineData(10, 0.1)]
    [InlineData(12, 0.1)]                 // past the end: stays at the floor
    public void Warmup_cosine_at_hand_computed_points(int step, double expected) =>
        Assert.Equal(expected, LearningRate.WarmupCosine(step, 10, 2, 1.0, 0.1), 12);

    [Fact]
    public void Warmup_cosine_scales_with_the_peak_and_handles_no_warmup()
    {
        Assert.Equal(2e-3 * 0.55, LearningRate.WarmupCosine(6, 10, 2, 2e-3, 0.1), 15);
        Assert.Equal(1.0, LearningRate.WarmupCosine(0, 10, 0, 1.0, 0.0), 12);
        Assert.Equal(0.0, LearningRate.WarmupCosine(10, 10, 0, 1.0, 0.0), 12);
        Assert.Equal(0.25, LearningRate.WarmupCosine(0, 4, 4, 1.0, 0.1), 12);   // all warmup
    }

    [Theory]
    // transformers' get_linear_schedule_with_warmup, total 10, warmup 2: s/2, then (10 - s)/8
    [InlineData(0, 0.0)]
    [InlineData(1, 0.5)]
    [InlineData(2, 1.0)]
    [InlineData(6, 0.5)]
    [InlineData(9, 0.125)]
    [InlineData(10, 0.0)]
    [InlineData(11, 0.0)]
    public void Warmup_linear_at_hand_computed_points(int step, double expected) =>
        Assert.Equal(expected, LearningRate.WarmupLinear(step, 10, 2, 1.0), 12);

    [Fact]
    public void Warmup_linear_without_warmup_starts_at_the_peak()
    {
        Assert.Equal(3e-4, LearningRate.WarmupLinear(0, 10, 0, 3e-4), 15);
        Assert.Equal(3e-4 * 0.7, LearningRate.WarmupLinear(3, 10, 0, 3e-4), 15);
    }
}
