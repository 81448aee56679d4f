using System.Collections.Concurrent;
using System.Text.Json;
using AmuroChar.Checkpoints;
using AmuroChar.Evaluation;
using AmuroChar.Model;
using AmuroChar.Results;
using AmuroChar.Tasks;
using AmuroChar.Training;

namespace AmuroChar.Study;

/// <summary>One evaluation of a model: a dataset (or "name/split"), a format, a method and a number of demonstrations
/// (null: the defaults for the dataset's task and the model's kind).</summary>
public sealed record EvaluationRequest(string Dataset, string Format = TaskDefinition.DefaultFormat, string? Method = null, int? Shots = null);

/// <summary>A model of the study: a pre-training checkpoint as it is, fine-tuned on a dataset, or instruction-tuned.</summary>
public sealed record ModelRef(int Step, string? FineTunedOn = null, long Seed = 0)
{
    /// <summary>What an instruction-tuned model is tuned on: the instruction data of <see cref="DatasetSpecs"/>.</summary>
    public static readonly string Instruction = DatasetSpecs.Instructions.Name;
    public static ModelRef Base(int step) => new(step);
    public static ModelRef FineTuned(int step, string dataset, long seed) => new(step, dataset, seed);
    public static ModelRef InstructionTuned(int step, long seed = 42) => new(step, Instruction, seed);
    public bool IsBase => FineTunedOn is null;
    public override string ToString() => IsBase ? CheckpointStep.FileStem(Step) : $"{CheckpointStep.FileStem(Step)}+{FineTunedOn}(seed {Seed})";
}

/// <summary>
/// The engine the findings run on: fine-tunes, instruction-tunes and evaluates checkpoints, storing every model and
/// result in the result store under a key of everything that produced it, so each is computed once and reused.
/// Every key carries <see cref="CodeVersion.Current"/>: the engine's source hash, the numeric path and the thread-count
/// class (1, 2 and 4 threads give bitwise identical results; see TorchRuntime).
/// </summary>
/// <param name="warn">Where warnings go (special-token files that disagree); standard error by default.</param>
public sealed class StudyEngine(IStudyInputs inputs, ResultStore? store, IProgress<TrainingProgress>? progress = null, Action<string>? warn = null)
{
    /// <summary>The result store; a study made without one (<see cref="ForPlanning"/>) can say what the findings need
    /// but not compute it.</summary>
    ResultStore Store => store ?? throw new InvalidOperationException("this study was made for planning, without a result store: it can list what the findings need, not compute it");

    /// <summary>A study that only plans: the findings' requirements and the scale's settings, no store.</summary>
    public static StudyEngine ForPlanning(IStudyInputs inputs) => new(inputs, null);

    readonly ConcurrentDictionary<int, SpecialTokens> _specialTokens = new();
    readonly ConcurrentDictionary<string, bool> _warned = new();
    readonly Lazy<TorchSharp.torch.Device> _device = new(() => TorchRuntime.ResolveDevice(Environment.GetEnvironmentVariable(DeviceVariable)));

    /// <summary>Names the device models are trained and evaluated on: cpu, cuda, cuda:N or auto (unset: auto, CUDA
    /// when this build has it and a GPU is present, else the CPU).</summary>
    public const string DeviceVariable = "AMUROCHAR_DEVICE";

    /// <summary>Where every model of the study is trained and evaluated (<see cref="DeviceVariable"/>).</summary>
    public TorchSharp.torch.Device Device => _device.Value;

    /// <summary>A fault to inject (the baseline tests only; see <see cref="StudyFault"/>). Part of every key it reaches.</summary>
    internal StudyFault Fault { get; init; }

    /// <summary>The precision models are trained and evaluated in here (<see cref="Precision.Auto"/> resolved on
    /// <see cref="Device"/>), as keys and platform records name it.</summary>
    public Precision ResolvedPrecision => Scale.Precision.On(Device);

    public IStudyInputs Inputs => inputs;
    public Scale Scale => inputs.Scale;
    public DatasetCatalog Datasets => inputs.Datasets;

