using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmuroChar.Evaluation;
using AmuroChar.Results;
using AmuroChar.Study;
using AmuroChar.Tasks;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Evaluates a study model on a dataset and prints the metrics with their 95% CIs as JSON.</summary>
sealed class EvaluateCommand : Command<EvaluateCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--step <N>"), Description("The pre-training checkpoint: a step of the scale, or main (the paper scale's final model).")]
        public string StepText { get; init; } = "0";

        public int Step => AmuroChar.Checkpoints.CheckpointStep.Parse(StepText);

        [CommandOption("--finetuned-on <NAME>"), Description("Evaluate the checkpoint fine-tuned on this dataset (tulu = instruction-tuned).")]
        public string? FineTunedOn { get; init; }

        [CommandOption("--seed <N>"), Description("Fine-tuning seed of that model.")]
        public long Seed { get; init; } = 42;

        [CommandOption("--dataset <NAME>"), Description("Dataset to evaluate (name, or name/split); see `amurochar datasets list`.")]
        public string Dataset { get; init; } = "";

        [CommandOption("--format <F>"), Description("default, instruct or inputoutput.")]
        public string Format { get; init; } = TaskDefinition.DefaultFormat;

        [CommandOption("--method <M>"), Description("next-word, generate, ranked (classification) or mc (multiple choice); default per task.")]
        public string? Method { get; init; }

        [CommandOption("--shots <K>"), Description("Demonstrations in the prompt (default: the scale's, 4).")]
        public int? Shots { get; init; }

        [CommandOption("--items"), Description("Also print every item's prediction.")]
        public bool Items { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Dataset) ? Spectre.Console.ValidationResult.Error("--dataset NAME is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var store = s.OpenStore();
        var model = s.FineTunedOn is null ? ModelRef.Base(s.Step)
            : s.FineTunedOn == ModelRef.Instruction ? ModelRef.InstructionTuned(s.Step, s.Seed)
            : ModelRef.FineTuned(s.Step, s.FineTunedOn, s.Seed);
        var relay = new ProgressRelay();
        var study = new AmuroChar.Study.StudyEngine(s.Inputs(store, relay), store, relay);
        study.CheckEvaluation(model, s.Dataset, s.Format, s.Method, s.Shots);   // a typo fails now, not after pre-training
        EvalResult result;
        try { result = ProgressDisplay.Run(relay, () => study.Evaluate(model, s.Dataset, s.Format, s.Method, s.Shots)); }
        catch (ResultNotStoredException e) when (e.Result is EvalResult computed)
        {
            Print(computed, s.Items);   // the work is done: show it, then report that the store could not keep it
            throw;
        }
        Print(result, s.Items);
        return 0;
    }

    static void Print(EvalResult result, bool items) =>
        Console.WriteLine(ResultJson(result, items).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    static JsonObject ResultJson(EvalResult r, bool items)
    {
        var metrics = new JsonObject();
        foreach (var (name, e) in r.Metrics)
            metrics[name] = e.ToJson();
        var json = new JsonObject
        {
            ["dataset"] = r.Dataset, ["task"] = r.Task, ["format"] = r.Spec.Format, ["method"] = r.Spec.Method, ["shots"] = r.Spec.Shots,
            ["metrics"] = metrics,
        };
        if (r.LabelShare.Count > 0) json["label_share"] = new JsonObject(r.LabelShare.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        if (items) json["items"] = new JsonArray(r.Items.Select(i => (JsonNode)new JsonObject
            { ["id"] = i.Id, ["prediction"] = i.Prediction, ["reference"] = i.Reference, ["score"] = i.Score }).ToArray());
        return json;
    }
}
