using System.Diagnostics;
using Xunit;

namespace AmuroChar.Tests.Hub;

/// <summary>The `amurochar hub` commands run as a separate process against the fake Hub, configured only through
/// the environment variables a user would set (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE).</summary>
public class HubCliTests : HubTestBase
{
    (int Code, string Out, string Err) Run(Dictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amurochar.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (string name in new[] { "HF_TOKEN", "HF_TOKEN_PATH", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_ENDPOINT" }) psi.Environment.Remove(name);
        psi.Environment["HF_HOME"] = Path.Combine(CacheRoot, "hf-home");   // no stray token file from the machine
        psi.Environment["HF_ENDPOINT"] = Hub.Endpoint;
        psi.Environment["HF_HUB_CACHE"] = CacheRoot;
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void RevisionsDownloadAndDatasetFromTheCommandLine()
    {
        string late = CommitModel("step20000-tokens84B");
        string early = CommitModel("step1000-tokens4B", weights: Random(1000, 7));
        string parquet = Hub.Commit("datasets", "org/qa", "refs/convert/parquet", new() { ["default/test/0000.parquet"] = Random(300, 8) });

        var revisions = Run([], "hub", "revisions", ModelId);
        Assert.Equal((0, ""), (revisions.Code, revisions.Err));
        Assert.Equal([$"step1000-tokens4B\t1000\t4000000000\t{early}", $"step20000-tokens84B\t20000\t84000000000\t{late}"],
            revisions.Out.TrimEnd().Split('\n'));

        var download = Run([], "hub", "download", ModelId, "--revision", "step20000-tokens84B", "--include", "*.json");
        Assert.Equal(0, download.Code);
        Assert.Equal(Path.Combine(RepoFolder, "snapshots", late), download.Out.Trim());
        Assert.Contains("config.json: done", download.Err);
        Assert.Contains("2 files, 2 downloaded, 0 already cached", download.Err);
        Assert.Equal(Config, File.ReadAllBytes(Path.Combine(download.Out.Trim(), "config.json")));

        var dataset = Run([], "hub", "dataset", "org/qa", "--split", "test");
        Assert.Equal(0, dataset.Code);
        Assert.Equal(Path.Combine(CacheRoot, "datasets--org--qa", "snapshots", parquet, "default", "test", "0000.parquet"), dataset.Out.Trim());
    }

    /// <summary>Issue 18: a second checkpointed family. Pythia's branches are <c>step{N}</c>, with no token count; they
    /// are listed by step (not by name, where step143000 would come before step3000), <c>main</c> first.</summary>
    [Fact]
    public void Pythia_revisions_are_listed_by_step_without_tokens()
    {
        const string pythia = "EleutherAI/pythia-160m";
        var commits = new[] { "step143000", "step3000", "step512", "main" }
            .ToDictionary(b => b, b => Hub.Commit("models", pythia, b, new() { ["config.json"] = Config }));
        var revisions = Run([], "hub", "revisions", pythia);
        Assert.Equal((0, ""), (revisions.Code, revisions.Err));
        Assert.Equal([$"main			{commits["main"]}", $"step512	512		{commits["step512"]}", $"step3000	3000		{commits["step3000"]}",
            $"step143000	143000		{commits["step143000"]}"], revisions.Out.TrimEnd().Split('\n'));
    }

    [Fact]
    public void ErrorsAreOneLineWithExitCodeTwo()
    {
        CommitModel("main");
        Hub.RequiredToken = "hf_secret";

        var denied = Run([], "hub", "download", ModelId);
        Assert.Equal(2, denied.Code);
        Assert.StartsWith($"amurochar: {ModelId} revision 'main': HTTP 401 Unauthorized: it needs a token (HF_TOKEN", denied.Err);
        Assert.Single(denied.Err.TrimEnd().Split('\n'));

        var missing = Run(new() { ["HF_TOKEN"] = "hf_secret" }, "hub", "download", ModelId, "--revision", "step5-tokens1B");
        Assert.Equal(2, missing.Code);
        Assert.Contains("revision 'step5-tokens1B' not found", missing.Err);
    }
}
