using AmuroChar.Findings;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Running;

namespace AmuroChar.Grid;

/// <summary>
/// Splits a study into cells from the findings' own declarations (<see cref="Declaration.RequirementsOf"/>, derived by
/// a recording run that knows only the scale and the checkpoints, so planning loads nothing), the same list
/// <see cref="StudyRunner"/> computes, so the plan and the grid can't drift from what a single-process run does.
/// </summary>
public static class StudyGrid
{
    /// <summary>The cells of every stage, in the order array indices refer to.</summary>
    public static IReadOnlyList<GridCell> Cells(GridSpec spec)
    {
        var scale = spec.ResolveScale();
        var checkpoints = spec.Checkpoints();
        var ids = spec.Findings ?? Declaration.All(scale, checkpoints).Select(d => d.Id).ToList();
        return Cells(Declaration.RequirementsOf(scale, checkpoints, ids));
    }

    /// <summary>The spec's findings over <paramref name="m"/>: all of them, or those it names.</summary>
    public static IReadOnlyList<Finding> Findings(GridSpec spec, Measurements m)
    {
        var all = Finding.All(m);
        if (spec.Findings is null) return all;
        foreach (var id in spec.Findings)
            if (all.All(f => f.Id != id)) throw new ArgumentException($"unknown finding '{id}'; findings: {string.Join(", ", all.Select(f => f.Id))}");
        return all.Where(f => spec.Findings.Contains(f.Id)).ToList();
    }

    static IReadOnlyList<GridCell> Cells(IReadOnlyList<Requirement> requirements)
    {
        var cells = new List<GridCell> { new("pretrain", GridStage.Pretrain, null, []) };
        // The order StudyRunner trains in: by dataset, step, seed.
        var tuned = requirements.Select(r => r.Model).Where(x => !x.IsBase).Distinct()
            .OrderBy(x => x.FineTunedOn, StringComparer.Ordinal).ThenBy(x => x.Step).ThenBy(x => x.Seed);
        cells.AddRange(tuned.Select(model => new GridCell($"finetune {model}", GridStage.Finetune, model, [])));
        var byModel = requirements.GroupBy(r => r.Model)
            .OrderBy(g => g.Key.FineTunedOn ?? "", StringComparer.Ordinal).ThenBy(g => g.Key.Step).ThenBy(g => g.Key.Seed);
        cells.AddRange(byModel.Select(g => new GridCell($"evaluate {g.Key}", GridStage.Evaluate, g.Key, g.ToList())));
        cells.Add(new("judge", GridStage.Judge, null, []));
        return cells;
    }

    public static IReadOnlyList<GridCell> Stage(this IReadOnlyList<GridCell> cells, GridStage stage) => cells.Where(c => c.Stage == stage).ToList();
}
