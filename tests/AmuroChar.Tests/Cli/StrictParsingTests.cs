using AmuroChar.Results;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary>A misspelled option or a stray argument is an error (exit 2, one line naming it), never silently
/// ignored: `rouge --stemm` used to score unstemmed, `evaluate --shot 30` ran 4-shot.</summary>
public class StrictParsingTests
{
    [Theory]
    [InlineData("stemm", "--stem", "rouge", "--in", "pairs.jsonl", "--stemm")]
    [InlineData("shot", "--shots", "evaluate", "--dataset", "mnli", "--shot", "30")]
    [InlineData("stor", "--store", "store", "list", "--stor", "X")]
    [InlineData("world_seed", "--world-seed", "pretrain", "--world_seed", "3")]
    [InlineData("seeds", "--seed", "init", "--out", "x", "--seeds", "2")]
    [InlineData("olderthan", "--older-than", "store", "prune", "--olderthan", "3")]
    public void An_unknown_option_is_an_error_that_names_it_and_the_close_match(string option, string suggestion, params string[] args)
    {
        var (exit, error) = CliRun.Run(args);
        Assert.Equal(2, exit);
        string line = CliRun.OneLine(error);
        Assert.Contains($"'{option}'", line);
        Assert.EndsWith($"Did you mean {suggestion}?", line);
    }

    /// <summary>Spectre.Console.Cli 0.57 bound its internal token "__default_command" as the missing value (issue 21:
    /// `init --preset micro --out` wrote a model into ./__default_command); now it is an error naming the option.</summary>
    [Theory]
    [InlineData("out", "init", "--preset", "micro", "--out")]
    [InlineData("out", "reproduce", "--scale", "micro", "--out")]
    [InlineData("store", "corpus", "stats", "--store")]
    [InlineData("in", "rouge", "--in")]
    [InlineData("out", "init", "--out", "--preset", "micro")]
    public void An_option_without_its_value_is_an_error_that_names_it(string option, params string[] args)
    {
        string cwd = Environment.CurrentDirectory;
        var (exit, error) = CliRun.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains($"Option '{option}' is defined but no value has been provided", CliRun.OneLine(error));
        Assert.False(Directory.Exists(Path.Combine(cwd, "__default_command")));
    }

    /// <summary>Issue 21: with stderr closed, the error line's failed write aborted the process (exit 134).</summary>
    [Fact]
    public void An_error_with_stderr_closed_still_exits_with_its_code() =>
        Assert.Equal(2, InShell("rouge --in /no/such/pairs.jsonl 2>&-").Exit);

