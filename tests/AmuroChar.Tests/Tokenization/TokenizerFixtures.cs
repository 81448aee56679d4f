using System.Text;
using AmuroChar.Tokenization;

namespace AmuroChar.Tests.Tokenization;

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("amurochar-tok-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class TokenizerFixtures
{
    public static readonly string[] Specials = ["<|endoftext|>", "<|padding|>"];

    private static readonly Lazy<HfTokenizer> SmallTokenizer = new(() => BpeTrainer.Train(SmallCorpus(), 400, Specials));

    /// <summary>
    /// A tokenizer trained on <see cref="SmallCorpus"/> (eos 0, pad 1), built once per test run. Its closed vocabulary
    /// runs out of pairs before 400 ids, so every word of it is a single token.
    /// </summary>
    public static HfTokenizer Small => SmallTokenizer.Value;

    /// <summary>A few thousand words of a closed vocabulary, like the tiny world's.</summary>
    public static IEnumerable<string> SmallCorpus(int sentences = 2000, int seed = 7)
    {
        string[] names = ["Amuro", "Char", "Lalah", "Bright", "Sayla", "Kai"];
        string[] verbs = ["pilots", "chases", "meets", "remembers", "fights", "trusts"];
        string[] objects = ["the Gundam", "a Zaku", "the White Base", "the colony", "his rival", "an old friend"];
        var random = new Random(seed);
        for (int i = 0; i < sentences; i++)
            yield return $"{names[random.Next(names.Length)]} {verbs[random.Next(verbs.Length)]} {objects[random.Next(objects.Length)]} " +
                         $"in {1979 + random.Next(20)}.\n";
    }

    /// <summary>
    /// Deterministic text of at least <paramref name="minChars"/> chars mixing what tokenizers get wrong: prose with
    /// contractions, code, numbers, punctuation and whitespace runs, accents, CJK, emoji (non-BMP, ZWJ sequences),
    /// right-to-left scripts, combining marks and special tokens.
    /// </summary>
    public static string VariedText(int minChars, int seed = 1)
    {
        string[] fragments =
        [
            "The quick brown fox jumps over the lazy dog. It's what they'd've done, isn't it? We'll see; I'm sure you've heard.",
            "Char's counterattack wasn't planned: \"Don't,\" she said, 'rock 'n' roll' y'all O'Neil IT'S SHE'LL",
            "def tokenize(text: str) -> list[int]:\n    return [ord(c) for c in text if c != '\\n']  # comment\n",
            "for (int i = 0; i < n; i++) {\n\tif (a[i] != b[i] && x >= 0x7FFF) { sum += a[i] * 2; }\n}\n",
            "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; } /* done */",
            "SELECT id, name FROM users WHERE age > 21 ORDER BY name;",
            "3.14159 2.71828 1,000,000 1e-9 -42 +7 2024-11-28 12:34:56 $19.99 100% 0.5em ½ ² ١٢٣ ٤٥",
            "!!!??? ... ---- —– *** ~~~~~~ '''' \"\"\" ((([[[{{{}}}]]]))) <<<>>> ||| &&& ;;; ::: ,,, @#$%^",
            "   leading spaces", "trailing spaces   ", "\t\ttabs\tand\ttabs", "\n\n\nnewlines\n\n", " \n \n ", "\r\nwindows\r\n",
            "multiple     spaces      between       words", "nbsp\u00A0here and ideographic\u3000space",
            "naïve café résumé Ångström Straße façade coöperate jalapeño",
            "e\u0301 a\u0300 o\u0308 combining marks",
            "中文字符测试，这是一个句子。日本語のテキスト、ひらがなとカタカナ。한국어 문장입니다.",
            "emoji 😀🎉👍🏽 family 👨‍👩‍👧‍👦 flags 🇯🇵🇫🇷 hearts ❤️💙",
            "עברית מימין לשמאל", "العربية من اليمين إلى اليسار", "Ελληνικά κείμενα", "русский текст, ёж", "देवनागरी लिपि",
            "math 𝐀𝐁𝐂 ∑∫√∞ ≤≥≠ ← → ⇒", "zero\u200Bwidth and zwj\u200Djoin", "<|endoftext|>", "a<|endoftext|>b",
        ];
        string[] separators = [" ", "\n", "", "\t", "  ", "\n\n", " \n"];
        var random = new Random(seed);
        var text = new StringBuilder(minChars + 1000);
        while (text.Length < minChars)
        {
            if (random.Next(8) == 0) AppendRandomCharacters(text, random);
            else text.Append(fragments[random.Next(fragments.Length)]);
            text.Append(separators[random.Next(separators.Length)]);
        }
        return text.ToString();
    }

    private static void AppendRandomCharacters(StringBuilder text, Random random)
    {
        // Code point ranges: ASCII, Latin-1, Cyrillic, CJK, Hangul, and supplementary planes (surrogate pairs).
        (int From, int To)[] ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x400, 0x4FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1F300, 0x1FAFF), (0x20000, 0x2A6DF)];
        int count = random.Next(1, 30);
        for (int i = 0; i < count; i++)
        {
            var (from, to) = ranges[random.Next(ranges.Length)];
            text.Append(char.ConvertFromUtf32(random.Next(from, to + 1)));
        }
    }
}
