using AmuroChar.Baselines;
using AmuroChar.Evaluation;
using Xunit;

namespace AmuroChar.Tests.Baselines;

public class BaselineFileAndAcceptAllTests : SnapshotTestBase
{
    const string Good = """{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": 10}}}""";

    [Theory]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": 10}""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("""[1, 2]""", "the top level is an array of 2")]
    [InlineData("""{}""", "no \"metrics\" field")]
    [InlineData("""{"metrics": []}""", "\"metrics\" is an array of 0")]
    [InlineData("""{"metric": {}}""", "unexpected top-level field \"metric\"")]
    [InlineData("""{"metrics": {"a": 0.5}}""", "metric \"a\": is the number 0.5, expected an object")]
    [InlineData("""{"metrics": {"a": {"mean": "0.5", "ci95": [0.4, 0.6], "n": 10}}}""", "metric \"a\": mean is the string \"0.5\", expected a number")]
    [InlineData("""{"metrics": {"a": {"mean": null, "ci95": [0.4, 0.6], "n": 10}}}""", "mean is null, expected a number")]
    [InlineData("""{"metrics": {"a": {"mean": 1e999, "ci95": [0.4, 0.6], "n": 10}}}""", "mean is the number 1e999, expected a number")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4], "n": 10}}}""", "ci95 is an array of 1, expected an array of two numbers")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": 0.4, "n": 10}}}""", "ci95 is the number 0.4, expected an array")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, "x"], "n": 10}}}""", "ci95[1] is the string \"x\"")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.6, 0.4], "n": 10}}}""", "lower bound 0.6 is above upper bound 0.4")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": 1.5}}}""", "n is the number 1.5, expected a non-negative integer")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": -1}}}""", "n is the number -1")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6]}}}""", "metric \"a\": no \"n\"")]
    [InlineData("""{"metrics": {"a": {"ci95": [0.4, 0.6], "n": 1}}}""", "no \"mean\"")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": 1, "sd": 2}}}""", "unexpected field \"sd\"")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "mean": 0.6, "ci95": [0.4, 0.6], "n": 1}}}""", "\"mean\" appears twice")]
    [InlineData("""{"metrics": {"a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": 1}, "a": {"mean": 0.5, "ci95": [0.4, 0.6], "n": 1}}}""", "metric \"a\" appears twice")]
    public void A_malformed_baseline_names_the_file_and_the_problem(string text, string problem)
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(VerifiedFile, text);
        var ex = Assert.Throws<InvalidDataException>(() => BaselineFile.Read(VerifiedFile));
        Assert.Contains(VerifiedFile, ex.Message);
        Assert.Contains(problem, ex.Message);

        // Verify fails the same way, but leaves the measurements behind so that accepting can repair the file.
        var verify = Assert.Throws<InvalidDataException>(() => Verify(Sample()));
        Assert.Contains(problem, verify.Message);
        Assert.Contains("amurochar baselines accept", verify.Message);
        Assert.True(File.Exists(ReceivedFile));
        Assert.Equal(text, File.ReadAllText(VerifiedFile));
    }

    [Fact]
    public void Accepting_replaces_a_malformed_baseline()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(VerifiedFile, "{ broken");
        var result = Verify(Sample(), accept: true);
        Assert.True(result.Accepted);
        Assert.False(result.BaselineFound);
        Assert.Contains("replacing an unreadable baseline", result.Diff);
        Assert.True(Verify(Sample()).Matched);
    }

    [Fact]
    public void The_reader_takes_any_whitespace()
    {
        var parsed = BaselineFile.Parse(Good, "inline");
        Assert.Equal(new Estimate(0.5, 0.4, 0.6, 10), parsed["a"]);
        Assert.Empty(BaselineFile.Parse("""{"metrics": {}}""", "inline"));
        Assert.Equal("{\n  \"metrics\": {}\n}\n", BaselineFile.Format(new Dictionary<string, Estimate>()));
    }

    [Fact]
    public void AcceptAll_promotes_every_received_file_and_Pending_lists_them()
    {
        string other = Path.Combine(Root, "small", "forgetting");
        Verify(Sample(), accept: true);
        var moved = Sample();
        moved["xsum/ft/rougeL"] = new Estimate(0.35, 0.335, 0.366, 200);
        Assert.False(Verify(moved).Passed);                                                          // changed
        Assert.False(Snapshot.Verify(other, "step-0", Sample(), ToleranceRule.Default, false).Passed); // new
        File.WriteAllText(Path.Combine(other, "unrelated.json.tmp"), "x");

        string otherReceived = Path.Combine(other, "step-0.received.json");
        Assert.Equal(new[] { otherReceived, ReceivedFile }.Order(StringComparer.Ordinal), Snapshot.Pending(Root));

        var promoted = Snapshot.AcceptAll(Root);
        Assert.Equal(new[] { Path.Combine(other, "step-0.json"), VerifiedFile }.Order(StringComparer.Ordinal), promoted);
        Assert.Empty(Snapshot.Pending(Root));
        Assert.True(Verify(moved).Matched);
        Assert.True(Snapshot.Verify(other, "step-0", Sample(), ToleranceRule.Default, false).Matched);
        Assert.Empty(Snapshot.AcceptAll(Root));
    }

    [Fact]
    public void AcceptAll_checks_every_received_file_before_promoting_any()
    {
        Assert.False(Verify(Sample()).Passed);
        string bad = Path.Combine(Root, "a", "bad.received.json");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllText(bad, """{"metrics": {"a": {"mean": "x"}}}""");

        var ex = Assert.Throws<InvalidDataException>(() => Snapshot.AcceptAll(Root));
        Assert.Contains(bad, ex.Message);
        Assert.False(File.Exists(VerifiedFile));
        Assert.Equal(2, Snapshot.Pending(Root).Count);
    }

    [Fact]
    public void AcceptAll_writes_a_hand_edited_received_file_in_the_canonical_form()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(ReceivedFile, """{ "metrics": { "b": {"n": 3, "ci95": [0.1, 0.3], "mean": 0.2}, "a": {"mean": 0.12345678, "ci95": [0, 1], "n": 1} } }""");
        Snapshot.AcceptAll(Root);
        Assert.Equal(
            "{\n  \"metrics\": {\n" +
            "    \"a\": {\"mean\": 0.1235, \"ci95\": [0.0000, 1.0000], \"n\": 1},\n" +
            "    \"b\": {\"mean\": 0.2000, \"ci95\": [0.1000, 0.3000], \"n\": 3}\n" +
            "  }\n}\n",
            File.ReadAllText(VerifiedFile));
    }

    [Fact]
    public void A_missing_root_is_an_error_not_an_empty_list()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Snapshot.Pending(Path.Combine(Root, "nope")));
        Assert.Throws<DirectoryNotFoundException>(() => Snapshot.AcceptAll(Path.Combine(Root, "nope")));
    }
}
