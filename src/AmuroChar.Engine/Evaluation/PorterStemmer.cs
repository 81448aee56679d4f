namespace AmuroChar.Evaluation;

/// <summary>The three behaviours of NLTK's <c>PorterStemmer(mode)</c>.</summary>
public enum PorterMode
{
    /// <summary>NLTK's default, and what rouge-score uses (<c>porter.PorterStemmer()</c> with no argument).</summary>
    NltkExtensions,
    /// <summary>The modifications in Martin Porter's own hosted implementations.</summary>
    MartinExtensions,
    /// <summary>Porter (1980) as published.</summary>
    OriginalAlgorithm,
}

/// <summary>
/// The Porter stemmer as NLTK (3.8) implements it, in all three of its modes. ROUGE-L with stemming must reproduce
/// rouge-score's tokens, so this follows NLTK's rule tables and its quirks rather than any other Porter port: a rule
/// whose suffix matches but whose condition fails ends the step (no later rule of that step is tried), and the
/// NLTK-only extensions (irregular forms, <c>-ies</c>/<c>-ied</c> on four-letter words, <c>(*c and not c) y → i</c>,
/// <c>-alli</c> re-stepped, <c>-fulli</c>, <c>-logi</c>, the two-letter <c>*o</c>) are on only in their mode.
/// Input is expected in lower case (as rouge-score's tokenizer produces it); words are lower-cased first anyway.
/// </summary>
public sealed class PorterStemmer
{
    /// <summary>The stemmer rouge-score's default tokenizer uses.</summary>
    public static PorterStemmer Rouge { get; } = new(PorterMode.NltkExtensions);

    public PorterMode Mode { get; }

    readonly Rule[] _step2Rules;   // depends on the mode only

