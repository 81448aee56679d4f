using AmuroChar.Results;
using Spectre.Console.Cli;

namespace AmuroChar.Cli.Commands;

/// <summary>
/// Turns every failure into one readable line (no stack trace): exit 2 for bad input and usage (the library's
/// exceptions already name the file and the problem), exit 1 for the file system refusing a read or write (the .NET
/// messages name the path; write sites that could leave it unnamed wrap it, see <see cref="OutputPaths"/>) and for an
/// internal error (a bug: its type and message, the trace with <see cref="DebugVariable"/>=1).
/// </summary>
static class CliErrors
{
    public const int BadInput = 2, IoFailure = 1;

    public static int Run(Func<int> run, TextWriter error)
    {
        try { return Unwrapped(run); }
        catch (StoreNotWritableException e)   // an InvalidOperationException to the library, but the file system refused
        {
            Say(error, e.Message);
            return IoFailure;
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or ArgumentException or CommandParseException or CommandRuntimeException or InvalidOperationException)
        {
            Say(error, e.Message);
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Say(error, e.Message);
            return IoFailure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything else is a bug of ours: still one line and an exit code, never a stack trace on the user's
            // terminal; the trace is one environment variable away for the report.
            bool debug = Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true";
            Say(error, $"internal error ({e.GetType().Name}): {WithoutNativeFrames(e.Message)}" + (debug ? "" : $" (rerun with {DebugVariable}=1 for the stack trace, and please report it)"));
            if (debug) { try { error.WriteLine(e); } catch (Exception w) when (w is IOException or ObjectDisposedException) { } }
            return IoFailure;
        }
    }

    /// <summary>libtorch's errors carry its C++ backtrace in the message ("… frame #0: c10::…"): that is a stack trace
    /// too, so the line keeps what comes before it.</summary>
    internal static string WithoutNativeFrames(string message)
    {
        foreach (string marker in new[] { "frame #0", "Exception raised from" })
            if (message.IndexOf(marker, StringComparison.Ordinal) is > 0 and var at) message = message[..at];
        return message.TrimEnd();
    }

    /// <summary>Set to 1 to have an internal error's stack trace printed after its line.</summary>
    public const string DebugVariable = "AMUROCHAR_DEBUG";

    /// <summary>A failure inside a parallel phase arrives as an AggregateException (the study's two workers), which
    /// took the process down with a stack trace (`store prune --all` under a running `reproduce`): its first inner
    /// exception is the one that says what happened.</summary>
    static int Unwrapped(Func<int> run)
    {
        try { return run(); }
        catch (AggregateException e) when (e.Flatten().InnerExceptions is [var first, ..])
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;   // unreachable
        }
    }

    /// <summary>The one line, unless stderr is closed (<c>2>&amp;-</c>): then the exit code alone has to say it, rather
    /// than the failed write aborting the process (it did, exit 134).</summary>
    static void Say(TextWriter error, string message)
    {
        try { error.WriteLine($"amurochar: {OneLine(message)}"); error.Flush(); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException) { }
    }

    /// <summary>Spectre's parse messages can span lines; one line keeps `2>&amp;1 | grep` and logs readable.</summary>
    static string OneLine(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
