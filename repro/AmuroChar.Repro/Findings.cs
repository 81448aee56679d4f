using AmuroChar.Findings;
using Xunit;

namespace AmuroChar.Repro;

/// <summary>Finding 1: some tasks are learned during pre-training, others not at all.</summary>
public sealed class PretrainingLearnsSomeTasksAndNotOthers(StudyFixture fixture) : FindingTests<DichotomyInPretraining>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(Checkpoints))]
    public void Base_model_scores_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void The_learned_suites_rise_with_pretraining(long worldSeed) =>
        Holds(In(worldSeed).LearnedSuitesRise(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void The_fine_tuning_tasks_stay_flat_at_chance_or_floor(long worldSeed) =>
        Holds(In(worldSeed).FineTuneTasksStayFlat(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}

/// <summary>Finding 2: continued pre-training improves the model in ways only fine-tuning reveals, and fine-tuning
/// helps most where pre-training showed no ability.</summary>
public sealed class FineTuningRevealsLatentImprovement(StudyFixture fixture) : FindingTests<LatentImprovement>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(FineTunedCheckpoints))]
    public void Fine_tuned_and_base_scores_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Fine_tuned_models_score_far_above_their_base_models_by_half_the_papers_smallest_gain(long worldSeed) =>
        Holds(In(worldSeed).FineTuningHelpsFar(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void The_fine_tuned_score_rises_with_pretraining_while_the_base_score_stays_flat(long worldSeed) =>
        Holds(In(worldSeed).FineTunedScoreRisesWithPretraining(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Fine_tuning_gains_most_where_pretraining_showed_no_ability_and_that_gain_outgrows_instruction_tunings(long worldSeed) =>
        Holds(In(worldSeed).GainLargeWhereNotLearned(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}

/// <summary>Finding 3: supervised fine-tuning forgets tasks it did not see.</summary>
public sealed class FineTuningForgetsUnseenTasks(StudyFixture fixture) : FindingTests<TaskTransfer>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(FineTunedCheckpoints))]
    public void Transfer_changes_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Classification_fine_tuning_lowers_generation_scores(long worldSeed) =>
        Holds(In(worldSeed).ClassificationHurtsGeneration(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Generation_fine_tuning_leaves_classification_about_unchanged(long worldSeed) =>
        Holds(In(worldSeed).GenerationLeavesClassification(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}

/// <summary>Finding 4: supervised fine-tuning can forget domain knowledge.</summary>
public sealed class FineTuningCanForgetDomainKnowledge(StudyFixture fixture) : FindingTests<DomainKnowledge>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(FineTunedCheckpoints))]
    public void Out_of_domain_scores_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Nli_fine_tuning_improves_its_out_of_domain_sets(long worldSeed) =>
        Holds(In(worldSeed).ImprovesOutOfDomain(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Question_generation_fine_tuning_lowers_sciq_question_generation(long worldSeed) =>
        Holds(In(worldSeed).ForgetsScienceQuestions(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}

/// <summary>Finding 5: after fine-tuning the model is sensitive to the prompt format, less so with more pre-training.</summary>
public sealed class FineTunedModelsAreSensitiveToThePromptFormat(StudyFixture fixture) : FindingTests<FormatSensitivity>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(FineTunedCheckpoints))]
    public void Format_scores_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Fine_tuned_models_score_lower_in_other_formats(long worldSeed) =>
        Holds(In(worldSeed).FineTunedModelsAreFormatSensitive(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void The_format_gap_shrinks_with_more_pretraining_on_checkpoints_without_constant_predictions(long worldSeed) =>
        Holds(In(worldSeed).GapShrinksWithPretraining(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}

/// <summary>Finding 6: instruction tuning changes the suites learned in pre-training little, at every checkpoint,
/// although it demonstrably changes the model (positive control: held-out instructions).</summary>
public sealed class InstructionTuningChangesLearnedSuitesLittle(StudyFixture fixture) : FindingTests<InstructionTuning>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(FineTunedCheckpoints))]
    public void Instruction_tuning_scores_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Instruction_tuning_learns_held_out_instructions_yet_changes_the_learned_suites_little(long worldSeed) =>
        Holds(In(worldSeed).ChangesLearnedSuitesLittle(), worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}

/// <summary>The prediction methods for classification, recorded as the paper records them.</summary>
public sealed class PredictionMethodsAreRecorded(StudyFixture fixture) : FindingTests<PredictionMethods>(fixture)
{
    [Theory(SkipTestWithoutData = true), MemberData(nameof(FineTunedCheckpoints))]
    public void Method_scores_match_the_baseline(int step, long worldSeed) => MatchesBaseline(step, worldSeed);

    [Theory, MemberData(nameof(WorldSeeds))]
    public void Figures_are_written(long worldSeed) => WritesFigures(worldSeed);
}
