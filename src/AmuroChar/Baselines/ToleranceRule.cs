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
    /// baseline to the stored resolution (the floor only absorbs the last bit of a sum). Any change is a diff to review.
    /// </summary>
    public static ToleranceRule Exact { get; } = Absolute(1e-9);

    /// <summary>
    /// The rule on another numeric platform, where the same seed trains a different model: three times the larger 95%
    /// half-width. Calibrated from measured run-to-run variance (tiny scale, world seed 1, 2026-11-30): another CPU
    /// changes a fine-tuned model as a new fine-tuning seed does, so a 3-seed mean moves with standard deviation
    /// σ_seed·√(2/3), where σ_seed is the seed-to-seed spread measured on the three seeds of each of the 132
    /// fine-tuned cells (up to .198: QQP after PAWS fine-tuning scored .323, .580, .673). That deviation is at most
    /// 0.72 of the cell's half-width (which resamples seeds and items; median 0.19). For a 5% chance of flagging any
    /// of the ~600 baseline metrics by chance (Bonferroni, two-sided), a change must exceed z = 3.93 of its standard
    /// deviation: 3.93 × 0.72 = 2.84 half-widths, so 3. The price: a true regression smaller than three half-widths
    /// (about .12–.15 accuracy at 400 items) passes on another platform; on the baselines' own platform the rule is
    /// <see cref="Exact"/>. Base models are one pre-training run, whose cross-platform spread was not measured (one
    /// referee run on an AVX-512 CPU moved a base accuracy by .0025).
    /// </summary>
    public static ToleranceRule CrossPlatform { get; } = CiHalfWidth(3.0);

    /// <summary>A fixed tolerance that ignores the intervals.</summary>
    public static ToleranceRule Absolute(double tolerance) => new(0, tolerance);

    public static double HalfWidth(Estimate e) => (e.Hi - e.Lo) / 2;

    /// <summary>The tolerance for one metric, before the rounding slack of the stored baseline.</summary>
    public double For(Estimate baseline, Estimate measured) =>
        Math.Max(Multiplier * Math.Max(HalfWidth(baseline), HalfWidth(measured)), Floor);

    public override string ToString() =>
        Multiplier == 0 ? $"absolute {BaselineFile.Short(Floor)}"
            : $"max({BaselineFile.Short(Multiplier)} × larger CI half-width, {BaselineFile.Short(Floor)})";
}
