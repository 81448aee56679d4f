using Spectre.Console;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// Tables for people and for pipes. On a terminal: a drawn table. When stdout is redirected: tab-separated lines with
/// a header, no colour codes and no wrapping, so `amurochar datasets list | grep openbookqa` finds the whole row.
/// </summary>
static class TableOutput
{
    public static void Write(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (Console.IsOutputRedirected) WritePlain(Console.Out, headers, rows);
        else
        {
            var table = new Table().AddColumns(headers.Select(Markup.Escape).ToArray());
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }
    }

    /// <summary>One line per row, cells separated by tabs; tabs and newlines inside a cell become spaces.</summary>
    public static void WritePlain(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        output.WriteLine(Line(headers));
        foreach (var row in rows) output.WriteLine(Line(row));
    }

    static string Line(IEnumerable<string> cells) =>
        string.Join('\t', cells.Select(c => c.Replace('\t', ' ').Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ')));
}
