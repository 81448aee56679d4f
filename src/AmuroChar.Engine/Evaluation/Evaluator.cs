using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tasks;
using AmuroChar.Tokenization;

namespace AmuroChar.Evaluation;

/// <summary>How a prediction is made (the paper's default for classification is next-word constrained prediction).</summary>
public static class Methods
{
    /// <summary>Argmax over the label words' first tokens at the answer position.</summary>
    public const string NextWord = "next-word";
    /// <summary>Free greedy generation, matched to the label words (or scored with ROUGE-L for generation tasks).</summary>
    public const string Generate = "generate";
    /// <summary>Argmax of each label continuation's total log-likelihood.</summary>
    public const string Ranked = "ranked";
    /// <summary>Multiple choice by ranked log-likelihood (acc) and per-character log-likelihood (acc_norm).</summary>
    public const string MultipleChoice = "mc";

    public static readonly IReadOnlyList<string> All = [NextWord, Generate, Ranked, MultipleChoice];

    public static string DefaultFor(TaskKind kind) => kind switch
    {
        TaskKind.Classification => NextWord,
        TaskKind.MultipleChoice => MultipleChoice,
        _ => Generate,
    };

    public static void Check(TaskDefinition task, string method)
    {
        bool ok = task.Kind switch
        {
            TaskKind.Classification => method is NextWord or Generate or Ranked,
            TaskKind.MultipleChoice => method is MultipleChoice,
            // Chat responses are free text scored like generation (ROUGE-L against the reference response): the
            // instruction-tuning finding's positive control evaluates held-out instructions this way.
            TaskKind.Generation or TaskKind.Chat => method is Generate,
            _ => false,
        };
        if (!ok) throw new ArgumentException($"method '{method}' does not apply to task '{task.Name}' ({task.Kind}); valid methods: {string.Join(", ", All)}");
    }
}

/// <summary>What to evaluate: the prompt format, the prediction method, the number of demonstrations and the seed
/// that draws them (from the dataset's few-shot pool, never the evaluated items).</summary>
/// <remarks><see cref="Protocol"/> is null for <see cref="EvalProtocol.LikeForLike"/>, and then left out of the JSON,
/// so the CPU scales' results keep their keys.</remarks>
public sealed record EvalSpec(string Format, string Method, int Shots, int FewShotSeed = 1234, int MaxNewTokens = 48, int? Limit = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    EvalProtocol? Protocol = null);

/// <summary>One evaluated item: the prediction and its score (1/0 for accuracy, ROUGE-L F for generation).</summary>
public sealed record ItemResult(string Id, string Prediction, string Reference, double Score);

/// <summary>The outcome of evaluating one dataset: metrics with bootstrap 95% CIs, label shares, per-item results.</summary>
public sealed record EvalResult(string Dataset, string Task, EvalSpec Spec, int N, IReadOnlyDictionary<string, Estimate> Metrics,
    IReadOnlyDictionary<string, double> LabelShare, IReadOnlyList<ItemResult> Items);

