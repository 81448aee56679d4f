using AmuroChar.Cli.Commands;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Cli;

/// <summary>Where a command writes is checked before it works, and a refusal is one line naming the path (exit 1),
/// not a stack trace (exit 134) after the work.</summary>
public class OutputPathTests
{
    [Fact]
    public void Init_into_a_file_names_it()
    {
        using var dir = new ScratchDirectory();
        string file = dir.Sub("file");
        File.WriteAllText(file, "mine");
        var (exit, error) = CliRun.Run("init", "--preset", "micro", "--out", file);
        Assert.Equal(1, exit);
        Assert.Contains(file, CliRun.OneLine(error));
        Assert.Equal("mine", File.ReadAllText(file));

        (exit, error) = CliRun.Run("init", "--preset", "micro", "--out", Path.Combine(file, "sub"));
        Assert.Equal(1, exit);
        Assert.Contains(file, CliRun.OneLine(error));
    }

    /// <summary>Issue 21: export wrote a temporary file and renamed it onto --out, which replaced a device, a FIFO (its
    /// reader got nothing) or a link itself (its target kept its old content). Now anything but a regular file is
    /// refused before any work, exit 2, and left as it was.</summary>
    [Fact]
    public void Export_refuses_an_output_that_is_not_a_regular_file_and_leaves_it_alone()
    {
        using var dir = new ScratchDirectory();
        string target = dir.Sub("target.jsonl"), link = dir.Sub("link.jsonl"), fifo = dir.Sub("fifo");
        File.WriteAllText(target, "mine");
        File.CreateSymbolicLink(link, target);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        foreach (var (path, kind) in new[] { (link, "a symbolic link"), (fifo, "a FIFO"), ("/dev/null", "a character device") })
        {
            if (kind == "a FIFO" && !File.Exists(fifo)) continue;   // no mkfifo on this system
            var (exit, error) = CliRun.Run("datasets", "export", "mnli", "--out", path);
            Assert.Equal(2, exit);
            Assert.Contains($"is {kind}, not a regular file", CliRun.OneLine(error));
        }
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Null(OutputPaths.NotRegular(target));
        Assert.Null(OutputPaths.NotRegular(dir.Sub("absent")));
    }

    [Fact]
    public void Init_refuses_a_non_empty_folder_and_with_force_leaves_no_stale_tokenizer()
    {
        using var dir = new ScratchDirectory();
        string model = dir.Sub("model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "user's config");
        File.WriteAllText(Path.Combine(model, "tokenizer.json"), "{}");
        File.WriteAllText(Path.Combine(model, "notes.txt"), "keep me");

        var (exit, error) = CliRun.Run("init", "--preset", "micro", "--out", model);
        Assert.Equal(1, exit);
        Assert.Contains("--force", CliRun.OneLine(error));
        Assert.Equal("user's config", File.ReadAllText(Path.Combine(model, "config.json")));

        (exit, error) = CliRun.Run("init", "--preset", "micro", "--out", model, "--force");
        Assert.True(exit == 0, error);
        Assert.NotEqual("user's config", File.ReadAllText(Path.Combine(model, "config.json")));
        Assert.False(File.Exists(Path.Combine(model, "tokenizer.json")), "the old model's tokenizer must not sit beside the new model");
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(model, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));
    }

    [Fact]
    public void Export_onto_a_folder_names_it()
    {
        using var dir = new ScratchDirectory();
        string folder = dir.Sub("existing");
        Directory.CreateDirectory(folder);
        var (exit, error) = CliRun.Run("datasets", "export", "mnli", "--out", folder, "--store", dir.Sub("store"));
        Assert.Equal(1, exit);
        Assert.Contains(folder, CliRun.OneLine(error));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void Reproduce_with_out_on_a_file_fails_before_any_work()
    {
        using var dir = new ScratchDirectory();
        string file = dir.Sub("report");
        File.WriteAllText(file, "");
        string store = dir.Sub("store");
        var (exit, error) = CliRun.Run("reproduce", "--out", file, "--store", store);
        Assert.Equal(1, exit);
        Assert.Contains(file, CliRun.OneLine(error));
        Assert.False(Directory.Exists(Path.Combine(store, "tokenizer")) || Directory.Exists(Path.Combine(store, "pretrain")), "nothing may be computed");
    }

    [Fact]
    public void A_writable_folder_passes_and_keeps_no_probe_file()
    {
        using var dir = new ScratchDirectory();
        string folder = OutputPaths.RequireWritableFolder(dir.Sub("a/b"), "--out");
        Assert.True(Directory.Exists(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void A_folder_the_file_system_refuses_is_named()
    {
        // /proc refuses new entries even to root, so this holds wherever the tests run on Linux.
        Assert.SkipUnless(OperatingSystem.IsLinux() && Directory.Exists("/proc/self"), "needs Linux /proc as an unwritable place");
        var e = Assert.Throws<IOException>(() => OutputPaths.RequireWritableFolder("/proc/amurochar-test/out", "--out"));
        Assert.StartsWith("--out /proc/amurochar-test/out: cannot write to the folder /proc/amurochar-test/out", e.Message);
    }

    [Fact]
    public void Too_little_free_space_is_refused_with_the_numbers()
    {
        using var dir = new ScratchDirectory();
        var e = Assert.Throws<IOException>(() => OutputPaths.RequireFreeSpace(dir.Path, long.MaxValue, "the result store", "to store the model"));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("MiB free", e.Message);
        OutputPaths.RequireFreeSpace(dir.Path, 1, "the result store", "to store the model");
    }

    [Theory]
    [InlineData(typeof(IOException), 1)]
    [InlineData(typeof(UnauthorizedAccessException), 1)]
    [InlineData(typeof(InvalidDataException), 2)]
    public void File_system_errors_are_one_line_and_exit_non_zero(Type type, int expected)
    {
        var error = new StringWriter();
        int exit = CliErrors.Run(() => throw (Exception)Activator.CreateInstance(type, "/some/path: No space left on device")!, error);
        Assert.Equal(expected, exit);
        Assert.Equal("amurochar: /some/path: No space left on device", CliRun.OneLine(error.ToString()));
    }
}
