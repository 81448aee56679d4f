using Spectre.Console;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>Turns the library's bad-input exceptions into one readable line and exit code 2 (no stack trace):
/// they already name the file and the problem.</summary>
static class CliErrors
{
    public static int Run(Func<int> run)
    {
        try { return run(); }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or ArgumentException or CommandParseException or CommandRuntimeException or InvalidOperationException)
        {
            Console.Error.WriteLine($"amurochar: {e.Message}");
            return 2;
        }
    }
}
