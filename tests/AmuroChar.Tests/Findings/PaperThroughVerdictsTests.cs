using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Tests.Findings;

/// <summary>
/// The paper's own numbers through every verdict this suite asserts: a rule that fails on the numbers behind the
/// paper's sentence is either wrong or measures something the sentence does not say. Each number becomes per-item
/// scores on a set of the real evaluation split's size (accuracy: exactly that share of 0/1 items; ROUGE-L: continuous
/// scores with that mean, standard deviation about 0.1), drawn afresh at every checkpoint and for every model, so
/// differences carry the noise of independent samples (more than the paired reality). The thresholds derived from the
/// file are checked against it here, beside the verdicts that use them.
/// </summary>
public sealed class PaperThroughVerdictsTests
{
    static readonly PaperResults Paper = PaperResults.Load();

    /// <summary>Full evaluation splits (HF datasets); GPT3NLI's size is not in the digest, so a conservative 1,000.</summary>
    static readonly Dictionary<string, int> Size = new()
    {
        ["arc_challenge"] = 1172, ["arc_easy"] = 2376, ["boolq"] = 3270, ["hellaswag"] = 10042, ["openbookqa"] = 500, ["sciq"] = 1000,
        ["mnli_matched"] = 9815, ["mnli_mismatched"] = 9832, ["paws"] = 8000, ["xsum"] = 11334, ["socialiqa"] = 1954,
        ["rte"] = 2490, ["gpt3nli"] = 1000, ["sciq_qg"] = 1000,
    };

    static readonly string[] Generation = ["xsum", "socialiqa", "sciq_qg"];

    static int[] All => Enumerable.Range(0, Paper.Steps.Count).ToArray();

    /// <summary>The paper's numbers for (set, column) at the given checkpoint indices as an item curve named
    /// <paramref name="name"/>; <paramref name="seed"/> keeps two models' draws apart.</summary>
    static ItemCurve Curve(string set, string column, int[] at, ulong seed, string? name = null)
    {
        // SciQ question generation is the "sciq" block's ROUGE columns (base4, ft_socialiqa); its size is SciQ's test split.
        bool generation = Generation.Contains(name ?? set) || (set == "sciq" && column is "base4" or "ft_socialiqa");
        int n = Size[name ?? set];
        var steps = at.Select(i => Paper.Steps[i]).ToList();
        var items = at.Select((i, k) =>
        {
            double value = Paper.At(set, column, i);
            ulong s = seed * 1000 + (ulong)k;
            return (IReadOnlyList<double>)(generation ? Synthetic.Continuous(n, value, 0.35, s) : Synthetic.Binary(n, value, s));
        }).ToList();
        return new ItemCurve(name ?? set, steps, items);
    }

    static PairedCurve Paired(string set, string tuned, string base_, int[] at, ulong seed, string? name = null) =>
        new(Curve(set, tuned, at, seed, name), Curve(set, base_, at, seed + 500, name));

    static readonly string[] Suites = ["arc_easy", "arc_challenge", "sciq", "hellaswag", "openbookqa", "boolq"];
    static readonly (string Set, string Column)[] FineTuned = [("xsum", "ft_xsum"), ("socialiqa", "ft_socialiqa"), ("mnli_matched", "ft_mnli"), ("paws", "ft_paws")];

    static void AssertHolds(Verdict v) => Assert.True(v.Holds, v.Explain());

    [Fact]
    public void Finding_1_the_learned_suites_rise() =>
        AssertHolds(DichotomyVerdicts.LearnedSuitesRise(Suites.Select((s, k) => Curve(s, "base(it)", All, 10 + (ulong)k)).ToList()));

    [Fact]
    public void Finding_1_the_fine_tuning_tasks_stay_flat_at_chance_or_floor() =>
        AssertHolds(DichotomyVerdicts.FineTuneTasksStayFlat(FineTuned.Select((t, k) => new DichotomyVerdicts.BaseTask(
            Curve(t.Set, "base4", All, 20 + (ulong)k), Generation.Contains(t.Set) ? "rougeL" : "acc",
            DichotomyVerdicts.LimitFor(Generation.Contains(t.Set), t.Set == "paws" ? 2 : 3))).ToList()));

    [Fact]
    public void Finding_2_fine_tuned_models_score_far_above_their_base_models() =>
        AssertHolds(LatentImprovementVerdicts.FineTuningHelpsFar(FineTuned.Select((t, k) => Paired(t.Set, t.Column, "base4", All, 30 + (ulong)k)).ToList()));

