using AmuroChar.Findings;
using AmuroChar.Grid;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tasks;
using Xunit;

namespace AmuroChar.Tests.Findings;

/// <summary>Temporary: the derived requirements equal the hand-written Requires() at every scale.</summary>
public class DerivedEqualsHandWrittenTests
{
    public static TheoryData<string> Scales => new(Scale.Names);

    [Theory, MemberData(nameof(Scales))]
    public void Derived_requirements_equal_the_hand_written_ones(string name)
    {
        var scale = Scale.ByName(name);
        IReadOnlyList<int> checkpoints = name == "paper" ? GridSpec.PaperCheckpoints : scale.Checkpoints;
        var m = new Measurements(AmuroChar.Study.StudyEngine.ForPlanning(new Planning(scale, checkpoints)));
        var declared = Declaration.All(scale, checkpoints);
        foreach (var f in Finding.All(m))
        {
            var hand = f.Requires().ToHashSet();
            Assert.NotEmpty(hand);
            var derived = declared.Single(d => d.Id == f.Id).Requirements;
            Assert.Equal(derived.Count, derived.Distinct().Count());
            var missing = hand.Except(derived).ToList();
            var extra = derived.Except(hand).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{name} {f.Id}: hand {hand.Count}, derived {derived.Count}; only hand-written: {string.Join("; ", missing.Take(5))}; only derived: {string.Join("; ", extra.Take(5))}");
        }
    }

    sealed class Planning(Scale scale, IReadOnlyList<int> checkpoints) : IStudyInputs
    {
        public string ScaleName => scale.Name;
        public Scale Scale => scale;
        public IReadOnlyList<int> Checkpoints => checkpoints;
        public AmuroChar.Tokenization.HfTokenizer Tokenizer => throw new InvalidOperationException();
        public DatasetCatalog Datasets => throw new InvalidOperationException();
        public string CheckpointDirectory(int step) => throw new InvalidOperationException();
        public ResultKey Identity => throw new InvalidOperationException();
    }
}