/// <summary>
/// Evaluates a model on a dataset following the paper and lm-evaluation-harness: k demonstrations rendered in the
/// same format and joined by blank lines, then the item's prompt; answers continue the prompt after the task's
/// delimiter. Generation is greedy and stops at a blank line (or a newline for one-line references).
/// </summary>
/// <param name="specialTokens">The model's EOS / stop ids and padding (<see cref="SpecialTokens.Resolve"/>); by default
/// what tokenizer.json alone implies.</param>
/// <param name="sharePrefix">Run the demonstrations every prompt shares once per set and reuse their keys and values
/// (the default); false runs each prompt whole. Both give the same predictions (<c>SharedPrefixEquivalenceTests</c>);
/// the switch exists for that test and for <c>amurochar bench</c>.</param>
public sealed class Evaluator(ICausalLM model, HfTokenizer tokenizer, SpecialTokens? specialTokens = null, int bootstrapSeed = Bootstrap.DefaultSeed,
    bool sharePrefix = true)
{
    readonly SpecialTokens _special = specialTokens ?? SpecialTokens.FromTokenizer(tokenizer);

    public EvalResult Evaluate(Dataset data, Dataset? fewShotPool, EvalSpec spec)
    {
        var task = data.Task;
        Methods.Check(task, spec.Method);
        task.Template(spec.Format);
        var protocol = spec.Protocol ?? EvalProtocol.LikeForLike;
        var items = spec.Limit is { } limit ? data.Examples.Take(limit).ToList() : data.Examples.ToList();
        string prefix = protocol.Prefix(task, spec.Format, protocol.Demonstrations(data, fewShotPool, spec.Shots, spec.FewShotSeed, items.Select(i => i.Id)));
        var contexts = items.Select(i => protocol.Context(task, i, spec.Format, prefix, spec.Method)).ToList();

        var (predictions, scores, extra) = spec.Method switch
        {
            Methods.NextWord when protocol.NextWordOverAllSubtokens => NextWordOverSubtokens(task, items, contexts),
            Methods.NextWord => NextWord(task, items, contexts),
            Methods.Ranked => Ranked(task, items, contexts),
            Methods.MultipleChoice => MultipleChoice(items, contexts),
            _ when task.Kind == TaskKind.Classification => GenerateLabels(task, items, contexts, protocol),
            _ => GenerateText(items, GenerationContexts(task, contexts), spec.MaxNewTokens, protocol),
        };

        string primary = task.Metric;
        var metrics = new Dictionary<string, Estimate> { [primary] = Bootstrap.MeanCi(scores, bootstrapSeed) };
        if (protocol.MidpointEstimateBeside && Bootstrap.MeanCi(scores, bootstrapSeed, EvalProtocol.AuthorsResamples) is var wide)
            metrics[primary + "_authors"] = wide with { Mean = wide.Lo + (wide.Hi - wide.Lo) / 2 };
        foreach (var (name, values) in extra) metrics[name] = Bootstrap.MeanCi(values, bootstrapSeed);
        var shares = task.Kind == TaskKind.Classification
            ? task.Labels.Append(LabelReading.None).ToDictionary(l => l, l => predictions.Count(p => p == l) / (double)predictions.Count)
            : new Dictionary<string, double>();
        // The result store writes JSON with keys sorted ordinally, so a result read back has them in that order;
        // a fresh one must too, or the same evaluation prints differently the first and the second time.
        metrics = metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary();
        shares = shares.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary();
        var itemResults = items.Select((it, i) => new ItemResult(it.Id, predictions[i], it.Target, scores[i])).ToList();
        return new EvalResult(data.Key, task.Name, spec, items.Count, metrics, shares, itemResults);
    }

    int[] Encode(string text) => tokenizer.Encode(text).ToArray();

    /// <summary>As lm-evaluation-harness does, a prompt longer than the model's window keeps its last tokens (the
    /// item and its answer cue), dropping the start of the demonstrations.</summary>
    static int[] KeepLast(int[] tokens, int max) => tokens.Length <= max ? tokens : tokens[^Math.Max(1, max)..];

    int Window => model.Shape.MaxPositions;

    (List<string>, double[], Dictionary<string, double[]>) NextWord(TaskDefinition task, List<TaskExample> items, List<string> contexts)
    {
        var firstTokens = task.Labels.Select(l => Encode(task.Continuation(l))[0]).ToList();
        if (firstTokens.Distinct().Count() != firstTokens.Count)
            throw new InvalidOperationException($"task '{task.Name}': label words share a first token; next-word prediction can't tell them apart");
        var logProbs = new Scorer(model, _special.Pad, sharePrefix: sharePrefix).NextTokenLogProbs(contexts.Select(c => KeepLast(Encode(c), Window)).ToList(), firstTokens);
        var predictions = logProbs.Select(lp => task.Labels[ArgMax(lp)]).ToList();
        return (predictions, Accuracy(predictions, items), []);
    }

    /// <summary>The authors' next-word reading (<see cref="EvalProtocol.NextWordOverAllSubtokens"/>): the label whose
    /// word, bare or after a space, owns the most likely of all their sub-tokens.</summary>
    (List<string>, double[], Dictionary<string, double[]>) NextWordOverSubtokens(TaskDefinition task, List<TaskExample> items, List<string> contexts)
    {
        var owners = new List<string>();
        var candidates = new List<int>();
        foreach (string word in task.Labels.Concat(task.Labels.Select(l => " " + l)))
            foreach (int id in Encode(word))
            {
                candidates.Add(id);
                owners.Add(word.TrimStart());
            }
        var logProbs = new Scorer(model, _special.Pad, sharePrefix: sharePrefix).NextTokenLogProbs(contexts.Select(c => KeepLast(Encode(c), Window)).ToList(), candidates);
        var predictions = logProbs.Select(lp => owners[ArgMax(lp)]).ToList();
        return (predictions, Accuracy(predictions, items), []);
    }

    (List<string>, double[], Dictionary<string, double[]>) Ranked(TaskDefinition task, List<TaskExample> items, List<string> contexts)
    {
        var requests = contexts.SelectMany(c => task.Labels.Select(l => Request(c, task.Continuation(l)))).ToList();
        var ll = new Scorer(model, _special.Pad, sharePrefix: sharePrefix).LogLikelihoods(requests);
        int k = task.Labels.Count;
        var predictions = items.Select((_, i) => task.Labels[ArgMax(Enumerable.Range(0, k).Select(j => ll[i * k + j].LogProb).ToArray())]).ToList();
        return (predictions, Accuracy(predictions, items), []);
    }

    (List<string>, double[], Dictionary<string, double[]>) MultipleChoice(List<TaskExample> items, List<string> contexts)
    {
        var requests = new List<ScoringRequest>();
        foreach (var (item, context) in items.Zip(contexts))
            foreach (var choice in item.Choices ?? throw new InvalidDataException($"item {item.Id} has no choices"))
                requests.Add(Request(context, " " + choice));
        var ll = new Scorer(model, _special.Pad, sharePrefix: sharePrefix).LogLikelihoods(requests);
        var predictions = new List<string>();
        var acc = new double[items.Count];
        var accNorm = new double[items.Count];
        int r = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var choices = items[i].Choices!;
            var raw = choices.Select((_, j) => ll[r + j].LogProb).ToArray();
            var norm = choices.Select((c, j) => ll[r + j].LogProb / c.Length).ToArray();   // lm-eval: per character
            r += choices.Count;
            predictions.Add(choices[ArgMax(raw)]);
            acc[i] = ArgMax(raw) == items[i].Gold ? 1 : 0;
            accNorm[i] = ArgMax(norm) == items[i].Gold ? 1 : 0;
        }
        return (predictions, acc, new() { ["acc_norm"] = accNorm });
    }

    /// <summary>Free generation read as a label. Under the authors' protocol their substring reading decides
    /// (<see cref="LabelReading.Authors"/>) and ours is reported beside it as <c>acc_first_word</c>.</summary>
    (List<string>, double[], Dictionary<string, double[]>) GenerateLabels(TaskDefinition task, List<TaskExample> items, List<string> contexts, EvalProtocol protocol)
    {
        var texts = Generate(contexts, maxNewTokens: 8, stopAtNewline: true);
        var firstWord = texts.Select(t => LabelReading.FirstWord(t, task.Labels)).ToList();
        var predictions = protocol.AuthorsLabelReading ? texts.Select(t => LabelReading.Authors(t, task.Labels)).ToList() : firstWord;
        var produced = predictions.Select(p => p == LabelReading.None ? 0.0 : 1.0).ToArray();
        var extra = new Dictionary<string, double[]> { ["label_produced"] = produced };
        if (protocol.AuthorsLabelReading) extra["acc_first_word"] = Accuracy(firstWord, items);
        return (predictions, Accuracy(predictions, items), extra);
    }

    /// <summary>
    /// A delimiter that holds a newline (the chat format's reply starts on the line after "&lt;|assistant|&gt;") goes into
    /// the context before free generation: the model was trained to emit it first, and the stop rule (the first
    /// newline ends a one-line answer) would otherwise cut every reply to nothing. A space delimiter stays with the
    /// continuation, as in lm-evaluation-harness.
    /// </summary>
    internal static List<string> GenerationContexts(TaskDefinition task, List<string> contexts) =>
        task.TargetDelimiter.Contains('\n') ? contexts.Select(c => c + task.TargetDelimiter).ToList() : contexts;

    (List<string>, double[], Dictionary<string, double[]>) GenerateText(List<TaskExample> items, List<string> contexts, int maxNewTokens, EvalProtocol protocol)
    {
        bool oneLine = items.All(i => !i.Target.Contains('\n'));
        string? stop = !protocol.StopAtLineEnd ? null : oneLine ? "\n" : "\n\n";
        var texts = Generate(contexts, maxNewTokens, stop).Select(t => t.Trim()).ToList();
        var scores = texts.Select((t, i) => RougeL.Score(t, items[i].Target, stem: protocol.StemRouge).F).ToArray();
        return (texts, scores, []);
    }

    List<string> Generate(List<string> contexts, int maxNewTokens, bool stopAtNewline) => Generate(contexts, maxNewTokens, stopAtNewline ? "\n" : "\n\n");

    /// <summary>Greedy generation of up to <paramref name="maxNewTokens"/>, ended early by an end-of-sequence id or, when
    /// <paramref name="stop"/> is given, by that text (cut off).</summary>
    List<string> Generate(List<string> contexts, int maxNewTokens, string? stop)
    {
        var generator = new GreedyGenerator(model, _special.Pad, _special.StopIds, sharePrefix: sharePrefix);
        var outputs = generator.Generate(contexts.Select(c => KeepLast(Encode(c), Window - maxNewTokens)).ToList(), maxNewTokens,
            stop is null ? null : ids => DecodeKnown(ids.Skip(Math.Max(0, ids.Count - 3))).Contains(stop));
        return outputs.Select(o =>
        {
            string text = DecodeKnown(o);
            int cut = stop is null ? -1 : text.IndexOf(stop, StringComparison.Ordinal);
            return cut >= 0 ? text[..cut] : text;
        }).ToList();
    }

    /// <summary>
    /// Decodes generated ids, leaving out those the tokenizer doesn't have. The embedding has more rows than the
    /// tokenizer has ids (OLMo-1B: 50,304 rows, 50,280 ids; ours round up to a multiple of 64), and an untrained or
    /// barely trained model can pick one of the extra rows; Hugging Face's decode skips such ids the same way.
    /// </summary>
    string DecodeKnown(IEnumerable<int> ids) => tokenizer.Decode(ids.Where(id => id < tokenizer.VocabularySize));

    ScoringRequest Request(string context, string continuation)
    {
        int[] whole = Encode(context + continuation), ctx = Encode(context);
        int[] continuationTokens = whole[ctx.Length..];
        return new ScoringRequest(KeepLast(ctx, Window - continuationTokens.Length), continuationTokens);
    }

    static double[] Accuracy(List<string> predictions, List<TaskExample> items) =>
        predictions.Select((p, i) => p == items[i].Target ? 1.0 : 0.0).ToArray();

    static int ArgMax(IReadOnlyList<float> xs) => ArgMax(xs.Select(x => (double)x).ToArray());
    static int ArgMax(double[] xs)
    {
        int best = 0;
        for (int i = 1; i < xs.Length; i++) if (xs[i] > xs[best]) best = i;
        return best;
    }
}