    [Fact]
    public void Finding_2_the_fine_tuned_score_rises_while_the_base_stays_flat() =>
        AssertHolds(LatentImprovementVerdicts.FineTunedRisesWhileBaseFlat(FineTuned.Select((t, k) => Paired(t.Set, t.Column, "base4", All, 40 + (ulong)k)).ToList()));

    [Fact]
    public void Finding_2_fine_tuning_gains_most_where_pretraining_showed_no_ability() =>
        AssertHolds(LatentImprovementVerdicts.GainMostWhereNotLearned(
            FineTuned.Select((t, k) => Paired(t.Set, t.Column, "base4", All, 50 + (ulong)k)).ToList(),
            Suites.Select((s, k) => Paired(s, "ft_tulu(it)", "base(it)", All, 60 + (ulong)k)).ToList()));

    /// <summary>
    /// Finding 6 on the paper's Tulu numbers (ranked accuracy before and after instruction tuning). The file has no
    /// held-out instruction numbers, so the control is a stand-in that always works and only the suites' clauses are
    /// read. Chance: 1/4 for the four-way suites, BoolQ's majority share .622 (its base .48–.62 never beats it, so it
    /// is left out, as it should be: the paper lists BoolQ among the tasks pre-training does not learn).
    /// </summary>
    [Fact]
    public void Finding_6_instruction_tuning_changes_the_learned_suites_little_where_the_base_discriminates()
    {
        var chance = new Dictionary<string, double> { ["arc_easy"] = 0.25, ["arc_challenge"] = 0.25, ["sciq"] = 0.25, ["hellaswag"] = 0.25, ["openbookqa"] = 0.25, ["boolq"] = 0.622 };
        var suites = Suites.Select((s, k) => new InstructionTuningVerdicts.Suite(Paired(s, "ft_tulu(it)", "base(it)", All, 130 + (ulong)k),
            All.Select(i => Discriminates(Paper.At(s, "base(it)", i), Size[s], chance[s])).ToList())).ToList();
        var b = Curve("sciq", "base(it)", All, 140);
        var v = InstructionTuningVerdicts.ChangesLearnedSuitesLittle(suites, new PairedCurve(Synthetic.Shifted(b, [.. All.Select(_ => 0.3)]), b));
        // From 342k on, where the suites are learned, every suite clause holds. Before, SciQ gains .10 (1k) and .08
        // (18k) and the pool is .063 [.038, .088] at 1k, .041 [.023, .061] at 18k: the paper's "little" follows from its numbers only once pre-training has
        // learned the suites (the README says so), which is the paper's own framing (tasks *solved* in pre-training).
        var suiteClauses = v.Clauses.Where(c => !c.Name.EndsWith("control effective")).ToList();
        var learned = suiteClauses.Where(c => int.Parse(c.Name.Split(' ', ':')[1]) >= 342000).ToList();
        Assert.True(learned.Count == 12 && learned.All(c => c.Outcome == ClauseOutcome.Holds), v.Explain());
        Assert.Equal(["step 1000: pooled change within ±0.05", "step 1000: no suite beyond ±0.05", "step 18000: pooled change within ±0.05", "step 18000: no suite beyond ±0.05"],
            v.Failing.Where(f => !f.EndsWith("control effective")));
        Assert.Contains(v.Clauses, c => c.Name == "step 18000: no suite beyond ±0.05" && c.Evidence.Contains("sciq"));
        Assert.Contains(v.Context, l => l.Contains("left out") && l.Contains("boolq"));
    }

    /// <summary>"Far": half the paper's smallest fine-tuning gain at its last checkpoint (XSum .183 − .071).</summary>
    [Fact]
    public void FarGain_is_half_the_papers_smallest_last_checkpoint_gain()
    {
        int last = Paper.Steps.Count - 1;
        double smallest = FineTuned.Min(t => Paper.At(t.Set, t.Column, last) - Paper.At(t.Set, "base4", last));
        Assert.Equal(LatentImprovementVerdicts.FarGain, Math.Round(smallest / 2, 3), 3);
    }

    /// <summary>"Most": half the paper's gap, at its last checkpoint, between the mean fine-tuning gain and the mean
    /// instruction-tuning gain, each defined as the verdict defines it (each dataset weighing equally).</summary>
    [Fact]
    public void MostGap_is_half_the_papers_last_checkpoint_gap_under_the_verdicts_definition()
    {
        int last = Paper.Steps.Count - 1;
        double ft = FineTuned.Average(t => Paper.At(t.Set, t.Column, last) - Paper.At(t.Set, "base4", last));
        double it = Suites.Average(s => Paper.At(s, "ft_tulu(it)", last) - Paper.At(s, "base(it)", last));
        Assert.Equal(LatentImprovementVerdicts.MostGap, Math.Floor((ft - it) / 2 * 100) / 100, 3);
    }

