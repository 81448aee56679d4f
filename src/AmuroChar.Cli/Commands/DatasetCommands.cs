using System.ComponentModel;
using AmuroChar.Evaluation;
using AmuroChar.Study;
using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Dataset commands need only the world or, at paper scale, the data folder: never a model or a tokenizer
/// (prompts are shown as text, not token ids).</summary>
class DatasetSettings : StudySettings
{
    public DatasetCatalog Catalog()
    {
        if (!AmuroChar.Study.Scale.IsCheckpointed(Scale)) return Inputs(OpenStore(), null).Datasets;
        if (PaperData.Missing() is { } missing) throw new InvalidOperationException("paper scale data missing: " + missing);
        return PaperData.Load(Environment.GetEnvironmentVariable(PaperData.DataVariable)!, protocol: Protocol);
    }

    /// <summary>The scale's evaluation protocol: what decides how `show` builds a prompt.</summary>
    public AmuroChar.Evaluation.EvalProtocol Protocol => AmuroChar.Study.Scale.ByName(Scale).Protocol;
}

sealed class DatasetsListCommand : Command<DatasetSettings>
{
    public override int Execute(CommandContext context, DatasetSettings s, CancellationToken cancellation)
    {
        var catalog = s.Catalog();
        var rows = catalog.All.Select(d => (IReadOnlyList<string>)[d.Name, d.Task.Name, d.Split, d.Count.ToString(),
                Count(d.Counts?.DroppedUnlabeled), Count(d.Counts?.Duplicates), d.Domain, d.StandsFor, d.Source])
            .Concat(catalog.Problems.Select(p => (IReadOnlyList<string>)[p.Name, "-", p.Split, "error", "-", "-", "-", "-", p.Message]));
        TableOutput.Write(["name", "task", "split", "size", "dropped", "duplicates", "domain", "stands for", "source"], rows);
        // A split with no file is no error (a study asks only for what it needs), but an empty table must not pass
        // for "nothing expected here".
        var absent = catalog.Absent.Select(k => k[..k.IndexOf('/')]).Distinct().ToList();
        if (absent.Count > 0)
            Console.Error.WriteLine($"amurochar: no file found for {absent.Count} dataset(s): {string.Join(", ", absent)}; `amurochar datasets show NAME --scale {s.Scale}` says where it looked");
        int failed = catalog.Problems.Count();
        if (failed > 0) Console.Error.WriteLine($"amurochar: {failed} dataset split(s) could not be read; see the error rows");
        return failed > 0 ? 1 : 0;
    }

    static string Count(long? n) => n?.ToString() ?? "-";
}

sealed class DatasetsShowCommand : Command<DatasetsShowCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandArgument(0, "<NAME>"), Description("Dataset name, or name/split.")]
        public string Name { get; init; } = "";

        [CommandOption("--format <F>"), Description("default, instruct or inputoutput.")]
        public string Format { get; init; } = TaskDefinition.DefaultFormat;

        [CommandOption("--shots <K>"), Description("Demonstrations drawn from the few-shot pool.")]
        public int Shots { get; init; }

        [CommandOption("-n <N>"), Description("How many items to show.")]
        public int Count { get; init; } = 3;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var catalog = s.Catalog();
        var data = catalog.Resolve(s.Name);
        var task = data.Task;
        task.Template(s.Format);
        var items = data.Examples.Take(s.Count).ToList();
        var pool = catalog.All.FirstOrDefault(d => d.Name == data.Name && d.Split == "fewshot");
        var protocol = s.Protocol;
        string prefix = protocol.Prefix(task, s.Format, protocol.Demonstrations(data, pool, s.Shots, 1234, items.Select(i => i.Id)));
        foreach (var item in items)
        {
            Console.WriteLine($"----- {item.Id} ({data.Key}, {s.Format}, {s.Shots}-shot, {protocol.Name} protocol)");
            // Exactly the text the model continues (the authors' protocol keeps a prompt's trailing space), then the
            // reference answer as it would follow it.
            string text = protocol.Context(task, item, s.Format, prefix, Methods.DefaultFor(task.Kind));
            string answer = text.Length > 0 && char.IsWhiteSpace(text[^1]) ? item.Target.Trim() : task.Continuation(item.Target);
            Console.Write(text);
            // The target in bold on a terminal only: escape codes in a pipe or a file are noise.
            Console.WriteLine(Console.IsOutputRedirected ? answer : $"\u001b[1m{answer}\u001b[0m");
            if (item.Choices is { } choices) Console.WriteLine($"  choices: {string.Join(" | ", choices)} (gold {item.Gold})");
        }
        return 0;
    }
}

sealed class DatasetsExportCommand : Command<DatasetsExportCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandArgument(0, "<NAME>"), Description("Dataset name, or name/split.")]
        public string Name { get; init; } = "";

        [CommandOption("--schema <SCHEMA>"), Description("Hugging Face schema to write (default: the dataset's own name).")]
        public string? Schema { get; init; }

        [CommandOption("--out <FILE>"), Description("JSONL file to write.")]
        public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out FILE is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        OutputPaths.RequireWritableFile(s.Out, "--out");
        var data = s.Catalog().Resolve(s.Name);
        // The dataset's preferred Hub schema: the one the paper scale tries first.
        string schema = s.Schema ?? DatasetSpecs.Find(data.Name)?.Schemas[0] ?? data.Name;
        try { HfSchemaExport.WriteJsonl(data, schema, s.Out); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out {s.Out}: {e.Message}", e);   // e.g. the disk filled up: say which file failed
        }
        Console.WriteLine($"wrote {data.Count} items of {data.Key} as {schema} to {s.Out}");
        return 0;
    }
}

sealed class CorpusStatsCommand : Command<CorpusStatsCommand.Settings>
{
    public sealed class Settings : StudySettings
    {
        [CommandOption("--top <N>"), Description("How many of the most frequent words to list.")]
        public int Top { get; init; } = 30;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        if (s.Inputs(s.OpenStore(), null) is not AmuroChar.Study.TinyInputs tiny)
            throw new InvalidOperationException("corpus stats describes the tiny world's corpus; the paper scale has none here");
        var docs = tiny.Corpus().ToList();
        var words = new Dictionary<string, long>();
        foreach (var d in docs)
            foreach (var w in d.Text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                string key = w.Trim('.', ',', '?', '!', '"', ';', ':').ToLowerInvariant();
                if (key.Length > 0) words[key] = words.GetValueOrDefault(key) + 1;
            }
        long tokens = docs.Sum(d => (long)tiny.Tokenizer.Encode(d.Text).Count + 1);
        Console.WriteLine($"documents: {docs.Count:N0}");
        Console.WriteLine($"words: {words.Values.Sum():N0} ({words.Count:N0} distinct)");
        Console.WriteLine($"tokens: {tokens:N0} (vocabulary {tiny.Tokenizer.VocabularySize}, EOS after each document)");
        TableOutput.Write(["genre", "documents", "share"], docs.GroupBy(d => d.Genre).OrderByDescending(g => g.Count())
            .Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString("N0"), (g.Count() / (double)docs.Count).ToString("P1")]));
        Console.WriteLine("top words: " + string.Join(", ", words.OrderByDescending(kv => kv.Value).Take(s.Top).Select(kv => $"{kv.Key} ({kv.Value:N0})")));
        return 0;
    }
}
