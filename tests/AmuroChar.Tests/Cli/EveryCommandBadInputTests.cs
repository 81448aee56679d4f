using System.Reflection;
using AmuroChar.Cli;
using Spectre.Console.Cli;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary>
/// Every command, with bad arguments generated from its own settings: an unknown option, each valued option without
/// its value, each numeric option given "abc", "1,5" (a decimal comma) and "1e999". Each must end in one line starting
/// "amurochar: " and exit 2 — never a stack trace, never exit 134, never silently run. The cases are built from the
/// command tree, so a command added later is covered without touching this test.
/// </summary>
public class EveryCommandBadInputTests
{
    public static TheoryData<string[]> Cases()
    {
        var data = new TheoryData<string[]>();
        foreach (var (path, settings) in AmuroCharApp.Commands().OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string[] command = path.Split(' ');
            data.Add([.. command, "--no-such-option"]);
            foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<CommandOptionAttribute>() is not { ValueName: not null, ValueIsOptional: false } option) continue;
                string name = option.LongNames.Count > 0 ? "--" + option.LongNames[0] : "-" + option.ShortNames[0];
                data.Add([.. command, name]);
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (type == typeof(int) || type == typeof(long) || type == typeof(double))
                    foreach (string bad in new[] { "abc", "1,5", "1e999" })
                        if (!(type == typeof(double) && bad == "1e999"))   // 1e999 is +∞ for a double: checked by the command itself
                            data.Add([.. command, name, bad]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_arguments_end_in_one_line_and_exit_2(string[] args)
    {
        var (exit, error) = CliRun.Run(args);
        Assert.False(error.Contains("   at ", StringComparison.Ordinal), $"stack trace for `amurochar {string.Join(' ', args)}`:\n{error}");
        Assert.True(exit == 2, $"`amurochar {string.Join(' ', args)}` exited {exit}: {error}");
        CliRun.OneLine(error);
    }

    [Fact]
    public void Every_command_of_the_tree_is_covered() =>
        Assert.True(AmuroCharApp.Commands().Count >= 25, string.Join(", ", AmuroCharApp.Commands().Keys));
}
