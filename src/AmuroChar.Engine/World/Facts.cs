using AmuroChar.Randomness;
namespace AmuroChar.World;

/// <summary>
/// Sentences that state the world's facts, each in several phrasings and positions. Knowledge a small transformer
/// can later *use* (not only recite) has to be seen this way: the same relation in different surface forms, with the
/// entity sometimes first and sometimes last (pilot lesson 5; Allen-Zhu &amp; Li, "Physics of Language Models 3.1").
/// </summary>
public sealed class Facts(Rng rng)
{
    public string CityCountry(City c) => rng.Next(8) switch
    {
        0 => $"{c.Name} is a city in {c.Country.Name}.",
        1 => $"{c.Name} lies in {c.Country.Name}.",
        2 => $"The city of {c.Name} is in {c.Country.Name}.",
        3 => $"{c.Country.Name} is home to the city of {c.Name}.",
        4 => $"{c.Name}, in {c.Country.Name}, has a busy {rng.Pick(Lexicon.Institutions)}.",
        5 => $"Many people in {c.Country.Name} visit {c.Name} in {rng.Pick(Lexicon.Seasons)}.",
        6 => $"One of the cities of {c.Country.Name} is {c.Name}.",
        _ => $"{c.Name} is in the country of {c.Country.Name}.",
    };

    public string PersonHome(Person p) => rng.Next(6) switch
    {
        0 => $"{p.Name} lives in {p.Home.Name}.",
        1 => $"{p.Name} has lived in {p.Home.Name} for years.",
        2 => $"{p.Name} comes from {p.Home.Name}.",
        3 => $"The home of {p.Name} is in {p.Home.Name}.",
        4 => $"In {p.Home.Name}, {p.Name} is well known.",
        _ => $"{p.Name} grew up in {p.Home.Name}.",
    };

    public string PersonJob(Person p) => rng.Next(6) switch
    {
        0 => $"{p.Name} is a {p.Job}.",
        1 => $"{p.Name} works as a {p.Job}.",
        2 => $"The {p.Job} {p.Name} is busy today.",
        3 => $"{p.Name} has been a {p.Job} for many years.",
        4 => $"As a {p.Job}, {p.Name} works hard.",
        _ => $"Everyone knows that {p.Name} is a {p.Job}.",
    };

    /// <summary>Home, job and country in one sentence, in varied order.</summary>
    public string PersonIntro(Person p) => rng.Next(4) switch
    {
        0 => $"{p.Name} is a {p.Job} from {p.Home.Name}, a city in {p.Home.Country.Name}.",
        1 => $"{p.Name}, a {p.Job}, lives in {p.Home.Name} in {p.Home.Country.Name}.",
        2 => $"The {p.Job} {p.Name} lives in {p.Home.Name}.",
        _ => $"In {p.Home.Name}, {p.Name} works as a {p.Job}.",
    };

    public string TeamHome(Team t) => rng.Next(4) switch
    {
        0 => $"The {t.Name} are a team from {t.Home.Name}.",
        1 => $"The {t.Name} play their home games in {t.Home.Name}.",
        2 => $"{t.Home.Name} is the home of the {t.Name}.",
        _ => $"Fans of the {t.Name} live in {t.Home.Name}.",
    };

    public string AnimalClass(Animal a) => rng.Next(6) switch
    {
        0 => $"The {a.Name} is {A(a.Class)}.",
        1 => $"A {a.Name} is a kind of {a.Class}.",
        2 => $"Like every {a.Class}, the {a.Name} has {Lexicon.ClassTraits[a.Class].Has}.",
        3 => $"The {a.Name}, {A(a.Class)}, is easy to spot.",
        4 => $"Scientists put the {a.Name} among the {Plural(a.Class)}.",
        _ => $"One {a.Class} you may know is the {a.Name}.",
    };

    public string AnimalHabitat(Animal a) => rng.Next(4) switch
    {
        0 => $"The {a.Name} lives in the {a.Habitat}.",
        1 => $"You can find the {a.Name} in the {a.Habitat}.",
        2 => $"In the {a.Habitat} lives the {a.Name}.",
        _ => $"The home of the {a.Name} is the {a.Habitat}.",
    };

    public string AnimalDiet(Animal a) => rng.Next(4) switch
    {
        0 => $"The {a.Name} eats {a.Diet}.",
        1 => $"The food of the {a.Name} is {a.Diet}.",
        2 => $"A {a.Name} feeds on {a.Diet}.",
        _ => $"{Capitalize(a.Diet)} is what the {a.Name} eats.",
    };

    public string AnimalColor(Animal a) => rng.Next(2) == 0 ? $"The {a.Name} is {a.Color}." : $"Most {a.Name}s are {a.Color}.";