    /// <summary>"Little": the paper's largest mean instruction-tuning gain on the six learned suites over its
    /// checkpoints, as the verdict computes it (each suite equal: .040, at 424k), rounded up to the hundredth. (The
    /// digest's .048 is the authors' mean over other sets; it rounds up to the same .05.)</summary>
    [Fact]
    public void Little_is_the_papers_largest_mean_instruction_tuning_gain_rounded_up()
    {
        double largest = All.Max(i => Suites.Average(s => Paper.At(s, "ft_tulu(it)", i) - Paper.At(s, "base(it)", i)));
        Assert.InRange(largest, 0.04, InstructionTuningVerdicts.Little);
        Assert.Equal(InstructionTuningVerdicts.Little, Math.Ceiling(largest * 100) / 100, 6);
        Assert.Equal(LatentImprovementVerdicts.FarGain, InstructionTuningVerdicts.ControlGain);   // the control's effect is "far"
    }

    /// <summary>"About unchanged": the paper's classification → generation change (−.051) is the smallest change it
    /// calls forgetting; the band is that, truncated to the hundredth, so its +.002 the other way lies well inside.</summary>
    [Fact]
    public void Unchanged_is_the_papers_forgetting_change_truncated_and_separates_the_two_directions()
    {
        static double Mean(string[] trained, string[] sets)
        {
            var pairs = trained.SelectMany(c => sets.Select(s => (Column: c, Set: s))).ToList();
            var at = Paper.Complete([.. pairs.Select(p => (p.Set, p.Column)), .. sets.Select(s => (s, "base4"))]);
            return pairs.Average(p => at.Average(i => Paper.At(p.Set, p.Column, i) - Paper.At(p.Set, "base4", i)));
        }
        double forgetting = Mean(["ft_mnli", "ft_paws"], ["xsum", "socialiqa"]), other = Mean(["ft_xsum", "ft_socialiqa"], ["mnli_matched", "paws"]);
        Assert.Equal(TransferVerdicts.Unchanged, Math.Floor(Math.Abs(forgetting) * 100) / 100, 6);
        Assert.True(Math.Abs(other) < TransferVerdicts.Unchanged / 2 && Math.Abs(forgetting) >= TransferVerdicts.Unchanged, $"forgetting {forgetting:0.000}, other direction {other:0.000}");
    }

    /// <summary>"Flat": the largest range (highest − lowest checkpoint) of the paper's flat base curves (XSum .119 at
    /// 18k, .019 at 424k: .100), and below the paper's smallest fine-tuning gain at main (.112).</summary>
    [Fact]
    public void FlatBand_is_the_widest_range_of_the_papers_flat_base_curves_and_below_its_smallest_gain()
    {
        double largest = FineTuned.Max(t =>
        {
            var values = Paper.Complete((t.Set, "base4")).Select(i => Paper.At(t.Set, "base4", i)).ToList();
            return values.Max() - values.Min();
        });
        Assert.Equal(DichotomyVerdicts.FlatBand, Math.Round(largest, 2), 6);
        int last = Paper.Steps.Count - 1;
        Assert.True(DichotomyVerdicts.FlatBand < FineTuned.Min(t => Paper.At(t.Set, t.Column, last) - Paper.At(t.Set, "base4", last)));
    }

    /// <summary>Finding 3, both directions, pooled over the checkpoints where the authors ran every pair.</summary>
    [Fact]
    public void Finding_3_classification_fine_tuning_lowers_generation() =>
        AssertHolds(TransferVerdicts.ClassificationHurtsGeneration(Changes(["ft_mnli", "ft_paws"], ["xsum", "socialiqa"], 70)));

