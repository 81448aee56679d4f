using AmuroChar.Cli.Commands;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary>Piped tables are one row per line with no colour codes and no wrapping, so grep finds a whole row.</summary>
public class TableOutputTests
{
    [Fact]
    public void Plain_tables_keep_each_row_on_one_line_whatever_its_width()
    {
        var output = new StringWriter();
        string wide = new('x', 300);
        TableOutput.WritePlain(output, ["name", "stands for"], [["openbookqa", wide], ["with\ttab", "two\nlines"]]);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["name\tstands for", $"openbookqa\t{wide}", "with tab\ttwo lines"], lines);
        Assert.DoesNotContain('\u001b', output.ToString());
    }
}
