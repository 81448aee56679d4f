using AmuroChar.Randomness;
namespace AmuroChar.World;

public sealed record Country(string Name);
public sealed record City(string Name, Country Country);
public sealed record Person(string Name, City Home, string Job, int Pronoun)
{
    public string He => Lexicon.Pronouns[Pronoun].Subject;
    public string Him => Lexicon.Pronouns[Pronoun].Object;
    public string His => Lexicon.Pronouns[Pronoun].Possessive;
}
public sealed record Team(string Name, City Home);
public sealed record Animal(string Name, string Class, string Habitat, string Diet, string Color);
public sealed record Substance(string Name, string State, string Color, string Use, string FoundIn);

/// <summary>
/// Which entities fine-tuning may see. Every entity appears in the pre-training corpus; fine-tuning train sets mention
/// only the <see cref="Train"/> side and evaluation sets only the <see cref="Eval"/> side, so a fine-tuned model can
/// use a fact about an evaluated entity only if pre-training taught it (the pilot's "hold out entities" lesson).
/// </summary>
public sealed record Split<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Eval)
{
    public IReadOnlyList<T> For(bool train) => train ? Train : Eval;
}

/// <summary>
/// The tiny world: a seeded set of invented places, people, teams, animals and substances with their facts, plus the
/// closed English lexicon. Everything downstream (corpus, datasets) is a deterministic function of it.
/// </summary>
public sealed class TinyWorld
{
    public WorldConfig Config { get; }
    public long Seed { get; }
    public IReadOnlyList<Country> Countries { get; }
    public IReadOnlyList<City> Cities { get; }
    public IReadOnlyList<Person> People { get; }
    public IReadOnlyList<Team> Teams { get; }
    public IReadOnlyList<Animal> Animals { get; }
    public IReadOnlyList<Substance> Substances { get; }
    /// <summary>Names of people the world knows nothing else about: they only appear in everyday stories, talk and
    /// sentences about who did what to whom — where a model has to copy a name from the context, not recall it.</summary>
    public IReadOnlyList<string> Characters { get; }

    public Split<Person> PeopleSplit { get; }
    public Split<City> CitySplit { get; }
    public Split<Animal> AnimalSplit { get; }
    public Split<Team> TeamSplit { get; }
    public Split<SocialScript> ScriptSplit { get; }
    public Split<string> CharacterSplit { get; }
    public Split<VerbPair> VerbSplit { get; }

    /// <summary>How often the corpus mentions each person, city and verb (<see cref="Popularity{T}"/>).</summary>
    public Popularity<Person> PersonPopularity { get; }
    public Popularity<City> CityPopularity { get; }
    public Popularity<VerbPair> VerbPopularity { get; }

