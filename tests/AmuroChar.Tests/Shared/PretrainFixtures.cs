using AmuroChar.Model;
using AmuroChar.Tokenization;

namespace AmuroChar.Tests.Shared;

/// <summary>A four-sentence tokenizer and the "micro" preset sized for it: what the pre-training resume and
/// work-checkpoint tests train on (a few steps take well under a second).</summary>
internal static class PretrainFixtures
{
    static readonly Lazy<HfTokenizer> LazyTokenizer = new(() => BpeTrainer.Train(
        ["The baker lives in Tovel.", "Tovel is a city in Varnia.", "The pilot met the baker on Monday.", "Oskel is in Varnia too."],
        300, ["<|endoftext|>", "<|padding|>"]));

    public static HfTokenizer Tokenizer => LazyTokenizer.Value;

    public static OlmoConfig Config() => OlmoConfig.Preset("micro").WithVocabularyFor(Tokenizer.VocabularySize, Tokenizer.EosId, Tokenizer.PadId);
}
