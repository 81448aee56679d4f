using System.Diagnostics;
using AmuroChar.Cli;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary>
/// Every command of the tree in the environments a user's shell can hand it (issue 21): a decimal-comma locale, HOME
/// unset, stdout closed, stderr closed, stdout on a full disk. Each command runs twice per environment as the built
/// program in a real shell (a test host can't close its own descriptors): asking for its help, and with an unknown
/// option. Neither may end in a stack trace, an abort (134) or more than one line; help succeeds unless stdout can't
/// take it, which is then said naming standard output. The commands come from the tree, so a new one is covered.
/// </summary>
public class EveryCommandEnvironmentTests
{
    /// <summary>Name, then the shell text run around each command: {0} is the command line.</summary>
    public static TheoryData<string, string> Environments() => new()
    {
        { "decimal-comma locale", "LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 {0} >/dev/null 2>\"$err\"" },
        { "HOME unset", "env -u HOME -u XDG_CACHE_HOME -u HF_HOME {0} >/dev/null 2>\"$err\"" },
        { "stdout closed", "{0} >&- 2>\"$err\"" },
        { "stderr closed", "{0} >/dev/null 2>&-" },
        { "stdout on a full disk", "{0} >/dev/full 2>\"$err\"" },
    };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_command_ends_in_its_exit_code_and_at_most_one_line(string environment, string shell)
    {
        using var dir = new ScratchDirectory();
        string dll = Path.Combine(AppContext.BaseDirectory, "amurochar.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var commands = AmuroCharApp.Commands().Keys.Order(StringComparer.Ordinal).ToList();
        File.WriteAllLines(Path.Combine(dir.Path, "commands"), commands);
        // One shell per environment: a line per run, "command<TAB>extra<TAB>exit<TAB>stderr with newlines as \r".
        string script = $$"""
            while IFS= read -r cmd; do
              for extra in --help --no-such-option; do
                err=$(mktemp -p '{{dir.Path}}')
                {{string.Format(shell, $"'{dotnet}' '{dll}' $cmd $extra")}}
                code=$?
                printf '%s\t%s\t%d\t%s\n' "$cmd" "$extra" "$code" "$(tr '\n' '\r' < "$err")"
              done
            done < '{{Path.Combine(dir.Path, "commands")}}'
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = dir.Path };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        Assert.Equal(2 * commands.Count, lines.Length);

        bool stdoutBroken = environment is "stdout closed" or "stdout on a full disk";
        var wrong = new List<string>();
        foreach (string line in lines)
        {
            var (command, extra, exit, error) = line.Split('\t') is [var c, var x, var e, .. var rest]
                ? (c, x, int.Parse(e, System.Globalization.CultureInfo.InvariantCulture), string.Join('\t', rest)) : throw new InvalidDataException(line);
            var errorLines = error.Split('\r', StringSplitOptions.RemoveEmptyEntries);
            // A closed stdout is refused before anything else; a full one fails only when written to (help, not an error).
            int expected = environment == "stdout closed" || (stdoutBroken && extra == "--help") ? 1 : extra == "--help" ? 0 : 2;
            string? why =
                error.Contains("   at ", StringComparison.Ordinal) ? "a stack trace"
                : exit != expected ? $"exit {exit}, expected {expected}"
                : errorLines.Length > 1 ? $"{errorLines.Length} lines on stderr"
                : errorLines.Length == 1 && !errorLines[0].StartsWith("amurochar: ", StringComparison.Ordinal) ? "a line not from amurochar"
                : expected == 1 && !error.Contains("standard output", StringComparison.Ordinal) ? "standard output not named"
                : null;
            if (why is not null) wrong.Add($"`amurochar {command} {extra}` ({environment}): {why}: {error.Replace('\r', '|')}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>Numbers are read and written one invariant way whatever the locale: under de_DE "1.5" is still one and a
    /// half (not 15), "1,5" still an error, and JSON keeps its dots.</summary>
    [Fact]
    public void A_decimal_comma_locale_changes_no_number()
    {
        using var dir = new ScratchDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "pairs.jsonl"), """
            {"prediction":"the cat sat","reference":"the cat sat on the mat"}
            {"prediction":"a b","reference":"a c"}
            """);
        string store = new AmuroChar.Results.ResultStore(Path.Combine(dir.Path, "store")).Root;
        (int, string) Run(string locale, string args)
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "amurochar.dll");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.Path };
            start.ArgumentList.Add(dll);
            foreach (string a in args.Split(' ')) start.ArgumentList.Add(a);
            start.Environment["LC_ALL"] = start.Environment["LANG"] = locale;
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + stderr.Result);
        }

        var invariant = Run("C", "rouge --in pairs.jsonl");
        Assert.Equal(0, invariant.Item1);
        Assert.Contains("0.5833333333333333", invariant.Item2);
        foreach (string locale in new[] { "de_DE.UTF-8", "fr_FR.UTF-8" })
        {
            Assert.Equal(invariant, Run(locale, "rouge --in pairs.jsonl"));
            var (ok, said) = Run(locale, $"store prune --older-than 1.5 --dry-run --store {store}");
            Assert.True(ok == 0, said);
            var (bad, error) = Run(locale, $"store prune --older-than 1,5 --dry-run --store {store}");
            Assert.Equal(2, bad);
            Assert.Contains("expected a number with a dot for decimals", error);
        }
    }
}