    /// <summary>The directory of a model: the checkpoint itself, or a stored fine-tuned / instruction-tuned copy.</summary>
    public string ModelDirectory(ModelRef model)
    {
        var train = Check(model);
        bool instruct = model.FineTunedOn == ModelRef.Instruction;
        string checkpoint = inputs.CheckpointDirectory(Fault == StudyFault.FineTuneIgnoresCheckpoint && train is not null && !instruct
            ? inputs.Checkpoints.First(c => c >= Scale.FirstFineTunedStep) : model.Step);
        if (train is null) return checkpoint;
        var config = TuneConfig(model);
        return Store.GetOrCreateDirectory(ModelKey(model, config), dir =>
        {
            using var m = ModelLoader.Load(checkpoint, Device);
            var special = SpecialTokensOf(model.Step);
            var examples = train.Examples
                .Select(e => SupervisedExample.From(train.Task, e, TaskDefinition.DefaultFormat, inputs.Tokenizer, config.MaxLength, special.Eos))
                .ToList();
            FineTuner.Run(m, examples, config, special.Pad, progress, instruct ? "instruct" : $"finetune {train.Name}");
            ModelFamilies.Of(m).Save(dir, m);
            inputs.Tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        });
    }

    /// <summary>Whether a fine-tuned or instruction-tuned model is already in the store (base models: false).</summary>
    public bool IsStored(ModelRef model) =>
        !model.IsBase && Store.TryGetDirectory(ModelKey(model, TuneConfig(model))) is not null;

    FineTuneConfig TuneConfig(ModelRef model) => (model.FineTunedOn == ModelRef.Instruction ? Scale.Instruct : Scale.FineTuneFor(model.FineTunedOn!)) with { Seed = model.Seed };

    /// <summary>
    /// The EOS / stop / padding ids of a checkpoint's models, from its revision's config.json, generation_config.json,
    /// tokenizer_config.json and special_tokens_map.json (the rule of <see cref="SpecialTokens"/>). Fine-tuned models
    /// end their completions with this EOS and generation stops on it. Disagreements between the files are warned
    /// about once.
    /// </summary>
    public SpecialTokens SpecialTokensOf(int step) => _specialTokens.GetOrAdd(step, s =>
    {
        string directory = inputs.CheckpointDirectory(s);
        var special = SpecialTokens.Resolve(directory, inputs.Tokenizer);
        foreach (string disagreement in special.Disagreements)
            if (_warned.TryAdd(disagreement, true))
                (warn ?? Console.Error.WriteLine)($"warning: special tokens of {Path.GetFileName(directory)} disagree: {disagreement}");
        return special;
    });

    ResultKey ModelKey(ModelRef model, FineTuneConfig config) => ResultKey.Create(model.FineTunedOn == ModelRef.Instruction ? "instruct" : "finetune")
        .With("code_version", CodeVersion.Current)
        .With("inputs", inputs.Identity)
        .With("step", model.Step)
        .With("dataset", model.FineTunedOn!)
        .WithObject("config", config)
        .With("device", DeviceName)
        .With("precision", config.Precision.On(Device).Name())
        .WithFault(Fault);

    string DeviceName => Device.type.ToString().ToLowerInvariant();

    /// <summary>Evaluates a model on a dataset (its evaluation split unless "name/split" is given).</summary>
    public EvalResult Evaluate(ModelRef model, string dataset, string format = TaskDefinition.DefaultFormat, string? method = null, int? shots = null) =>
        EvaluateMany(model, [new EvaluationRequest(dataset, format, method, shots)])[0];

    /// <summary>
    /// Evaluates one model on several (dataset, format, method, shots) and returns the results in request order. The
    /// model is loaded at most once, on the first result the store lacks, and reused by every evaluation after it:
    /// loading is most of an evaluation's cost for a large checkpoint. Every request is checked before anything is
    /// loaded or computed. Reuse cannot change a number: an evaluation only reads the model (the rotary table it
    /// caches is a pure function of the config), so each result is bitwise the one a fresh load gives.
    /// </summary>
    /// <param name="evaluated">Called after each request's result is computed or found in the store.</param>
    public IReadOnlyList<EvalResult> EvaluateMany(ModelRef model, IReadOnlyList<EvaluationRequest> requests, Action<EvalResult>? evaluated = null)
    {
        var checkedRequests = requests.Select(r => CheckEvaluation(model, r.Dataset, r.Format, r.Method, r.Shots)).ToList();
        ICausalLM? loaded = null;
        try
        {
            var results = new List<EvalResult>(requests.Count);
            foreach (var (data, pool, spec) in checkedRequests)
            {
                var key = EvaluationKey(model, data, spec);
                EvalResult? computed = null;
                try
                {
                    results.Add(Store.GetOrCreateJson(key, () =>
                    {
                        loaded ??= Load(model);
                        return computed = Fault.Apply(new Evaluator(loaded, inputs.Tokenizer, SpecialTokensOf(model.Step)).Evaluate(data, pool, spec), model, data.Task);
                    }, JsonOptions));
                }
                catch (Exception e) when (computed is not null && e is IOException or UnauthorizedAccessException or StoreNotWritableException)
                {
                    throw new ResultNotStoredException(computed, Store.JsonPath(key), e);   // the caller can still show it
                }
                evaluated?.Invoke(results[^1]);
            }
            return results;
        }
        finally
        {
            loaded?.Dispose();
        }
    }