    public PorterStemmer(PorterMode mode = PorterMode.NltkExtensions)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown Porter mode");
        Mode = mode;
        _step2Rules = Step2Rules();
    }

    bool Nltk => Mode == PorterMode.NltkExtensions;

    // NLTK's table of irregular forms (NLTK mode only): the word maps straight to its paradigm form.
    static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["news"] = "news", ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing",
        ["outing"] = "outing", ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe",
        ["proceed"] = "proceed", ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        string w = word.ToLowerInvariant();
        // NLTK looks the word up before lower-casing it, so "Skies" is stemmed by the rules ("ski"); kept as is.
        if (Nltk && Irregular.TryGetValue(word, out var paradigm)) return paradigm;
        // Only the original algorithm runs the steps on one- and two-letter words.
        if (Mode != PorterMode.OriginalAlgorithm && w.Length <= 2) return w;

        w = Step1a(w);
        w = Step1b(w);
        w = Step1c(w);
        w = Step2(w);
        w = Step3(w);
        w = Step4(w);
        w = Step5a(w);
        w = Step5b(w);
        return w;
    }

    // ---- word shape ------------------------------------------------------------------------------------------

    static bool IsVowelLetter(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>Porter's consonant: not a vowel letter, and 'y' only when it does not follow a consonant.</summary>
    static bool IsConsonant(string w, int i)
    {
        if (IsVowelLetter(w[i])) return false;
        if (w[i] != 'y') return true;
        return i == 0 || !IsConsonant(w, i - 1);
    }

    /// <summary>m in [C](VC)^m[V]: the number of vowel→consonant transitions.</summary>
    static int Measure(string stem)
    {
        int m = 0;
        for (int i = 1; i < stem.Length; i++)
            if (!IsConsonant(stem, i - 1) && IsConsonant(stem, i)) m++;
        return m;
    }

    static bool PositiveMeasure(string stem) => Measure(stem) > 0;
    static bool MeasureAbove1(string stem) => Measure(stem) > 1;

    static bool ContainsVowel(string stem)
    {
        for (int i = 0; i < stem.Length; i++)
            if (!IsConsonant(stem, i)) return true;
        return false;
    }

    /// <summary>*d: ends in a doubled consonant.</summary>
    static bool EndsDoubleConsonant(string w) =>
        w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    /// <summary>*o: ends consonant-vowel-consonant, the last not w, x or y. NLTK also counts a two-letter
    /// vowel-consonant word (so "are", "ice", "use" keep their e).</summary>
    bool EndsCvc(string w) =>
        (w.Length >= 3 && IsConsonant(w, w.Length - 3) && !IsConsonant(w, w.Length - 2) && IsConsonant(w, w.Length - 1)
         && w[^1] is not ('w' or 'x' or 'y'))
        || (Nltk && w.Length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1));

    // ---- rule tables -------------------------------------------------------------------------------------------

    /// <summary>A suffix rule; the condition sees the word with the suffix removed (null: unconditional).</summary>
    readonly record struct Rule(string Suffix, string Replacement, Func<string, bool>? Condition);

    /// <summary>The first rule whose suffix the word ends with decides: its replacement if the condition holds,
    /// else the word unchanged. Later rules are not tried.</summary>
    static string Apply(string w, ReadOnlySpan<Rule> rules)
    {
        foreach (var rule in rules)
        {
            if (!w.EndsWith(rule.Suffix, StringComparison.Ordinal)) continue;
            string stem = w[..^rule.Suffix.Length];
            return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : w;
        }
        return w;
    }

    static string Ends(string w, string suffix) => w.EndsWith(suffix, StringComparison.Ordinal) ? w[..^suffix.Length] : w;

    // ---- steps -------------------------------------------------------------------------------------------------

    string Step1a(string w)
    {
        // NLTK: "dies" → "die", not "di".
        if (Nltk && w.Length == 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..1] + "ie";
        return Apply(w, [new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null)]);
    }

    string Step1b(string w)
    {
        // NLTK: "died" → "die", "spied" → "spi", with no further step-1b processing.
        if (Nltk && w.EndsWith("ied", StringComparison.Ordinal))
            return w.Length == 4 ? w[..1] + "ie" : w[..^3] + "i";

        if (w.EndsWith("eed", StringComparison.Ordinal))
            return Measure(w[..^3]) > 0 ? w[..^1] : w;

        string? stem = null;
        foreach (var suffix in (ReadOnlySpan<string>)["ed", "ing"])
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(w[..^suffix.Length]))
            {
                stem = w[..^suffix.Length];
                break;
            }
        }
        if (stem is null) return w;

        if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal)
            || stem.EndsWith("iz", StringComparison.Ordinal))
            return stem + "e";
        if (EndsDoubleConsonant(stem))
            return stem[^1] is 'l' or 's' or 'z' ? stem : stem[..^1];
        return Measure(stem) == 1 && EndsCvc(stem) ? stem + "e" : stem;
    }

    string Step1c(string w)
    {
        if (!w.EndsWith('y')) return w;
        string stem = w[..^1];
        // NLTK: y → i only after a consonant that is not the whole stem ("happy" → "happi", "enjoy", "by" unchanged).
        bool ok = Nltk ? stem.Length > 1 && IsConsonant(stem, stem.Length - 1) : ContainsVowel(stem);
        return ok ? stem + "i" : w;
    }

    string Step2(string w)
    {
        // NLTK: "-alli" → "-al" and then step 2 again (so "-ically" style chains reduce further).
        if (Nltk && w.EndsWith("alli", StringComparison.Ordinal) && PositiveMeasure(w[..^4]))
            return Step2(w[..^4] + "al");
        return Apply(w, _step2Rules);
    }

    Rule[] Step2Rules()
    {
        Func<string, bool> p = PositiveMeasure;
        // -logi: NLTK measures the stem with the 'l' kept ("geo|logi"), Martin Porter's versions without it.
        Func<string, bool> logi = Nltk ? stem => PositiveMeasure(stem + "l") : p;
        return
        [
            new("ational", "ate", p), new("tional", "tion", p), new("enci", "ence", p), new("anci", "ance", p),
            new("izer", "ize", p),
            Mode == PorterMode.OriginalAlgorithm ? new("abli", "able", p) : new("bli", "ble", p),
            new("alli", "al", p), new("entli", "ent", p), new("eli", "e", p), new("ousli", "ous", p),
            new("ization", "ize", p), new("ation", "ate", p), new("ator", "ate", p), new("alism", "al", p),
            new("iveness", "ive", p), new("fulness", "ful", p), new("ousness", "ous", p), new("aliti", "al", p),
            new("iviti", "ive", p), new("biliti", "ble", p),
            // Appended after Porter's rules, as NLTK does; order matters since the first matching suffix decides.
            .. Nltk ? (Rule[])[new("fulli", "ful", p)] : [],
            .. Mode != PorterMode.OriginalAlgorithm ? (Rule[])[new("logi", "log", logi)] : [],
        ];
    }

    static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", PositiveMeasure), new("ative", "", PositiveMeasure), new("alize", "al", PositiveMeasure),
        new("iciti", "ic", PositiveMeasure), new("ical", "ic", PositiveMeasure), new("ful", "", PositiveMeasure),
        new("ness", "", PositiveMeasure),
    ];

    static string Step3(string w) => Apply(w, Step3Rules);

    static readonly Rule[] Step4Rules =
    [
        new("al", "", MeasureAbove1), new("ance", "", MeasureAbove1), new("ence", "", MeasureAbove1),
        new("er", "", MeasureAbove1), new("ic", "", MeasureAbove1), new("able", "", MeasureAbove1),
        new("ible", "", MeasureAbove1), new("ant", "", MeasureAbove1), new("ement", "", MeasureAbove1),
        new("ment", "", MeasureAbove1), new("ent", "", MeasureAbove1),
        new("ion", "", stem => MeasureAbove1(stem) && stem[^1] is 's' or 't'),
        new("ou", "", MeasureAbove1), new("ism", "", MeasureAbove1), new("ate", "", MeasureAbove1),
        new("iti", "", MeasureAbove1), new("ous", "", MeasureAbove1), new("ive", "", MeasureAbove1),
        new("ize", "", MeasureAbove1),
    ];

    static string Step4(string w) => Apply(w, Step4Rules);

    string Step5a(string w)
    {
        if (!w.EndsWith('e')) return w;
        string stem = w[..^1];
        int m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem)) ? stem : w;
    }

    static string Step5b(string w) =>
        w.EndsWith("ll", StringComparison.Ordinal) && Measure(w[..^1]) > 1 ? w[..^1] : w;
}
