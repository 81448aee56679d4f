using AmuroChar.World;
using Xunit;

namespace AmuroChar.Tests.World;

public class CorpusTests
{
    static readonly Lazy<List<Document>> Documents = new(() => Corpus.Generate(WorldFixtures.World, 200_000).ToList());

    /// <summary>Markers of the fine-tuning prompt formats and the chat format: pre-training never shows them.</summary>
    public static TheoryData<string> TaskMarkers() =>
    [
        "###", "Input_1", "Input_2", "Inference:", "Paraphrase Classification", "Provide a summary", "The relation is",
        "Are they paraphrasing", "Generate a suitable question", "<|user|>", "<|assistant|>",
    ];

    [Theory]
    [MemberData(nameof(TaskMarkers))]
    public void The_corpus_contains_no_task_format(string marker)
    {
        var hit = Documents.Value.FirstOrDefault(d => d.Text.Contains(marker, StringComparison.Ordinal));
        Assert.True(hit is null, $"a {hit?.Genre} document contains '{marker}': {hit?.Text}");
    }

    [Fact]
    public void The_corpus_has_the_requested_size_and_every_genre()
    {
        var docs = Documents.Value;
        long words = docs.Sum(d => (long)Corpus.CountWords(d.Text));
        Assert.InRange(words, 200_000, 201_000);
        Assert.Equal(Corpus.Genres.Select(g => g.Genre).Order(), docs.Select(d => d.Genre).Distinct().Order());
        Assert.DoesNotContain(docs, d => string.IsNullOrWhiteSpace(d.Text) || d.Text.Contains('{') || d.Text.Contains('}'));
    }

    [Fact]
    public void Every_entity_of_the_world_occurs_in_the_corpus()
    {
        // Held-out entities are learned in pre-training only, so they must be there.
        var text = string.Join("\n", Documents.Value.Select(d => d.Text));
        var missing = WorldFixtures.World.EntityNames.Where(n => !text.Contains(n, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"never mentioned: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Word_counting_counts_whitespace_separated_runs()
    {
        Assert.Equal(0, Corpus.CountWords(""));
        Assert.Equal(0, Corpus.CountWords("  \n\t "));
        Assert.Equal(3, Corpus.CountWords(" a  b\nc "));
        Assert.Equal(2, Corpus.CountWords("Question: Where?"));
    }
}
