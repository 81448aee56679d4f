using System.Text;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>A pre-training document and the genre it was written in.</summary>
public sealed record Document(string Genre, string Text);

/// <summary>
/// The pre-training corpus: mixed-genre documents in which the world's facts and regularities recur in many phrasings.
/// It contains none of the fine-tuning task formats (no "###" prompts, no NLI or paraphrase labelling, no
/// document→summary pairs), but it does contain natural text from which the learned-in-pre-training suites can be
/// solved, the label words in ordinary use, and instruction-like phrasing used with its meaning (so a better
/// pre-trained model has something to carry across prompt formats).
/// </summary>
public sealed class Corpus
{
    /// <summary>Genres and their share of documents.</summary>
    public static readonly IReadOnlyList<(string Genre, double Weight)> Genres =
    [
        ("encyclopedia", 0.16), ("news", 0.12), ("sports", 0.06), ("science", 0.13), ("social", 0.13),
        ("qa", 0.09), ("dialogue", 0.04), ("conversation", 0.18), ("lexicon", 0.05), ("teacher", 0.04),
    ];

    readonly TinyWorld _w;
    readonly Rng _rng;
    readonly Facts _f;
    readonly Conversations _talk;

    Corpus(TinyWorld world, long seed) : this(world, Rng.For(seed, "corpus")) { }

    Corpus(TinyWorld world, Rng rng)
    {
        _w = world;
        _rng = rng;
        _f = new Facts(_rng);
        _talk = new Conversations(world, _rng);
    }

    /// <summary>One document of <paramref name="genre"/> drawn from <paramref name="rng"/>: the corpus's own prose, for
    /// the instruction data's writing requests.</summary>
    internal static string Write(TinyWorld world, string genre, Rng rng) => new Corpus(world, rng).Write(genre);

    /// <summary>Documents until about <paramref name="targetWords"/> words (deterministic per world and seed).</summary>
    public static IEnumerable<Document> Generate(TinyWorld world, long targetWords)
    {
        var corpus = new Corpus(world, world.Seed);
        var weights = Genres.Select(g => g.Weight).ToList();
        long words = 0;
        while (words < targetWords)
        {
            string genre = Genres[corpus._rng.Weighted(weights)].Genre;
            string text = corpus.Write(genre);
            words += CountWords(text);
            yield return new Document(genre, text);
        }
    }

