using AmuroChar.Hub;
using Xunit;

namespace AmuroChar.Tests.Hub;

public class HubDownloadTests : HubTestBase
{
    [Fact]
    public async Task ListsBranchesSortedByStepWithTheirCommits()
    {
        string late = CommitModel("step20000-tokens84B");
        string main = CommitModel("main", config: "{}"u8.ToArray());
        string early = CommitModel("step1000-tokens4B", weights: Random(10, 2));
        using var client = Client();

        var revisions = await client.ListRevisionsAsync(HubRepo.Model(ModelId), ct: Cancel);

        Assert.Equal(["main", "step1000-tokens4B", "step20000-tokens84B"], revisions.Select(r => r.Name));
        Assert.Equal([main, early, late], revisions.Select(r => r.Commit));
        Assert.Equal([null, 1000L, 20000L], revisions.Select(r => r.Step));
        Assert.Equal([null, 4_000_000_000L, 84_000_000_000L], revisions.Select(r => r.Tokens));
    }

    [Fact]
    public async Task LaysOutBlobsSnapshotsAndRefsAsHuggingFaceHubDoes()
    {
        string commit = CommitModel("step1000-tokens4B");
        using var client = Client();

        var snapshot = await client.DownloadAsync(HubRepo.Model(ModelId), "step1000-tokens4B", ct: Cancel);

        Assert.Equal(Path.Combine(RepoFolder, "snapshots", commit), snapshot.Folder);
        Assert.Equal(3, snapshot.Downloaded);
        // LFS files are named by their sha256, git files by their git blob sha1.
        string weightsBlob = Path.Combine(RepoFolder, "blobs", FakeHub.Sha256(Weights));
        string configBlob = Path.Combine(RepoFolder, "blobs", FakeHub.GitSha1(Config));
        Assert.Equal(Weights, File.ReadAllBytes(weightsBlob));
        Assert.Equal(Config, File.ReadAllBytes(configBlob));
        foreach (var (name, bytes) in new[] { ("model.safetensors", Weights), ("config.json", Config), ("tokenizer.json", Tokenizer) })
        {
            var link = new FileInfo(Path.Combine(snapshot.Folder, name));
            Assert.Equal(Path.Combine("..", "..", "blobs", name == "model.safetensors" ? FakeHub.Sha256(bytes) : FakeHub.GitSha1(bytes)), link.LinkTarget);
            Assert.Equal(bytes, File.ReadAllBytes(link.FullName));
        }
        Assert.Equal(commit, File.ReadAllText(Path.Combine(RepoFolder, "refs", "step1000-tokens4B")));   // no newline, as huggingface_hub writes it
        Assert.DoesNotContain(Files(RepoFolder), f => f.EndsWith(".incomplete", StringComparison.Ordinal) || f.Contains(".tmp-", StringComparison.Ordinal));
        Assert.Equal(snapshot.Folder, client.Cache.FindSnapshot(HubRepo.Model(ModelId), "step1000-tokens4B"));
    }

    [Fact]
    public async Task ASecondDownloadReusesTheSnapshotAndAnotherRevisionReusesSharedBlobs()
    {
        CommitModel("step1000-tokens4B");
        using var client = Client();
        await client.DownloadAsync(HubRepo.Model(ModelId), "step1000-tokens4B", ct: Cancel);
        int before = Hub.Requests.Count;

        var again = await client.DownloadAsync(HubRepo.Model(ModelId), "step1000-tokens4B", ct: Cancel);

        Assert.Equal((0, 3), (again.Downloaded, again.Cached));
        var second = Hub.Requests.Skip(before).ToList();
        Assert.Equal(["/api/models/allenai/OLMo-tiny-hf/revision/step1000-tokens4B"], second.Select(r => r.Path));

        // Same weights and tokenizer, a new config: only the config's bytes travel; the others cost a HEAD each.
        CommitModel("step2000-tokens8B", config: """{"model_type":"olmo","hidden_size":65}"""u8.ToArray());
        before = Hub.Requests.Count;
        var other = await client.DownloadAsync(HubRepo.Model(ModelId), "step2000-tokens8B", ct: Cancel);

        Assert.Equal((1, 2), (other.Downloaded, other.Cached));
        var third = Hub.Requests.Skip(before).ToList();
        Assert.Equal(["config.json"], third.Where(r => r.Method == "GET" && r.BodyBytes > 0).Select(r => r.Path.Split('/')[^1]));
        Assert.DoesNotContain(third, r => r.Server == "cdn");
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(other.Folder, "model.safetensors")));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(RepoFolder, "snapshots")).Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(RepoFolder, "blobs")).Length);
    }

    [Fact]
    public async Task IncludeKeepsOnlyMatchingFiles()
    {
        CommitModel("main");
        using var client = Client();

        var snapshot = await client.DownloadAsync(HubRepo.Model(ModelId), "main", include: ["*.json"], ct: Cancel);

        Assert.Equal(["config.json", "tokenizer.json"], snapshot.Files);
        Assert.False(File.Exists(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.DoesNotContain(Hub.Requests, r => r.Server == "cdn");
        var none = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(HubRepo.Model(ModelId), "main", include: ["*.bin"], ct: Cancel));
        Assert.Contains("no file matches --include *.bin", none.Message);
    }

    [Theory]
    [InlineData("*.json", "config.json", true)]
    [InlineData("*.json", "sub/dir/x.json", true)]   // fnmatch's * crosses folders
    [InlineData("sub/", "sub/a/b.txt", true)]
    [InlineData("model-0000?-of-00002.safetensors", "model-00001-of-00002.safetensors", true)]
    [InlineData("[!m]*", "model.safetensors", false)]
    [InlineData("*.JSON", "config.json", false)]      // case-sensitive, as fnmatchcase
    public void GlobsMatchAsFnmatchcase(string pattern, string path, bool matches) =>
        Assert.Equal(matches, RepoGlob.ToRegex(pattern).IsMatch(path));

    [Fact]
    public async Task DatasetSplitFromTheParquetConversion()
    {
        byte[] shard0 = Random(5000, 3), shard1 = Random(7000, 4), test = Random(100, 5);
        string commit = Hub.Commit("datasets", "org/tweets", "refs/convert/parquet", new()
        {
            ["default/train/0000.parquet"] = shard0,
            ["default/train/0001.parquet"] = shard1,
            ["default/test/0000.parquet"] = test,
        });
        using var client = Client();

        var snapshot = await client.DownloadParquetAsync("org/tweets", "default", "train", ct: Cancel);

        string repo = Path.Combine(CacheRoot, "datasets--org--tweets");
        Assert.Equal(Path.Combine(repo, "snapshots", commit), snapshot.Folder);
        Assert.Equal(["default/train/0000.parquet", "default/train/0001.parquet"], snapshot.Files);
        Assert.Equal(shard0, File.ReadAllBytes(Path.Combine(snapshot.Folder, "default", "train", "0000.parquet")));
        Assert.Equal(shard1, File.ReadAllBytes(Path.Combine(snapshot.Folder, "default", "train", "0001.parquet")));
        Assert.Equal(Path.Combine("..", "..", "..", "..", "blobs", FakeHub.Sha256(shard1)),
            new FileInfo(Path.Combine(snapshot.Folder, "default", "train", "0001.parquet")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(snapshot.Folder, "default", "test", "0000.parquet")));
        Assert.Equal(commit, File.ReadAllText(Path.Combine(repo, "refs", "refs", "convert", "parquet")));
        Assert.Contains(Hub.Requests, r => r.Path == $"/datasets/org/tweets/resolve/{commit}/default/train/0001.parquet");
    }
}
