using AmuroChar.Tasks;

namespace AmuroChar.Evaluation;

/// <summary>
/// The evaluation choices that decide whether a number can be compared with the paper's, decided in one place. Two
/// protocols exist:
/// <list type="bullet">
/// <item><see cref="LikeForLike"/>, every CPU scale's: demonstrations drawn (seeded) from a pool that is never
/// scored, joined by a blank line; generation ends at the first newline (a blank line for multi-line references);
/// ROUGE-L with Porter stemming.</item>
/// <item><see cref="Authors"/>, the paper scale's: what the authors' released code did. Demonstrations are the first
/// k items of the evaluated file, each followed by one newline, and those items are scored too
/// (<c>eval/predict.py</c>); generation is greedy up to its token budget with no stop sequence
/// (<c>scripts/exp_scripts/generate_pred.sh</c>, <c>--max_new_tokens 60</c>); ROUGE-L without stemming (Hugging Face
/// <c>evaluate</c>'s <c>rouge</c>, whose <c>use_stemmer</c> defaults to off); next-word classification over every
/// sub-token of the label words with and without a leading space (<c>eval/predict_classification.py</c>).</item>
/// </list>
/// The protocol is part of an evaluation's <see cref="EvalSpec"/>, so its results are keyed by it.
/// </summary>
/// <param name="NextWordOverAllSubtokens">Next-word classification as <c>predict_classification.py --constraint_type
/// next_word</c> does it: the candidates are every sub-token of every label word, written with and without a leading
/// space (in that order: the bare words, then the spaced ones), and the prediction is the word owning the most likely
/// candidate (the first on a tie, as numpy's argmax). Like-for-like scores only the first token of each " label".</param>
/// <param name="MidpointEstimateBeside">Also report, as <c>&lt;metric&gt;_authors</c>, the estimate <c>eval/eval_pred.py</c>
/// published: the midpoint of a 3,000-resample percentile bootstrap interval of the per-item scores (theirs unseeded
/// through scipy, ours seeded), beside the plain mean that every verdict reads.</param>
/// <param name="PromptAsWritten">The evaluated prompt keeps its template's trailing space ("### Summary: "), as the
/// authors' files hold it, for next-word classification and generation, and each demonstration is its prompt as
/// written followed directly by its answer (<c>eval/predict.py</c>'s <c>prompt + completion</c>; in the inputoutput
/// format, where a prompt ends without a space, nothing separates the two); like-for-like moves that space to the
/// answer side, as lm-evaluation-harness does, so an answer's first word tokenizes as in running text.</param>
/// <param name="AuthorsLabelReading">Generated classification answers are read as <c>strip_labels</c> reads them
/// (<see cref="LabelReading.Authors"/>, a substring test in a fixed order), with the suite's first-word reading
/// reported beside as <c>acc_first_word</c>; like-for-like reads the first word only. Next-word prediction outputs a
/// label word, which both readings map to itself.</param>
public sealed record EvalProtocol(string Name, bool DemosFromEvaluatedSet, string DemoDelimiter, bool StopAtLineEnd, bool StemRouge,
    bool NextWordOverAllSubtokens, bool MidpointEstimateBeside, bool PromptAsWritten, bool AuthorsLabelReading)
{
    public static readonly EvalProtocol LikeForLike = new("like-for-like", DemosFromEvaluatedSet: false, FewShot.Delimiter, StopAtLineEnd: true, StemRouge: true,
        NextWordOverAllSubtokens: false, MidpointEstimateBeside: false, PromptAsWritten: false, AuthorsLabelReading: false);
    public static readonly EvalProtocol Authors = new("authors", DemosFromEvaluatedSet: true, "\n", StopAtLineEnd: false, StemRouge: false,
        NextWordOverAllSubtokens: true, MidpointEstimateBeside: true, PromptAsWritten: true, AuthorsLabelReading: true);

    /// <summary>The text the model continues for <paramref name="item"/>: the demonstrations, then its prompt (as
    /// written for the authors' next-word and generation methods, else without trailing whitespace).</summary>
    public string Context(TaskDefinition task, TaskExample item, string format, string prefix, string method) =>
        prefix + (PromptAsWritten && method is Methods.NextWord or Methods.Generate
            ? PromptTemplate.Render(task.Template(format), item)
            : task.RenderPrompt(item, format));

    /// <summary>eval_pred.py's <c>n_resamples</c>.</summary>
    public const int AuthorsResamples = 3000;

    public static readonly IReadOnlyList<EvalProtocol> All = [LikeForLike, Authors];

    public static EvalProtocol Parse(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown protocol '{name}'; valid protocols: {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>The demonstrations for <paramref name="data"/>: its first <paramref name="shots"/> items (authors), or
    /// a seeded draw from <paramref name="pool"/> that avoids every evaluated id (like-for-like).</summary>
    public IReadOnlyList<TaskExample> Demonstrations(Dataset data, Dataset? pool, int shots, int seed, IEnumerable<string> evaluatedIds) =>
        DemosFromEvaluatedSet ? FewShot.First(data, shots) : FewShot.Draw(pool ?? data, shots, seed, evaluatedIds);

    public string Prefix(TaskDefinition task, string format, IReadOnlyList<TaskExample> demos) => FewShot.Prefix(task, format, demos, DemoDelimiter, asWritten: PromptAsWritten);
}
