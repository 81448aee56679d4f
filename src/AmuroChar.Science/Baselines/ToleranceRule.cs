using AmuroChar.Evaluation;

namespace AmuroChar.Baselines;

/// <summary>
/// How far a measured mean may move from its baseline before the snapshot reports it as changed.
/// <para>
/// The rule: <c>tolerance = max(Multiplier × max(h_baseline, h_measured), Floor)</c>, where <c>h</c> is the half-width
/// <c>(Hi − Lo) / 2</c> of a 95% interval (the average of both sides when the interval is lopsided). A metric matches
/// when <c>|measured.Mean − baseline.Mean| ≤ tolerance + BaselineFile.RoundingSlack</c>; the slack (half a unit in the
/// last stored decimal) is added by <see cref="Snapshot"/> because the baseline file holds rounded values, so the exact
/// baseline is only known to that precision. So a measurement within the tolerance of the exact baseline always
/// matches (even next to a rounding midpoint), and one more than tolerance + 2 × slack away never does; the file's
/// resolution (1e-4) is the limit of what a snapshot can see.
/// </para>
/// <para>
/// Why the larger of the two half-widths: either interval says how much the metric can move under resampling, and a
/// change well inside the noise of either run is not a finding. Why a floor: a deterministic metric (or a tiny
/// difference) has a zero-width interval, and the floor then demands near-exact equality instead of a tolerance of 0
/// that the last bit of a floating-point sum could break. On this project's CPU path runs are bitwise reproducible per
/// seed, so the difference is normally exactly 0; the tolerance is for other machines, thread counts and the GPU.
/// </para>
/// <para>
/// A baseline without an interval of its own (numbers taken from elsewhere, such as the paper's, stored with
/// <c>ci95 = [mean, mean]</c> and <c>n = 0</c>) has half-width 0, so the measured interval alone sets the tolerance.
/// </para>
/// </summary>
public sealed record ToleranceRule
{
    public double Multiplier { get; }
    public double Floor { get; }
    /// <summary>The interval's bounds must match too, not only the mean (the <see cref="Exact"/> rule: the same bits
    /// give the same bootstrap, so a moved bound with an unmoved mean is a change in which items scored what).</summary>
    public bool ComparesIntervals { get; private init; }

    ToleranceRule(double multiplier, double floor)
    {
        if (!(multiplier >= 0) || double.IsInfinity(multiplier)) throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "must be finite and >= 0");
        if (!(floor >= 0) || double.IsInfinity(floor)) throw new ArgumentOutOfRangeException(nameof(floor), floor, "must be finite and >= 0");
        Multiplier = multiplier;
        Floor = floor;
    }

    /// <summary>The default: one CI half-width (the larger of baseline's and measurement's), at least 1e-9.</summary>
    public static ToleranceRule Default { get; } = CiHalfWidth();

    /// <summary><c>max(multiplier × larger CI half-width, floor)</c>; e.g. <c>CiHalfWidth(0.5)</c> is stricter.</summary>
    public static ToleranceRule CiHalfWidth(double multiplier = 1.0, double floor = 1e-9) => new(multiplier, floor);

    /// <summary>
    /// The rule under the baselines' own numeric path, where a seed is bitwise reproducible: a measurement must equal its
    /// baseline to the stored resolution (the floor only absorbs the last bit of a sum), its mean and both bounds of its
    /// interval. Any change is a diff to review.
    /// </summary>
    public static ToleranceRule Exact { get; } = new(0, 1e-9) { ComparesIntervals = true };

    /// <summary>
    /// The rule on another numeric platform (another fingerprint), where the same seed trains a different model: 3.3
    /// times the larger 95% half-width. Derived (<see cref="ToleranceCalibration"/>) from a complete second run whose bits
    /// differ, so pre-training's variance is in it, not only fine-tuning's: tiny scale, world seed 1, the committed
    /// baselines against a run with ATen's AVX-512 kernels (tests/…/Fixtures/tiny-native). Of 596 metrics 247 changed;
    /// of the 553 with a non-zero interval the median change is 0, the 99th percentile 1.48 half-widths and the largest
    /// 2.2 (MNLI-mismatched, base model at step 350: .4125 → .5225, a pre-training difference). An exponential tail
    /// fitted above the 90th percentile puts a 5% chance of flagging any of the 553 by chance at 3.23 half-widths, so
    /// 3.3 (the earlier 3, calibrated on fine-tuning seeds alone, had about 9%). The one Intel run seen moved its
    /// largest metric by 1.8 half-widths. The price: on another platform a true regression smaller than 3.3 half-widths
    /// (≈ .16 accuracy at the median half-width of .048) can pass; on the baselines' own platform the rule is
    /// <see cref="Exact"/>.
    /// </summary>
    public static ToleranceRule CrossPlatform { get; } = CiHalfWidth(3.3);

    /// <summary>A fixed tolerance that ignores the intervals.</summary>
    public static ToleranceRule Absolute(double tolerance) => new(0, tolerance);

    public static double HalfWidth(Estimate e) => (e.Hi - e.Lo) / 2;

    /// <summary>The tolerance for one metric, before the rounding slack of the stored baseline.</summary>
    public double For(Estimate baseline, Estimate measured) =>
        Math.Max(Multiplier * Math.Max(HalfWidth(baseline), HalfWidth(measured)), Floor);

    public override string ToString() =>
        ComparesIntervals ? $"exact: mean and interval within {BaselineFile.Short(Floor)}"
        : Multiplier == 0 ? $"absolute {BaselineFile.Short(Floor)}"
            : $"max({BaselineFile.Short(Multiplier)} × larger CI half-width, {BaselineFile.Short(Floor)})";
}
