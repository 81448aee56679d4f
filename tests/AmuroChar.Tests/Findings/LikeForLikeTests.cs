using AmuroChar.Findings;
using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Tests.Findings;

/// <summary>
/// What the tiny study computes, listed without computing it (the inputs are lazy): every gain compares a fine-tuned
/// model with its base model at the same shots, the paper's few-shot base is there to report beside it, and every
/// fine-tuned cell has the scale's three seeds.
/// </summary>
public class LikeForLikeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("amurochar-like-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    List<Requirement> TinyRequirements(out Measurements m)
    {
        var store = new ResultStore(Path.Combine(_dir, "store"));
        m = new Measurements(new AmuroChar.Study.StudyEngine(new TinyInputs(Scale.Tiny, 1, store), store));
        return [.. Declaration.RequirementsOf(m, Finding.All(m))];
    }

    [Fact]
    public void Every_fine_tuned_evaluation_has_a_base_at_the_same_shots_and_one_at_the_papers()
    {
        var required = TinyRequirements(out var m);
        Assert.True(m.ShotsDiffer);   // tiny: fine-tuned 0-shot, base 4-shot
        var fineTuned = required.Where(r => !r.Model.IsBase && r.Model.FineTunedOn != AmuroChar.Study.ModelRef.Instruction && r.Format == "default" && r.Method is null);
        foreach (var r in fineTuned)
        {
            Assert.Contains(new Requirement(AmuroChar.Study.ModelRef.Base(r.Model.Step), r.Dataset, Shots: Scale.Tiny.FineTunedShots), required);
            Assert.Contains(new Requirement(AmuroChar.Study.ModelRef.Base(r.Model.Step), r.Dataset), required);
        }
    }

    [Fact]
    public void Every_fine_tuned_cell_has_three_seeds()
    {
        var required = TinyRequirements(out var m);
        Assert.Equal(3, m.Seeds.Count);
        var cells = required.Where(r => !r.Model.IsBase && r.Model.FineTunedOn != AmuroChar.Study.ModelRef.Instruction)
            .GroupBy(r => (r.Model.Step, r.Model.FineTunedOn, r.Dataset, r.Format, r.Method));
        Assert.All(cells, c => Assert.Equal(m.Seeds.Order(), c.Select(r => r.Model.Seed).Order()));
    }
}
