using AmuroChar.Randomness;
namespace AmuroChar.World;

/// <summary>
/// Invents pronounceable names from syllables, never repeating one and never producing an English word of the
/// lexicon, so a fact about an invented entity can only be learned from this world's corpus.
/// </summary>
public sealed class NameMaker(Rng rng)
{
    static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gl", "kr", "pl", "st", "tr", "sk"];
    static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ou"];
    static readonly string[] Codas = ["", "", "n", "l", "r", "s", "k", "m", "th"];

    readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public string Person() => Unique(() => Capitalize(Syllable() + Syllable(open: true)));
    public string Place(bool land) => Unique(() => Capitalize(Syllable() + Syllable()) + (land ? rng.Pick(["ia", "land", "ora"]) : ""));
    public string Team() => Unique(() => Capitalize(Syllable() + Syllable()) + "s");
    public string Species() => Unique(() => Syllable() + Syllable());

    string Syllable(bool open = false) =>
        rng.Pick(Onsets) + rng.Pick(Vowels) + (open ? "" : rng.Pick(Codas));

    string Unique(Func<string> make)
    {
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            string name = make();
            if (name.Length >= 4 && name.Length <= 10 && !EnglishWords.Contains(name) && _used.Add(name)) return name;
        }
        throw new InvalidOperationException("could not invent a new unique name; the world is too large for the syllable inventory");
    }

    static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    static readonly HashSet<string> EnglishWords = new(
        Lexicon.Jobs.Concat(Lexicon.AnimalClasses).Concat(Lexicon.Habitats).Concat(Lexicon.Diets).Concat(Lexicon.Colors)
            .Concat(Lexicon.Adjectives.SelectMany(a => a.Words)).Concat(Lexicon.Things).Concat(Lexicon.Weekdays)
            .Concat(["bless", "dial", "dole", "doom", "fail", "fair", "gain", "gold", "gram", "grin", "kilo", "lair", "laid", "lain", "loan",
                     "mail", "main", "maid", "male", "moan", "nail", "pail", "pain", "plan", "rain", "sail", "soul", "tail", "toil", "tour",
                     "trail", "train", "vain", "veil", "zeal", "bran", "brim", "drum", "glum", "krill", "plum", "slam", "stem", "trim", "skin",
                     "skull", "skill", "stun", "stir", "star", "stop", "tram", "trek", "trip", "doll", "bull", "mull", "pull", "roll", "toll"]),
        StringComparer.OrdinalIgnoreCase);
}
