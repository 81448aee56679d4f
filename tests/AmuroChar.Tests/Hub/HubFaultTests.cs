using AmuroChar.Hub;
using Xunit;

namespace AmuroChar.Tests.Hub;

public class HubFaultTests : HubTestBase
{
    static readonly HubRepo Model = HubRepo.Model(ModelId);
    static string BlobUrl => "/blobs/" + FakeHub.Sha256(Weights);

    string WeightsBlob => Path.Combine(RepoFolder, "blobs", FakeHub.Sha256(Weights));

    [Fact]
    public async Task WithoutATokenA401SaysOneIsNeeded()
    {
        CommitModel("main");
        Hub.RequiredToken = "hf_secret";
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

        Assert.Equal(401, e.Status);
        Assert.Contains("needs a token (HF_TOKEN", e.Message);
        Assert.Contains(ModelId, e.Message);
        Assert.Single(Hub.Requests);   // not retried

        using var wrong = Client(token: "hf_wrong");
        var refused = await Assert.ThrowsAsync<HubException>(() => wrong.DownloadAsync(Model, "main", ct: Cancel));
        Assert.Contains("refused the token", refused.Message);
    }

    [Fact]
    public async Task TheTokenGoesToTheHubButNotToTheCdn()
    {
        CommitModel("main");
        Hub.RequiredToken = "hf_secret";
        using var client = Client(token: "hf_secret");

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.All(Hub.Requests.Where(r => r.Server == "hub"), r => Assert.Equal("Bearer hf_secret", r.Authorization));
        Assert.All(Hub.Requests.Where(r => r.Server == "cdn"), r => Assert.Null(r.Authorization));
        Assert.Contains(Hub.Requests, r => r.Server == "cdn");
    }