    /// <summary>Issue 21: "Failed to convert '1,5' to Nullable`1", and `--threads 0x10` ran 16 threads.</summary>
    [Theory]
    [InlineData("--older-than '1,5': expected a number with a dot for decimals", "store", "prune", "--older-than", "1,5")]
    [InlineData("--shots 'abc': expected a whole number", "evaluate", "--step", "0", "--shots", "abc", "--dataset", "mnli")]
    [InlineData("--step 'abc' is not a checkpoint: give a pre-training step (a non-negative integer) or 'main'", "evaluate", "--step", "abc", "--dataset", "mnli")]
    [InlineData("--threads '0x10': expected a whole number", "bench", "--threads", "0x10")]
    [InlineData("--seed '1.5': expected a whole number", "init", "--preset", "micro", "--out", "x", "--seed", "1.5")]
    [InlineData("--shots '99999999999': expected a whole number between", "evaluate", "--shots", "99999999999", "--dataset", "mnli")]
    [InlineData("--step '99999999999' is not a checkpoint", "evaluate", "--step", "99999999999", "--dataset", "mnli")]
    public void A_malformed_number_is_an_error_naming_the_option_and_the_form(string message, params string[] args)
    {
        var (exit, error) = CliRun.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, CliRun.OneLine(error));
    }

    /// <summary>Issue 21: with stdout closed, the error was "Access to the path is denied", naming no path.</summary>
    [Fact]
    public void Stdout_closed_is_said_in_those_words()
    {
        var (exit, output) = InShell("datasets list 2>&1 >&-");   // stderr to the pipe, then stdout closed
        Assert.Equal(1, exit);
        Assert.Contains("standard output is closed", output);
    }

    /// <summary>The built amurochar in a real shell, for redirections a test host can't make (closing a descriptor);
    /// what the command line leaves on the shell's stdout is returned.</summary>
    static (int Exit, string Output) InShell(string arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "amurochar.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec '{dotnet}' '{dll}' {arguments}");
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>Issue 21: `grid calibrate --batch 100000 --length 100000` asked libtorch for 80 GB and ended in a native
    /// error whose message held libtorch's C++ backtrace. The step's planned memory is checked first.</summary>
    [Theory]
    [InlineData("100000", "100000")]
    [InlineData("2147483647", "2147483647")]
    public void Calibrating_beyond_the_machines_memory_is_refused_before_allocating(string batch, string length)
    {
        var (exit, error) = CliRun.Run("grid", "calibrate", "--batch", batch, "--length", length);
        Assert.Equal(2, exit);
        Assert.Contains($"--batch {batch} --length {length}: one training step", CliRun.OneLine(error));
        Assert.Contains("more than this machine's", error);
    }

    [Fact]
    public void A_native_error_keeps_its_message_without_libtorchs_backtrace() =>
        Assert.Equal("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate 80000800000 bytes. Error code 12 (Cannot allocate memory)",
            AmuroChar.Cli.Commands.CliErrors.WithoutNativeFrames(
                "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate 80000800000 bytes. Error code 12 (Cannot allocate memory)\nframe #0: c10::ThrowEnforceNotMet(char const*, int) + 0x68 (0x7fe5 in libc10.so)\nframe #1: c10::alloc_cpu(unsigned long)"));

    /// <summary>Issue 21: an unknown dataset was "has no training split", the same words as a set without one.</summary>
    [Theory]
    [InlineData("nosuch", "unknown dataset 'nosuch'; valid datasets: arc_challenge")]
    [InlineData("arc_easy", "dataset 'arc_easy' has no split 'train'; its splits:")]
    public void Fine_tuning_on_a_dataset_says_why_it_cant_be(string dataset, string why)
    {
        var (exit, error) = CliRun.Run("finetune", "--scale", "micro", "--step", "8", "--dataset", dataset, "--store", Path.Combine(Path.GetTempPath(), "amurochar-test-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(2, exit);
        string line = CliRun.OneLine(error);
        Assert.Contains($"no model can be fine-tuned on '{dataset}': {why}", line);
        Assert.Contains("the datasets with a training split: ", line);
    }

    [Fact]
    public void A_negative_number_is_a_value_not_a_missing_one()
    {
        var (exit, error) = CliRun.Run("evaluate", "--step", "-1", "--dataset", "mnli");
        Assert.Equal(2, exit);
        Assert.DoesNotContain("no value has been provided", CliRun.OneLine(error));
    }

    [Fact]
    public void Nothing_is_suggested_when_nothing_is_close_or_the_option_belongs_to_another_command()
    {
        var (exit, error) = CliRun.Run("rouge", "--in", "pairs.jsonl", "--frobnicate");
        Assert.Equal(2, exit);
        Assert.DoesNotContain("Did you mean", CliRun.OneLine(error));

        (exit, error) = CliRun.Run("store", "list", "--all");   // an option of `store prune`, not of `store list`
        Assert.Equal(2, exit);
        Assert.DoesNotContain("Did you mean", CliRun.OneLine(error));
    }

    [Fact]
    public void An_extra_argument_is_an_error_that_names_it()
    {
        var (exit, error) = CliRun.Run("rouge", "--in", "pairs.jsonl", "--stem", "extra");
        Assert.Equal(2, exit);
        Assert.Contains("'extra'", CliRun.OneLine(error));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-1")]
    [InlineData("Infinity")]
    public void Prune_refuses_an_age_that_is_not_a_finite_number_of_days(string days)
    {
        using var dir = new ScratchDirectory();
        var store = new ResultStore(dir.Sub("store"));
        var key = ResultKey.Create("eval").With("n", 1);
        store.PutJson(key, new { value = 1 }, cancel: TestContext.Current.CancellationToken);

        var (exit, error) = CliRun.Run("store", "prune", "--older-than", days, "--store", store.Root);

        Assert.Equal(2, exit);
        Assert.Contains("--older-than", CliRun.OneLine(error));
        Assert.True(store.TryGetJson<System.Text.Json.Nodes.JsonObject>(key, out _), "the valid entry must survive");
    }

    /// <summary>Issue 21: `--older-than 1e308` failed with "Value to add was out of range"; no entry is that old.</summary>
    [Theory]
    [InlineData("1e308")]
    [InlineData("3000000")]
    public void Prune_with_an_age_beyond_the_calendar_removes_nothing(string days)
    {
        using var dir = new ScratchDirectory();
        var store = new ResultStore(dir.Sub("store"));
        var key = ResultKey.Create("eval").With("n", 1);
        store.PutJson(key, new { value = 1 }, cancel: TestContext.Current.CancellationToken);
        var (exit, error) = CliRun.Run("store", "prune", "--older-than", days, "--store", store.Root);
        Assert.True(exit == 0, error);
        Assert.True(store.TryGetJson<System.Text.Json.Nodes.JsonObject>(key, out _));
    }

    [Fact]
    public void Prune_with_a_valid_age_runs()
    {
        using var dir = new ScratchDirectory();
        var store = new ResultStore(dir.Sub("store"));
        var key = ResultKey.Create("eval").With("n", 1);
        store.PutJson(key, new { value = 1 }, cancel: TestContext.Current.CancellationToken);
        Assert.Equal(0, CliRun.Run("store", "prune", "--older-than", "1", "--store", store.Root).Exit);
        Assert.True(store.TryGetJson<System.Text.Json.Nodes.JsonObject>(key, out _), "a new entry is younger than a day");
    }
}
