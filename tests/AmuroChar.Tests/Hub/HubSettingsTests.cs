using AmuroChar.Hub;
using Xunit;

namespace AmuroChar.Tests.Hub;

/// <summary>The environment variables huggingface_hub reads, read the same way (an injected lookup, so tests don't
/// change the process's environment under other tests).</summary>
public class HubSettingsTests : HubTestBase
{
    static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public async Task HfEndpointAndHfTokenAreHonoured()
    {
        CommitModel("main");
        Hub.RequiredToken = "hf_from_env";
        var options = HubOptions.FromEnvironment(Env(("HF_ENDPOINT", Hub.Endpoint + "/"), ("HF_TOKEN", "hf_from_env"), ("HF_HUB_CACHE", CacheRoot)));
        using var client = new HubClient(options);

        var snapshot = await client.DownloadAsync(HubRepo.Model(ModelId), "main", ct: Cancel);

        Assert.Equal(Hub.Endpoint, options.Endpoint);
        Assert.StartsWith(CacheRoot, snapshot.Folder, StringComparison.Ordinal);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.All(Hub.Requests.Where(r => r.Server == "hub"), r => Assert.Equal("Bearer hf_from_env", r.Authorization));
    }

    [Fact]
    public void TheTokenOptionWinsOverHfTokenWhichWinsOverTheTokenFile()
    {
        string home = Path.Combine(CacheRoot, "home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "token"), "hf_from_file\n");

        Assert.Equal("hf_option", HubOptions.FromEnvironment(Env(("HF_HOME", home), ("HF_TOKEN", "hf_env")), token: "hf_option").Token);
        Assert.Equal("hf_env", HubOptions.FromEnvironment(Env(("HF_HOME", home), ("HF_TOKEN", "hf_env"))).Token);
        Assert.Equal("hf_from_file", HubOptions.FromEnvironment(Env(("HF_HOME", home))).Token);
        Assert.Null(HubOptions.FromEnvironment(Env(("HF_HOME", Path.Combine(CacheRoot, "empty")))).Token);
        Assert.Equal(HubOptions.DefaultEndpoint, HubOptions.FromEnvironment(Env()).Endpoint);
    }

    [Fact]
    public void CacheRootFollowsHfHubCacheThenHfHomeThenXdgThenHome()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal("/data/hub-cache", HubCache.DefaultRoot(Env(("HF_HUB_CACHE", "/data/hub-cache"), ("HF_HOME", "/data/hf"))));
        Assert.Equal("/data/legacy", HubCache.DefaultRoot(Env(("HUGGINGFACE_HUB_CACHE", "/data/legacy"), ("HF_HOME", "/data/hf"))));
        Assert.Equal(Path.Combine("/data/hf", "hub"), HubCache.DefaultRoot(Env(("HF_HOME", "/data/hf"))));
        Assert.Equal(Path.Combine("/xdg", "huggingface", "hub"), HubCache.DefaultRoot(Env(("XDG_CACHE_HOME", "/xdg"))));
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), HubCache.DefaultRoot(Env()));
        Assert.Equal(home + "/hf", HubCache.DefaultRoot(Env(("HF_HUB_CACHE", "~/hf"))));
    }

    [Fact]
    public void BadEndpointsAndRepositoryIdsAndPathsAreRefused()
    {
        Assert.Contains("HF_ENDPOINT 'ftp://x'", Assert.Throws<ArgumentException>(() => HubOptions.FromEnvironment(Env(("HF_ENDPOINT", "ftp://x")))).Message);
        Assert.Throws<ArgumentException>(() => HubRepo.Model("../etc"));
        Assert.Throws<ArgumentException>(() => HubRepo.Model("a/b/c"));
        Assert.Equal("models--allenai--OLMo-1B-hf", HubRepo.Model("allenai/OLMo-1B-hf").FolderName);
        Assert.Equal("datasets--glue", HubRepo.Dataset("glue").FolderName);
        Assert.Contains("unsafe path", Assert.Throws<InvalidDataException>(() => HubCache.RelativePath("../../outside")).Message);
        Assert.Throws<InvalidDataException>(() => HubCache.RelativePath("/etc/passwd"));
    }
}
