using System.Globalization;

namespace AmuroChar.Tests.Findings;

/// <summary>
/// The paper's per-checkpoint numbers (Findings/Fixtures/paper-results-by-checkpoint.txt, derived from the authors'
/// released CSVs): one block per evaluation set, a row per OLMo-1B checkpoint, a column per model ("base4", "ft_mnli",
/// "base(it)", ...), "-" where the authors did not run it.
/// </summary>
sealed class PaperResults
{
    /// <summary>The checkpoints in file order; "main" (the final model, after step 738k) is given step 739,000 so
    /// that the order, which is all a rank correlation uses, is kept.</summary>
    public IReadOnlyList<int> Steps { get; }
    readonly Dictionary<(string Set, string Column), double?[]> _values = new();

    PaperResults(IReadOnlyList<int> steps) => Steps = steps;

    public static PaperResults Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Findings", "Fixtures", "paper-results-by-checkpoint.txt");
        var lines = File.ReadAllLines(path);
        var steps = new List<int>();
        PaperResults? results = null;
        string? set = null;
        string[] columns = [];
        var rows = new List<string[]>();
        void Flush()
        {
            if (set is null) return;
            if (steps.Count == 0) steps.AddRange(rows.Select(r => r[0] == "main" ? 739_000 : int.Parse(r[0], CultureInfo.InvariantCulture)));
            results ??= new PaperResults(steps);
            if (rows.Count != steps.Count) throw new InvalidDataException($"{path}: block '{set}' has {rows.Count} rows, not {steps.Count}");
            for (int c = 1; c < columns.Length; c++)
                results._values[(set, columns[c])] = rows.Select(r => r[c] == "-" ? (double?)null : double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray();
            rows.Clear();
        }
        foreach (var line in lines)
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (line.StartsWith("== eval ")) { Flush(); set = line["== eval ".Length..].Trim(); continue; }
            var cells = line.Split('\t');
            if (cells[0] == "ckpt") columns = cells; else rows.Add(cells);
        }
        Flush();
        return results ?? throw new InvalidDataException($"{path}: no blocks");
    }

    /// <summary>The column's value at every checkpoint; an error naming the set and column if any is missing.</summary>
    public double[] Of(string set, string column)
    {
        if (!_values.TryGetValue((set, column), out var v)) throw new KeyNotFoundException($"no column {column} for {set}");
        if (v.Any(x => x is null)) throw new InvalidOperationException($"{set}/{column} is not run at every checkpoint");
        return v.Select(x => x!.Value).ToArray();
    }

    /// <summary>The indices of the checkpoints where every one of these (set, column) pairs has a number.</summary>
    public int[] Complete(params (string Set, string Column)[] needed) =>
        Enumerable.Range(0, Steps.Count).Where(i => needed.All(n => _values[n][i] is not null)).ToArray();

    public double At(string set, string column, int index) => _values[(set, column)][index] ?? throw new InvalidOperationException($"{set}/{column} missing at {Steps[index]}");
}
