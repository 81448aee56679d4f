using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;

namespace AmuroChar.Tests.Results;

/// <summary>`store prune --stale`: entries made by other code go; this code's entries stay, whatever platform made them.</summary>
public sealed class StalePruneTests : StoreTestBase
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static ResultKey Eval(string codeVersion) => ResultKey.Create("eval").With("code_version", codeVersion).With("dataset", "mnli");

    [Fact]
    public void Removes_only_entries_of_other_code()
    {
        var store = NewStore();
        string current = CodeVersion.Current;
        string otherPlatform = current.Split(" numerics:")[0] + " numerics:arm64-native threads:8";
        string oldCode = "amurochar-2026.11.28-2";
        store.PutJson(Eval(current), new[] { 0.5 }, cancel: Cancel);
        store.PutJson(Eval(otherPlatform), new[] { 0.6 }, cancel: Cancel);
        store.PutJson(Eval(oldCode), new[] { 0.7 }, cancel: Cancel);
        store.PutJson(ResultKey.Create("tokenizer").With("world_seed", 1), new[] { 1.0 }, cancel: Cancel);

        var dry = store.Prune(new PruneOptions { Stale = CodeVersion.Stale, DryRun = true });
        var removed = Assert.Single(dry.Removed);
        Assert.Equal(Eval(oldCode).Hash, removed.Hash);
        Assert.Contains("stale", removed.Reason);

        Assert.Empty(store.Prune().Removed);   // without --stale nothing valid goes
        Assert.Single(store.Prune(new PruneOptions { Stale = CodeVersion.Stale }).Removed);
        Assert.Equal(3, store.List().Count(e => e.Status == StoreEntryStatus.Valid));
    }

    [Fact]
    public void The_code_version_names_the_source_hash_and_the_numeric_path()
    {
        Assert.Matches("^[0-9a-f]{64}$", CodeVersion.SourceHash);
        Assert.Contains($"src:{CodeVersion.SourceHash[..16]}", CodeVersion.Current);
        Assert.Contains($"numerics:{AmuroChar.Model.NumericPath.Profile}", CodeVersion.Current);
        Assert.Null(CodeVersion.Stale(Eval(CodeVersion.Current)));
    }
}
