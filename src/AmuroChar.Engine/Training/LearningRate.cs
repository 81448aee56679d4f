namespace AmuroChar.Training;

/// <summary>Learning-rate schedules as functions of the step (so a resumed run computes the same rates).</summary>
public static class LearningRate
{
    /// <summary>Linear warmup to the peak, then cosine decay to peak × finalRatio at the last step.</summary>
    public static double WarmupCosine(int step, int totalSteps, int warmupSteps, double peak, double finalRatio)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        double progress = totalSteps <= warmupSteps ? 1 : (double)(step - warmupSteps) / (totalSteps - warmupSteps);
        return peak * (finalRatio + (1 - finalRatio) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
    }

    /// <summary>transformers' get_linear_schedule_with_warmup: up linearly over the warmup, then linearly to 0.</summary>
    public static double WarmupLinear(int step, int totalSteps, int warmupSteps, double peak)
    {
        if (step < warmupSteps) return peak * step / Math.Max(1, warmupSteps);
        return peak * Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps));
    }
}
