using AmuroChar.Study;
using AmuroChar.Tasks;

namespace AmuroChar.Findings;

/// <summary>One evaluation a finding needs: a model (which may first need fine-tuning), a dataset, a format, a method,
/// and the number of demonstrations (null: the scale's default for that kind of model). Derived from the findings'
/// code, never listed by hand (<see cref="Declaration"/>).</summary>
public sealed record Requirement(ModelRef Model, string Dataset, string Format = TaskDefinition.DefaultFormat, string? Method = null, int? Shots = null);
