using AmuroChar.Cli;

namespace AmuroChar.Tests.Cli;

/// <summary>Runs an amurochar command line in-process. Only stderr is captured (per call, no global state), so
/// these tests use commands that fail before printing anything to stdout, or look at the files they write.</summary>
internal static class CliRun
{
    public static (int Exit, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        int exit = AmuroCharApp.Run(args, error);
        return (exit, error.ToString());
    }

    /// <summary>The error is one line, "amurochar: …", as a user or a script sees it.</summary>
    public static string OneLine(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Xunit.Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {error}");
        Xunit.Assert.StartsWith("amurochar: ", lines[0]);
        return lines[0];
    }
}
