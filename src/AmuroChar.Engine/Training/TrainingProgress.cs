namespace AmuroChar.Training;

/// <summary>What a long-running phase reports after each step; the CLI shows it as a progress bar.</summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond);