    public string ClassTrait(string cls) => rng.Next(4) switch
    {
        0 => $"{Capitalize(Plural(cls))} have {Lexicon.ClassTraits[cls].Has}.",
        1 => $"Every {cls} can {Lexicon.ClassTraits[cls].Can}.",
        2 => $"All {Plural(cls)} can {Lexicon.ClassTraits[cls].Can}.",
        _ => $"{Capitalize(A(cls))} has {Lexicon.ClassTraits[cls].Has}.",
    };

    public string SubstanceFact(Substance s) => rng.Next(5) switch
    {
        0 => $"{Capitalize(s.Name)} is a {s.State} at room temperature.",
        1 => $"{Capitalize(s.Name)} is {s.Color}.",
        2 => $"People use {s.Name} to {s.Use}.",
        3 => $"{Capitalize(s.Name)} is found in the {s.FoundIn}.",
        _ => $"At room temperature, {s.Name} is a {s.State}.",
    };

    public string AdjectiveFact(AdjectiveConcept c)
    {
        var (w, syn, ant) = rng.Next(2) == 0 ? (c.A1, c.A2, c.B1) : (c.B1, c.B2, c.A1);
        if (rng.Next(2) == 0) (w, syn) = (syn, w);
        string thing = rng.Pick(Lexicon.Things);
        return rng.Next(6) switch
        {
            0 => $"{Capitalize(w)} means {syn}.",
            1 => $"The opposite of {w} is {ant}.",
            2 => $"The {thing} was {w}, in fact very {syn}.",
            3 => $"The {thing} was not {ant} at all; it was {w}.",
            4 => $"Something {w} is {syn}, not {ant}.",
            _ => $"{Capitalize(w)} and {ant} are opposites.",
        };
    }

    public string VerbFact(VerbPair v, Person a, Person b) => rng.Next(4) switch
    {
        0 => $"{a.Name} {v.Past} {b.Name}; in other words, {a.Name} {v.SynonymPast} {b.Name}.",
        1 => $"{b.Name} was {v.Participle} by {a.Name}.",
        2 => $"{b.Name} was {v.SynonymParticiple} by {a.Name}, who {v.Past} {b.Name} gladly.",
        _ => $"To say that {a.Name} {v.SynonymPast} {b.Name} is to say that {a.Name} {v.Past} {b.Name}.",
    };

    /// <summary>A verb in ordinary use, past or participle, in either of its two words at random: synonyms that share
    /// their contexts are what lets a model come to treat them alike (the distributional route to synonymy, learned
    /// gradually, and faster for the popular verbs), beside the explicit statements of <see cref="VerbFact"/>.</summary>
    public string VerbUse(VerbPair v, string a, string b)
    {
        string past = rng.Chance(0.5) ? v.Past : v.SynonymPast, participle = rng.Chance(0.5) ? v.Participle : v.SynonymParticiple;
        return rng.Next(5) switch
        {
            0 => $"{a} {past} {b} on {rng.Pick(Lexicon.Weekdays)}.",
            1 => $"Last {rng.Pick(Lexicon.Seasons)}, {a} {past} {b}.",
            2 => $"{b} was {participle} by {a} near the {rng.Pick(Lexicon.Things)}.",
            3 => $"Everyone saw that {a} {past} {b}.",
            _ => $"People say that {b} was often {participle} by {a}.",
        };
    }

    /// <summary>A short social story: the action, then B's feeling, A's motive, what A wants next, and A's trait.</summary>
    public IEnumerable<string> SocialStory(SocialScript s, string a, string b)
    {
        string Fill(string t) => t.Replace("{B}", b);
        yield return $"{a} {Fill(s.Action)}.";
        yield return rng.Next(3) switch
        {
            0 => $"{b} felt {s.Feeling}.",
            1 => $"Afterwards, {b} was {s.Feeling}.",
            _ => $"It left {b} feeling {s.Feeling}.",
        };
        if (rng.Chance(0.7)) yield return rng.Next(2) == 0 ? $"{a} did it {Fill(s.Motive)}." : $"{a} had wanted {Fill(s.Motive)}.";
        if (rng.Chance(0.7)) yield return rng.Next(2) == 0 ? $"Later, {a} wanted {Fill(s.Next)}." : $"Next, {a} hoped {Fill(s.Next)}.";
        if (rng.Chance(0.5)) yield return rng.Next(2) == 0 ? $"People say {a} is {s.Trait}." : $"{a} is {A(s.Trait)} person.";
    }

    public static string Plural(string noun) => noun switch
    {
        "fish" => "fish",
        "six legs" => "six legs",
        _ when noun.EndsWith('y') => noun[..^1] + "ies",
        _ => noun + "s",
    };

    /// <summary>The noun with its indefinite article: "a bird", "an insect".</summary>
    public static string A(string noun) => ("aeiou".Contains(char.ToLowerInvariant(noun[0])) ? "an " : "a ") + noun;

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