    public static int CountWords(string text)
    {
        int n = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool w = !char.IsWhiteSpace(c);
            if (w && !inWord) n++;
            inWord = w;
        }
        return n;
    }

    string Write(string genre) => genre switch
    {
        "encyclopedia" => Encyclopedia(),
        "news" => News(),
        "sports" => Sports(),
        "science" => Science(),
        "social" => Social(),
        "qa" => QuestionsAndAnswers(),
        "dialogue" => _talk.Chat(),
        "conversation" => _talk.Check(),
        "lexicon" => LexiconEntry(),
        "teacher" => Teacher(),
        _ => throw new ArgumentException(genre),
    };

    T Pick<T>(IReadOnlyList<T> xs) => _rng.Pick(xs);
    // People, cities and verbs are mentioned by popularity (a Zipf-like law; see Popularity): facts of the popular
    // ones are learned early, those of the rare ones late.
    Person AnyPerson() => _w.PersonPopularity.Draw(_rng);
    City AnyCity() => _w.CityPopularity.Draw(_rng);

    /// <summary>Someone for an everyday story: a known person or, as often, a name the world knows nothing about.</summary>
    string AnyName() => _rng.Chance(0.5) ? AnyPerson().Name : Pick(_w.Characters);
    string OtherName(string not) { string n; do n = AnyName(); while (n == not); return n; }
    static string Join(IEnumerable<string> sentences) => string.Join(" ", sentences);

    string Encyclopedia()
    {
        var s = new List<string>();
        switch (_rng.Next(4))
        {
            case 0:
                var city = AnyCity();
                s.Add(_f.CityCountry(city));
                s.Add($"It has a {Pick(Lexicon.Institutions)} and {Facts.A(Pick(["old", "ancient", "busy", "quiet"]))} {Pick(Lexicon.Things)}.");
                foreach (var p in _w.People.Where(p => p.Home == city).Take(3)) s.Add(_rng.Chance(0.5) ? _f.PersonIntro(p) : _f.PersonHome(p));
                foreach (var t in _w.Teams.Where(t => t.Home == city)) s.Add(_f.TeamHome(t));
                s.Add(_f.CityCountry(city));
                if (_rng.Chance(0.3)) s.Add($"In short, {city.Name} is a {Pick(["busy", "quiet", "old", "modern"])} city in {city.Country.Name}.");
                break;
            case 1:
                var person = AnyPerson();
                s.Add(_f.PersonIntro(person));
                s.Add($"{Facts.Capitalize(person.He)} is a {person.Job}.");
                s.Add(_f.PersonHome(person));
                s.Add(_f.CityCountry(person.Home));
                s.Add(_f.PersonJob(person));
                break;
            case 2:
                var country = Pick(_w.Countries);
                var cities = _w.CitiesOf(country).ToList();
                s.Add($"{country.Name} is a country with {Lexicon.NumberWords[Math.Min(cities.Count, 6)]} cities or more.");
                foreach (var c in _w.CityPopularity.Sample(_rng, 4, c => c.Country == country)) s.Add(_f.CityCountry(c));
                break;
            default:
                var team = Pick(_w.Teams);
                s.Add(_f.TeamHome(team));
                s.Add(_f.CityCountry(team.Home));
                s.Add($"The {team.Name} have many fans in {team.Home.Country.Name}.");
                break;
        }
        return Join(s);
    }

    string News()
    {
        var s = new List<string>();
        if (_rng.Chance(0.7))
        {
            var p = AnyPerson();
            string day = Pick(Lexicon.Weekdays);
            s.Add(_rng.Next(3) switch
            {
                0 => $"On {day}, {p.Name} {Pick(Lexicon.NewsActions)} in {p.Home.Name}.",
                1 => $"{p.Name} {Pick(Lexicon.NewsActions)} in {p.Home.Name} on {day}.",
                _ => $"In {p.Home.Name}, {p.Name} {Pick(Lexicon.NewsActions)} this week.",
            });
            if (_rng.Chance(0.6)) s.Add(_f.PersonJob(p));
            if (_rng.Chance(0.4)) s.Add(_f.CityCountry(p.Home));
            s.Add(_rng.Chance(0.5) ? $"Many people in {p.Home.Name} came to watch." : $"People across {p.Home.Country.Name} heard the news.");
            // News refers back to people by their role, as real reporting does ("the baker said").
            s.Add(_rng.Chance(0.7)
                ? $"\"It was a {Pick(["good", "long", "busy", "happy"])} day,\" the {p.Job} said."
                : $"\"It was a {Pick(["good", "long", "busy", "happy"])} day,\" {p.Name} said.");
            if (_rng.Chance(0.5)) s.Add(_f.PersonHome(AnyPerson()));
        }
        else
        {
            var c = AnyCity();
            string inst = Pick(Lexicon.Institutions);
            s.Add($"The {inst} of {c.Name} {Pick(Lexicon.InstitutionNews)}.");
            s.Add(_f.CityCountry(c));
            s.Add($"Workers said the {inst} would stay {Pick(["busy", "open", "crowded", "quiet"])} all {Pick(Lexicon.Seasons)}.");
        }
        return Join(s);
    }

    string Sports()
    {
        var a = Pick(_w.Teams);
        var b = _rng.PickOther(_w.Teams, a);
        int ga = _rng.Next(2, 6), gb = _rng.Next(0, ga);
        var scorer = AnyPerson();
        var s = new List<string>
        {
            $"The {a.Name} beat the {b.Name} {Lexicon.NumberWords[ga]} to {Lexicon.NumberWords[gb]} in {a.Home.Name} on {Pick(Lexicon.Weekdays)}.",
            $"{scorer.Name} scored {Lexicon.NumberWords[Math.Min(ga, 3)]} goals for the {a.Name}.",
            $"The {b.Name} had travelled from {b.Home.Name}.",
        };
        if (_rng.Chance(0.5)) s.Add(_f.TeamHome(a));
        if (_rng.Chance(0.4)) s.Add(_f.CityCountry(a.Home));
        s.Add($"The crowd was {Pick(["loud", "noisy", "happy", "quiet"])}.");
        return Join(s);
    }

    string Science()
    {
        var s = new List<string>();
        switch (_rng.Next(3))
        {
            case 0:
                var animal = Pick(_w.Animals);
                s.Add(_f.AnimalClass(animal));
                s.Add(_f.AnimalHabitat(animal));
                s.Add(_f.AnimalDiet(animal));
                if (_rng.Chance(0.5)) s.Add(_f.AnimalColor(animal));
                s.Add(_f.ClassTrait(animal.Class));
                if (_rng.Chance(0.5)) s.Add(_f.AnimalClass(animal));
                break;
            case 1:
                string cls = Pick(Lexicon.AnimalClasses);
                s.Add(_f.ClassTrait(cls));
                s.Add(_f.ClassTrait(cls));
                foreach (var a in _rng.Sample(_w.AnimalsOfClass(cls).ToList(), 2)) s.Add(_f.AnimalClass(a));
                break;
            default:
                var sub = Pick(_w.Substances);
                for (int i = 0; i < 3; i++) s.Add(_f.SubstanceFact(sub));
                break;
        }
        return Join(s);
    }

    string Social()
    {
        var s = new List<string>();
        for (int i = 0, n = _rng.Next(1, 3); i < n; i++)
        {
            string a = AnyName(), b = OtherName(a);
            s.AddRange(_f.SocialStory(Pick(Lexicon.Scripts), a, b));
            if (_rng.Chance(0.6)) s.Add(_f.VerbUse(_w.VerbPopularity.Draw(_rng), a, b));
        }
        return Join(s);
    }

    string QuestionsAndAnswers()
    {
        var sb = new StringBuilder();
        for (int i = 0, n = _rng.Next(2, 5); i < n; i++)
        {
            var (q, a) = _rng.Next(7) switch
            {
                0 => QaHome(),
                1 => QaCityYesNo(),
                2 => QaAnimal(),
                3 => QaJob(),
                4 => QaOpposite(),
                5 => QaSubstance(),
                _ => QaStory(),
            };
            sb.Append("Question: ").Append(q).Append("\nAnswer: ").Append(a).Append("\n\n");
        }
        return sb.ToString().TrimEnd();
    }

    // Q&A pages answer sometimes in a sentence, sometimes in a word or two, as real ones do.
    string Short(string word, string sentence) => _rng.Chance(0.5) ? word : sentence;

    (string, string) QaHome() { var p = AnyPerson(); return ($"Where does {p.Name} live?", Short(p.Home.Name, $"{p.Name} lives in {p.Home.Name}.")); }
    (string, string) QaJob() { var p = AnyPerson(); return ($"What does {p.Name} do for work?", Short(p.Job, $"{p.Name} is a {p.Job}.")); }

    (string, string) QaSubstance()
    {
        var s = Pick(_w.Substances);
        return _rng.Next(2) == 0
            ? ($"What is {s.Name} at room temperature?", Short(s.State, $"{Facts.Capitalize(s.Name)} is a {s.State}."))
            : ($"What do people use {s.Name} to do?", Short(s.Use, $"People use {s.Name} to {s.Use}."));
    }

    (string, string) QaCityYesNo()
    {
        var c = AnyCity();
        bool yes = _rng.Chance(0.5);
        var country = yes ? c.Country : _rng.PickOther(_w.Countries, c.Country);
        return ($"Is {c.Name} in {country.Name}?", Short(yes ? "yes" : "no", yes ? $"yes, {c.Name} is in {c.Country.Name}." : $"no, {c.Name} is in {c.Country.Name}."));
    }

    (string, string) QaAnimal()
    {
        var a = Pick(_w.Animals);
        return _rng.Next(3) switch
        {
            0 => ($"What kind of animal is the {a.Name}?", Short(a.Class, $"The {a.Name} is {Facts.A(a.Class)}.")),
            1 => ($"What does the {a.Name} eat?", Short(a.Diet, $"It eats {a.Diet}.")),
            _ => ($"Where does the {a.Name} live?", Short(a.Habitat, $"It lives in the {a.Habitat}.")),
        };
    }

    (string, string) QaOpposite()
    {
        var c = Pick(Lexicon.Adjectives);
        string w = Pick(c.Words.ToList());
        return ($"What is the opposite of {w}?", $"The opposite of {w} is {c.AntonymOf(w)}.");
    }

    /// <summary>Questions about a story: how the other felt, why, what next, what kind of person — the
    /// commonsense the question-generation task asks about, here as ordinary questions with answers.</summary>
    (string, string) QaStory()
    {
        var s = Pick(Lexicon.Scripts);
        string a = AnyName(), b = OtherName(a);
        string Fill(string t) => t.Replace("{B}", b);
        string story = $"{a} {Fill(s.Action)}";
        return _rng.Next(4) switch
        {
            0 => ($"{story}. How did {b} feel?", Short(s.Feeling, $"{b} felt {s.Feeling}.")),
            1 => ($"{story}. Why did {a} do this?", Short(Fill(s.Motive), $"{a} did it {Fill(s.Motive)}.")),
            2 => ($"{story}. What did {a} want to do next?", Short(Fill(s.Next), $"{a} wanted {Fill(s.Next)}.")),
            _ => ($"{story}. What kind of person is {a}?", Short(s.Trait, $"{a} is {Facts.A(s.Trait)} person.")),
        };
    }

    string LexiconEntry()
    {
        var s = new List<string>();
        switch (_rng.Next(4))
        {
            case 3:
                // Dictionary definitions of the words headlines use (XSum's analogue summarises in them).
                foreach (var d in _rng.Sample(Lexicon.HeadlineDefinitions, 3)) s.Add(d);
                break;
            case 0:
                var c = Pick(Lexicon.Adjectives);
                for (int i = 0; i < 3; i++) s.Add(_f.AdjectiveFact(c));
                break;
            case 1:
                var v = _w.VerbPopularity.Draw(_rng);
                var a = AnyPerson();
                s.Add(_f.VerbFact(v, a, _w.PersonPopularity.DrawOther(_rng, a)));
                s.Add(_f.VerbFact(v, _w.PersonPopularity.DrawOther(_rng, a), a));
                break;
            default:
                // The NLI and paraphrase label words, in ordinary use (pilot lesson 6: so the few-shot baseline is fair).
                s.Add(Pick([
                    "In logic, when one statement follows from another, the link is called an entailment.",
                    "If two statements cannot both be true, together they form a contradiction.",
                    "A statement that neither follows from nor conflicts with another is neutral to it.",
                    "To paraphrase a sentence is to say the same thing in other words.",
                    $"{Pick(_w.Countries).Name} stayed neutral during the long dispute.",
                    "The judge said the two stories were a contradiction.",
                    "A summary tells the main point of a text in a few words.",
                    "Asked if the bridge was safe, the builder said yes; asked if it was new, he said no.",
                ]));
                s.Add(_f.AdjectiveFact(Pick(Lexicon.Adjectives)));
                break;
        }
        return Join(s);
    }

    /// <summary>Classroom exchanges: instruction phrasing ("Please read the following text", "Given the context")
    /// used with its meaning, followed by a question about the text — never one of the fine-tuning tasks.</summary>
    string Teacher()
    {
        var p = AnyPerson();
        string text = Join([_f.PersonIntro(p), _f.CityCountry(p.Home)]);
        string opener = Pick(["Please read the following text:", "Given the context:", "Consider the following text:", "Read this:"]);
        var (q, a) = _rng.Next(3) switch
        {
            0 => ($"Where does {p.Name} live?", $"{p.Name} lives in {p.Home.Name}."),
            1 => ($"What is the job of {p.Name}?", $"{p.Name} is a {p.Job}."),
            _ => ($"Which country is {p.Home.Name} in?", $"{p.Home.Name} is in {p.Home.Country.Name}."),
        };
        return $"Teacher: {opener} {text} Now tell me: {q}\nStudent: {a}\nTeacher: {Pick(["Good.", "Yes, well done.", "Correct."])}";
    }
}