    /// <summary>
    /// The paper's "generation fine-tuning leaves classification about unchanged" (+0.002) is not testable on its own
    /// numbers: at every checkpoint the base model sits at the majority share of the set (MNLI-matched .33–.35 against
    /// entailment's .354; PAWS .48–.56 against "no"'s .558), as do the generation-fine-tuned models, so there was no
    /// classification ability to lose and the change of two guessers is 0 by construction. The verdict says "not
    /// testable", not "holds" (the README says so too). The tables hold accuracies, not predictions, so a base model
    /// counts as discriminating where its accuracy's normal 95% lower bound beats the majority share.
    /// </summary>
    [Fact]
    public void Finding_3_generation_leaves_classification_is_not_testable_on_the_papers_numbers_every_base_is_at_chance()
    {
        var v = TransferVerdicts.GenerationLeavesClassification(Changes(["ft_xsum", "ft_socialiqa"], ["mnli_matched", "paws"], 80));
        Assert.False(v.Testable, v.Explain());
        Assert.Equal(["pooled change within ±0.05", "no cell beyond ±0.05"], v.Untestable);
        // The pooled change itself is what the paper reports: small.
        Assert.Contains(v.Context, l => l.Contains("left out") && l.Contains("ft_xsum → paws step 1000"));
    }

    static readonly Dictionary<string, double> Majority = new() { ["mnli_matched"] = 0.354, ["paws"] = 0.558 };

    static List<TransferVerdicts.Change> Changes(string[] trainedOn, string[] sets, ulong seed)
    {
        var pairs = trainedOn.SelectMany(c => sets.Select(s => (Column: c, Set: s))).ToList();
        var at = Paper.Complete([.. pairs.Select(p => (p.Set, p.Column)), .. sets.Select(s => (s, "base4"))]);
        return pairs.Select((p, k) => new TransferVerdicts.Change(p.Column, p.Set, Generation.Contains(p.Set) ? "rougeL" : "acc",
            Paired(p.Set, p.Column, "base4", at, seed + (ulong)k).Gain,
            Majority.TryGetValue(p.Set, out double majority) ? at.Select(i => Discriminates(Paper.At(p.Set, "base4", i), Size[p.Set], majority)).ToList() : null)).ToList();
    }

    static Discrimination Discriminates(double accuracy, int n, double majority)
    {
        double half = 1.96 * Math.Sqrt(accuracy * (1 - accuracy) / n);
        return new(new AmuroChar.Evaluation.Estimate(accuracy, accuracy - half, accuracy + half, n), majority);
    }

    [Fact]
    public void Finding_4_nli_fine_tuning_improves_its_out_of_domain_sets() =>
        AssertHolds(TransferVerdicts.ImprovesOutOfDomain("NLI", new[] { "mnli_mismatched", "rte", "gpt3nli" }
            .Select((s, k) => Paired(s, "ft_mnli", "base4", All, 90 + (ulong)k)).ToList()));

    [Fact]
    public void Finding_4_question_generation_fine_tuning_lowers_sciq_question_generation() =>
        AssertHolds(TransferVerdicts.ForgetsScienceQuestions(Paired("sciq", "ft_socialiqa", "base4", All, 100, name: "sciq_qg")));

    /// <summary>
    /// Finding 5. The tables have no predicted-label shares, so a fine-tuned model counts as constant where its accuracy
    /// is within 0.005 of one label's share of the gold labels (MNLI-matched validation: entailment .354, neutral .318,
    /// contradiction .327; PAWS test: "no" .558): that is what a model answering one label scores.
    /// </summary>
    static FormatVerdicts.FormatScores Format(string set, string format, ulong seed)
    {
        string block = format == "default" ? set : $"{set}_{format}";
        string column = set == "paws" ? "ft_paws" : "ft_mnli";
        var curve = Curve(block, column, All, seed, name: set);
        double[] rates = set == "paws" ? [0.558, 0.442] : [0.354, 0.318, 0.327];
        var shares = All.Select(i => rates.Any(r => Math.Abs(Paper.At(block, column, i) - r) <= 0.005) ? 1.0 : 0.5).ToList();
        return new(format, curve, shares);
    }

    static List<FormatVerdicts.FormatTask> FormatTasks() =>
        new[] { "mnli_matched", "paws" }.Select((set, k) => new FormatVerdicts.FormatTask(set, Format(set, "default", 110 + (ulong)k * 10),
            [Format(set, "instruct", 111 + (ulong)k * 10), Format(set, "inputoutput", 112 + (ulong)k * 10)])).ToList();

    [Fact]
    public void Finding_5_fine_tuned_models_score_lower_in_other_formats() => AssertHolds(FormatVerdicts.Sensitive(FormatTasks()));

    [Fact]
    public void Finding_5_the_format_gap_shrinks_on_checkpoints_without_constant_predictions() => AssertHolds(FormatVerdicts.GapShrinks(FormatTasks()));
}