    ICausalLM Load(ModelRef model)
    {
        var loaded = ModelLoader.Load(ModelDirectory(model), Device);
        loaded.Precision = Scale.Precision;
        return loaded;
    }

    ResultKey EvaluationKey(ModelRef model, Dataset data, EvalSpec spec) => ResultKey.Create("eval")
        .With("code_version", CodeVersion.Current)
        .With("inputs", inputs.Identity)
        .With("model", model.ToString())
        .WithObject("model_config", model.IsBase ? null : model.FineTunedOn == ModelRef.Instruction ? Scale.Instruct : Scale.FineTuneFor(model.FineTunedOn!))
        .With("dataset", data.Key)
        .With("device", DeviceName)
        .With("precision", ResolvedPrecision.Name())
        .WithObject("spec", spec)
        .WithFault(Fault);

    /// <summary>
    /// Checks a model reference without computing anything (no pre-training, no loading): the step is a checkpoint
    /// and a fine-tuned model names a dataset with a training split. Returns that training split (null for a base model).
    /// </summary>
    public Dataset? Check(ModelRef model)
    {
        if (!inputs.Checkpoints.Contains(model.Step))
            throw new ArgumentException($"{CheckpointStep.Name(model.Step)} is not a checkpoint of the {inputs.ScaleName} scale; checkpoints: {string.Join(", ", inputs.Checkpoints.Select(CheckpointStep.Label))}");
        if (model.IsBase) return null;
        if (!Datasets.All.Any(d => d.Name == model.FineTunedOn && d.Split == "train"))
        {
            // The catalog says why: an unknown name, a set without a training split, or (paper scale) a training file
            // that is missing or unreadable, named with the paths it looked for. "It has no training split" said all
            // three the same way.
            string trainable = string.Join(", ", Datasets.All.Where(d => d.Split == "train").Select(d => d.Name));
            try { Datasets.Get(model.FineTunedOn!, "train"); }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"no model can be fine-tuned on '{model.FineTunedOn}': {e.Message}; the datasets with a training split: {trainable}", e);
            }
        }
        return Datasets.Get(model.FineTunedOn!, "train");
    }

    /// <summary>Everything an evaluation's arguments can get wrong (model, dataset, format, method, shots), checked
    /// before any model is trained or loaded, so a typo fails in a second rather than after pre-training.</summary>
    public (Dataset Data, Dataset? FewShotPool, EvalSpec Spec) CheckEvaluation(ModelRef model, string dataset,
        string format = TaskDefinition.DefaultFormat, string? method = null, int? shots = null)
    {
        Check(model);
        var data = Datasets.Resolve(dataset);
        if (data.Examples.Count == 0)
            throw new ArgumentException($"{data.Key} has no items to evaluate (at paper scale a set without a training split gives its first " +
                                        "rows to the few-shot pool; a file that small leaves nothing)");
        var spec = new EvalSpec(format, method ?? Methods.DefaultFor(data.Task.Kind), shots ?? Scale.ShotsFor(model),
            MaxNewTokens: Scale.MaxNewTokens, Protocol: Scale.Protocol == EvalProtocol.LikeForLike ? null : Scale.Protocol);
        Methods.Check(data.Task, spec.Method);
        data.Task.Template(spec.Format);
        var pool = Datasets.All.FirstOrDefault(d => d.Name == data.Name && d.Split == "fewshot");
        if (spec.Shots < 0) throw new ArgumentException($"shots must be ≥ 0, not {spec.Shots}");
        Scale.Protocol.Demonstrations(data, pool, spec.Shots, spec.FewShotSeed, data.Examples.Select(e => e.Id));   // enough demonstrations?
        return (data, pool, spec);
    }

    static readonly JsonSerializerOptions JsonOptions = new() { IncludeFields = false };
}