    [Fact]
    public async Task A404NamesTheRepositoryRevisionOrFile()
    {
        CommitModel("main");
        using var client = Client();

        var revision = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "step999-tokens1B", ct: Cancel));
        Assert.Equal(404, revision.Status);
        Assert.Contains($"{ModelId}: revision 'step999-tokens1B' not found", revision.Message);

        var repo = await Assert.ThrowsAsync<HubException>(() => client.ListRevisionsAsync(HubRepo.Model("allenai/OLMo-2B-nope"), ct: Cancel));
        Assert.Contains("allenai/OLMo-2B-nope: repository not found", repo.Message);

        Hub.Fail("tokenizer.json", 404, times: 1);
        var file = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));
        Assert.Contains($"{ModelId} revision 'main' file 'tokenizer.json'", file.Message);
        Assert.Single(Hub.Requests, r => r.Path.EndsWith("/tokenizer.json", StringComparison.Ordinal));   // not retried
        Assert.False(File.Exists(Path.Combine(RepoFolder, "refs", "main")));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedThenSucceed()
    {
        CommitModel("main");
        Hub.Fail("/revision/main", 503, times: 1);
        Hub.Fail("model.safetensors", 500, times: 1);
        Hub.Fail(BlobUrl, 502, times: 1);
        using var client = Client();

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.Equal(3, Log.Count(l => l.Contains("retrying", StringComparison.Ordinal)));
        Assert.Equal(2, Hub.Requests.Count(r => r.Path.EndsWith("/revision/main", StringComparison.Ordinal)));
    }

    /// <summary>Issue 21: a redirect loop was reported as "no X-Repo-Commit header; is HF_ENDPOINT a Hugging Face Hub?".</summary>
    [Fact]
    public async Task ARedirectLoopIsNamedAsOne()
    {
        CommitModel("main");
        Hub.RedirectToItself("/tokenizer.json", times: 100);
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

        Assert.Contains($"{ModelId} revision 'main' file 'tokenizer.json'", e.Message);
        Assert.Contains("redirected 5 times", e.Message);
        Assert.DoesNotContain("is HF_ENDPOINT", e.Message);
        Assert.True(Hub.Requests.Count(r => r.Path.EndsWith("/tokenizer.json", StringComparison.Ordinal)) <= 6);
    }

    [Fact]
    public async Task RetriesAreBounded()
    {
        CommitModel("main");
        Hub.Fail("/revision/main", 503, times: 100);
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

        Assert.Contains("gave up after 3 tries (HTTP 503)", e.Message);
        Assert.Equal(3, Hub.Requests.Count);
    }

    [Fact]
    public async Task ABodyCutShortIsResumedWithARange()
    {
        CommitModel("main");
        Hub.Cut(BlobUrl, afterBytes: 100_000);
        using var client = Client();

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        var gets = Hub.Bodies("cdn").ToList();
        Assert.Equal([(null, 100_000L), ("bytes=100000-", Weights.Length - 100_000L)], gets.Select(g => (g.Range, g.BodyBytes)));
        Assert.Contains(Log, l => l.Contains("connection lost at byte 100000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADownloadThatGivesUpIsNeverLeftAsAValidFileAndTheNextRunResumesIt()
    {
        string commit = CommitModel("main");
        Hub.Cut(BlobUrl, afterBytes: 50_000);
        Hub.Fail(BlobUrl, 503, times: 3);   // then every resumption fails until the retries run out
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("gave up after 3 tries (HTTP 503)", e.Message);
        Assert.False(File.Exists(WeightsBlob));
        Assert.Equal(50_000, new FileInfo(WeightsBlob + ".incomplete").Length);
        Assert.False(File.Exists(Path.Combine(RepoFolder, "snapshots", commit, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(RepoFolder, "refs", "main")));

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        var last = Hub.Bodies("cdn").Last();
        Assert.Equal(("bytes=50000-", Weights.Length - 50_000L), (last.Range, last.BodyBytes));
    }

    [Fact]
    public async Task AnExistingIncompleteFileIsContinuedWithARangeRequest()
    {
        CommitModel("main");
        Directory.CreateDirectory(Path.GetDirectoryName(WeightsBlob)!);
        File.WriteAllBytes(WeightsBlob + ".incomplete", Weights[..123_457]);
        using var client = Client();

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        var get = Assert.Single(Hub.Bodies("cdn"));
        Assert.Equal(("bytes=123457-", Weights.Length - 123_457L), (get.Range, get.BodyBytes));
        Assert.False(File.Exists(WeightsBlob + ".incomplete"));
    }

    [Fact]
    public async Task AnIncompleteFileHeldByAnotherDownloadIsLeftAlone()
    {
        CommitModel("main");
        Directory.CreateDirectory(Path.GetDirectoryName(WeightsBlob)!);
        using (var other = new FileStream(WeightsBlob + ".incomplete", FileMode.Create, FileAccess.Write, FileShare.None))
        {
            other.Write(Weights, 0, 10);
            other.Flush();
            using var client = Client();

            var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

            Assert.Contains("is being written by another download", e.Message);
            Assert.DoesNotContain(Hub.Requests, r => r.Server == "cdn");
        }
        Assert.Equal(10, new FileInfo(WeightsBlob + ".incomplete").Length);
        Assert.False(File.Exists(WeightsBlob));
    }

    [Fact]
    public async Task AServerThatIgnoresRangeIsReadFromTheStart()
    {
        CommitModel("main");
        Hub.IgnoreRange = true;
        Directory.CreateDirectory(Path.GetDirectoryName(WeightsBlob)!);
        File.WriteAllBytes(WeightsBlob + ".incomplete", Weights[..1000]);
        using var client = Client();

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        Assert.Equal(Weights.Length, Assert.Single(Hub.Bodies("cdn")).BodyBytes);
    }

    /// <summary>Issue 21: a snapshot link whose blob was deleted was taken as cached, so every later read failed.</summary>
    [Fact]
    public async Task ADanglingSnapshotLinkIsDownloadedAgainAndRepaired()
    {
        CommitModel("main");
        using (var first = Client()) await first.DownloadAsync(Model, "main", ct: Cancel);
        File.Delete(WeightsBlob);
        using var client = Client();

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);

        Assert.Equal(1, snapshot.Downloaded);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
    }

    /// <summary>Issue 21: a server that ignores Range and always sends a short body (a little longer each time) looked
    /// like progress on every try, and was asked again forever. The requests of one download are bounded.</summary>
    [Fact]
    public async Task ABodyAlwaysCutShortEndsAfterABoundedNumberOfRequests()
    {
        CommitModel("main");
        Hub.IgnoreRange = true;
        Hub.CutGrowing(BlobUrl, afterBytes: 1000, growBytes: 1000);
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

        Assert.Contains("requests did not complete the download", e.Message);
        Assert.True(Hub.Bodies("cdn").Count() <= 4 * Options().MaxAttempts, $"{Hub.Bodies("cdn").Count()} requests");
        Assert.DoesNotContain(Log, line => line.Contains("after -", StringComparison.Ordinal));   // no negative byte counts
    }

    /// <summary>Issue 21: a JSON answer whose body stalls after the headers was waited on forever.</summary>
    [Fact]
    public async Task AJsonAnswerThatStallsAfterItsHeadersIsBoundedInTime()
    {
        CommitModel("main");
        Hub.JsonBodyStall = TimeSpan.FromSeconds(12);
        using var client = new HubClient(Options() with { StallTimeout = TimeSpan.FromSeconds(1) }, Log.Enqueue);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<HubException>(() => client.ListRevisionsAsync(Model, Cancel));

        Assert.Contains("did not arrive in full", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AChecksumMismatchDeletesTheDownloadAndLeavesNothingValid()
    {
        string commit = CommitModel("main");
        Hub.Corrupt(BlobUrl);
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(Model, "main", ct: Cancel));

        Assert.Contains("sha256 mismatch", e.Message);
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains(FakeHub.Sha256(Weights), e.Message);
        Assert.False(File.Exists(WeightsBlob));
        Assert.False(File.Exists(WeightsBlob + ".incomplete"));
        Assert.False(File.Exists(Path.Combine(RepoFolder, "snapshots", commit, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(RepoFolder, "refs", "main")));

        var snapshot = await client.DownloadAsync(Model, "main", ct: Cancel);   // the fault was one-off: a rerun succeeds
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
    }
}