    public TinyWorld(WorldConfig config, long seed)
    {
        Config = config.Validate();
        Seed = seed;
        var rng = Rng.For(seed, "world");
        var names = new NameMaker(Rng.For(seed, "names"));

        Countries = Enumerable.Range(0, config.Countries).Select(_ => new Country(names.Place(land: true))).ToList();
        Cities = Countries.SelectMany(c => Enumerable.Range(0, config.CitiesPerCountry).Select(_ => new City(names.Place(land: false), c))).ToList();
        People = Enumerable.Range(0, config.People)
            .Select(i => new Person(names.Person(), Cities[rng.Next(Cities.Count)], Lexicon.Jobs[rng.Next(Lexicon.Jobs.Length)], rng.Next(2)))
            .ToList();
        Teams = rng.Sample(Cities, config.Teams).Select(c => new Team(names.Team(), c)).ToList();
        Animals = Enumerable.Range(0, config.Animals)
            .Select(i => new Animal(names.Species(), Lexicon.AnimalClasses[i % Lexicon.AnimalClasses.Length],
                rng.Pick(Lexicon.Habitats), rng.Pick(Lexicon.Diets), rng.Pick(Lexicon.Colors)))
            .ToList();
        Characters = Enumerable.Range(0, config.Characters).Select(_ => names.Person()).ToList();
        Substances = Enumerable.Range(0, config.Substances)
            .Select(i => new Substance(names.Species(), Lexicon.States[i % Lexicon.States.Length], rng.Pick(Lexicon.Colors),
                rng.Pick(Lexicon.SubstanceUses), rng.Pick(Lexicon.Habitats)))
            .ToList();

        // Held-out halves for fine-tuning evaluation. Cities are split within each country so both sides cover every
        // country; people are split by their home city, so an evaluated person's city is an evaluated city too.
        var splitRng = Rng.For(seed, "splits");
        var evalCities = Countries.SelectMany(c => splitRng.Sample(Cities.Where(x => x.Country == c).ToList(), (int)Math.Round(config.CitiesPerCountry * config.HeldOutFraction))).ToHashSet();
        CitySplit = new(Cities.Where(c => !evalCities.Contains(c)).ToList(), Cities.Where(evalCities.Contains).ToList());
        PeopleSplit = new(People.Where(p => !evalCities.Contains(p.Home)).ToList(), People.Where(p => evalCities.Contains(p.Home)).ToList());
        TeamSplit = new(Teams.Where(t => !evalCities.Contains(t.Home)).ToList(), Teams.Where(t => evalCities.Contains(t.Home)).ToList());
        AnimalSplit = HoldOut(Animals, splitRng, config.HeldOutFraction);
        ScriptSplit = HoldOut(Lexicon.Scripts, splitRng, config.HeldOutFraction);
        CharacterSplit = HoldOut(Characters, splitRng, config.HeldOutFraction);
        VerbSplit = HoldOut(Lexicon.Verbs, splitRng, config.HeldOutFraction);

        var popularityRng = Rng.For(seed, "popularity");
        PersonPopularity = new(People, popularityRng, config.PopularityExponent);
        CityPopularity = new(Cities, popularityRng, config.PopularityExponent);
        VerbPopularity = new(Lexicon.Verbs, popularityRng, config.PopularityExponent);
    }

    static Split<T> HoldOut<T>(IReadOnlyList<T> items, Rng rng, double fraction)
    {
        var shuffled = rng.Sample(items, items.Count);
        int eval = Math.Max(1, (int)Math.Round(items.Count * fraction));
        return new(shuffled.Skip(eval).ToList(), shuffled.Take(eval).ToList());
    }

    public IEnumerable<City> CitiesOf(Country c) => Cities.Where(x => x.Country == c);
    public IEnumerable<Animal> AnimalsOfClass(string cls) => Animals.Where(a => a.Class == cls);

    /// <summary>Every invented name, for vocabulary and overlap checks.</summary>
    public IEnumerable<string> EntityNames =>
        Countries.Select(c => c.Name).Concat(Cities.Select(c => c.Name)).Concat(People.Select(p => p.Name)).Concat(Characters)
            .Concat(Teams.Select(t => t.Name)).Concat(Animals.Select(a => a.Name)).Concat(Substances.Select(s => s.Name));
}

/// <summary>Sizes of a world. "tiny" is the CPU default; "small" the larger CPU scale.</summary>
public sealed record WorldConfig
{
    public int Countries { get; init; } = 6;
    public int CitiesPerCountry { get; init; } = 6;
    public int People { get; init; } = 60;
    public int Teams { get; init; } = 12;
    public int Animals { get; init; } = 20;
    public int Substances { get; init; } = 9;
    public int Characters { get; init; } = 120;
    public double HeldOutFraction { get; init; } = 0.5;
    /// <summary>The exponent of the corpus's Zipf-like law over people, cities and verbs (0: every one as often).</summary>
    public double PopularityExponent { get; init; } = 1.0;

    public WorldConfig Validate()
    {
        if (Countries < 2 || CitiesPerCountry < 2 || People < 4 || Teams < 4 || Animals < Lexicon.AnimalClasses.Length * 2 || Substances < 3)
            throw new ArgumentException("world sizes too small: need ≥2 countries and cities per country, ≥4 people and teams, ≥10 animals, ≥3 substances");
        if (Teams > Countries * CitiesPerCountry) throw new ArgumentException("more teams than cities");
        if (HeldOutFraction is <= 0 or >= 1) throw new ArgumentException("HeldOutFraction must be in (0, 1)");
        if (PopularityExponent is < 0 or > 4) throw new ArgumentException("PopularityExponent must be within 0..4");
        return this;
    }

    public static readonly WorldConfig Tiny = new();
    public static readonly WorldConfig Small = new() { Countries = 8, CitiesPerCountry = 8, People = 160, Teams = 16, Animals = 30, Substances = 12, Characters = 240 };
}
