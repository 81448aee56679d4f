namespace AmuroChar.World;

/// <summary>An adjective concept: two synonyms on each side of an antonym pair ("big"/"large" vs "small"/"little").</summary>
public sealed record AdjectiveConcept(string A1, string A2, string B1, string B2)
{
    public IEnumerable<string> Words => [A1, A2, B1, B2];
    public string SynonymOf(string w) => w == A1 ? A2 : w == A2 ? A1 : w == B1 ? B2 : w == B2 ? B1 : throw new ArgumentException(w);
    public string AntonymOf(string w) => w == A1 || w == A2 ? B1 : w == B1 || w == B2 ? A1 : throw new ArgumentException(w);
}

/// <summary>A transitive verb between two people, with a synonym and the forms the generators need.</summary>
public sealed record VerbPair(string Past, string SynonymPast, string Participle, string SynonymParticiple, string Present);

/// <summary>
/// An everyday social script, the commonsense behind the SocialIQa analogue: when A does <see cref="Action"/> to B,
/// B feels <see cref="Feeling"/>, A did it <see cref="Motive"/>, A will then want <see cref="Next"/>, and A is
/// <see cref="Trait"/>. The corpus tells such stories; the question-generation task asks for the question these
/// facts answer.
/// </summary>
public sealed record SocialScript(string Action, string Feeling, string Motive, string Next, string Trait);

/// <summary>The closed English vocabulary of the tiny world. Entity names are invented separately (see NameMaker).</summary>
public static class Lexicon
{
    public static readonly string[] Jobs =
        ["baker", "teacher", "doctor", "farmer", "painter", "singer", "driver", "builder", "nurse", "pilot", "cook", "writer", "fisher", "tailor"];

    public static readonly string[] AnimalClasses = ["bird", "fish", "mammal", "reptile", "insect"];

    /// <summary>What every member of a class has and can do: the general half of two-hop questions.</summary>
    public static readonly Dictionary<string, (string Has, string Can)> ClassTraits = new()
    {
        ["bird"] = ("feathers", "fly"),
        ["fish"] = ("fins", "swim"),
        ["mammal"] = ("fur", "run"),
        ["reptile"] = ("scales", "crawl"),
        ["insect"] = ("six legs", "buzz"),
    };

    public static readonly string[] Habitats = ["forest", "river", "desert", "mountain", "lake", "meadow", "sea", "cave"];
    public static readonly string[] Diets = ["seeds", "fish", "grass", "insects", "fruit", "leaves", "meat", "roots"];
    public static readonly string[] Colors = ["red", "blue", "green", "yellow", "white", "black", "brown", "grey"];
    public static readonly string[] States = ["solid", "liquid", "gas"];
    public static readonly string[] SubstanceUses = ["heat homes", "clean water", "make glass", "build walls", "dye cloth", "light lamps"];

    public static readonly AdjectiveConcept[] Adjectives =
    [
        new("big", "large", "small", "little"),
        new("fast", "quick", "slow", "sluggish"),
        new("happy", "glad", "sad", "unhappy"),
        new("rich", "wealthy", "poor", "needy"),
        new("loud", "noisy", "quiet", "silent"),
        new("clean", "tidy", "dirty", "messy"),
        new("bright", "shiny", "dark", "dim"),
        new("strong", "powerful", "weak", "feeble"),
        new("easy", "simple", "hard", "difficult"),
        new("old", "ancient", "new", "modern"),
        new("brave", "bold", "timid", "fearful"),
        new("busy", "crowded", "empty", "deserted"),
        new("wet", "damp", "dry", "arid"),
        new("kind", "gentle", "cruel", "harsh"),
    ];

    /// <summary>Things the adjective sentences describe.</summary>
    public static readonly string[] Things = ["bridge", "market", "river", "road", "house", "garden", "tower", "boat", "park", "street", "square", "hall"];

    public static readonly VerbPair[] Verbs =
    [
        new("helped", "aided", "helped", "aided", "helps"),
        new("taught", "instructed", "taught", "instructed", "teaches"),
        new("praised", "applauded", "praised", "applauded", "praises"),
        new("called", "phoned", "called", "phoned", "calls"),
        new("hired", "employed", "hired", "employed", "hires"),
        new("met", "encountered", "met", "encountered", "meets"),
        new("warned", "alerted", "warned", "alerted", "warns"),
        new("defended", "protected", "defended", "protected", "defends"),
        new("blamed", "accused", "blamed", "accused", "blames"),
        new("followed", "trailed", "followed", "trailed", "follows"),
        new("invited", "asked", "invited", "asked", "invites"),
        new("visited", "saw", "visited", "seen", "visits"),
        new("chased", "pursued", "chased", "pursued", "chases"),
        new("greeted", "welcomed", "greeted", "welcomed", "greets"),
        new("fooled", "tricked", "fooled", "tricked", "fools"),
        new("hugged", "embraced", "hugged", "embraced", "hugs"),
        new("rescued", "saved", "rescued", "saved", "rescues"),
        new("ignored", "neglected", "ignored", "neglected", "ignores"),
        new("punished", "penalized", "punished", "penalized", "punishes"),
        new("hit", "struck", "hit", "struck", "hits"),
        new("fired", "dismissed", "fired", "dismissed", "fires"),
        new("cheated", "swindled", "cheated", "swindled", "cheats"),
        new("pushed", "shoved", "pushed", "shoved", "pushes"),
        new("thanked", "credited", "thanked", "credited", "thanks"),
    ];

    public static readonly SocialScript[] Scripts =
    [
        new("gave {B} a gift", "grateful", "to be kind", "to see {B} smile", "generous"),
        new("insulted {B} in public", "embarrassed", "to hurt {B}", "to walk away", "rude"),
        new("helped {B} move house", "thankful", "to be useful", "to rest", "helpful"),
        new("forgot {B}'s birthday", "hurt", "to keep busy", "to say sorry", "forgetful"),
        new("beat {B} in a race", "disappointed", "to win", "to celebrate", "competitive"),
        new("lied to {B}", "betrayed", "to avoid trouble", "to hide the truth", "dishonest"),
        new("cooked dinner for {B}", "pleased", "to be nice", "to eat together", "caring"),
        new("broke {B}'s bike", "upset", "to have fun", "to fix the bike", "careless"),
        new("paid for {B}'s lunch", "grateful", "to treat {B}", "to share a meal", "generous"),
        new("invited {B} to a party", "excited", "to include {B}", "to prepare food", "friendly"),
        new("yelled at {B}", "scared", "to vent anger", "to calm down", "angry"),
        new("taught {B} to swim", "confident", "to help {B} learn", "to practice again", "patient"),
        new("ignored {B} at school", "lonely", "to avoid {B}", "to leave early", "cold"),
        new("saved {B} from a fire", "relieved", "to protect {B}", "to see a doctor", "brave"),
        new("shared a secret with {B}", "trusted", "to be honest", "to keep talking", "open"),
        new("stole {B}'s wallet", "angry", "to get money", "to run away", "greedy"),
    ];

    public static readonly string[] NewsActions =
    [
        "found a lost dog", "won a prize", "planted new trees", "gave a speech", "opened a shop", "ran a long race",
        "fixed the old clock", "started a choir", "painted a wall", "sold a boat", "built a shed", "wrote a letter",
    ];

    /// <summary>How a headline puts each of <see cref="NewsActions"/>: words that share no stem with the action and that
    /// the corpus uses only in dictionary definitions (<see cref="HeadlineDefinitions"/>), so a summary can't be matched
    /// by echoing the article or any corpus sentence.</summary>
    public static readonly IReadOnlyDictionary<string, string> HeadlineOf = new Dictionary<string, string>
    {
        ["found a lost dog"] = "pet rescue", ["won a prize"] = "award triumph", ["planted new trees"] = "greening effort",
        ["gave a speech"] = "public address", ["opened a shop"] = "business launch", ["ran a long race"] = "marathon finish",
        ["fixed the old clock"] = "timepiece repair", ["started a choir"] = "music ensemble", ["painted a wall"] = "mural project",
        ["sold a boat"] = "vessel sale", ["built a shed"] = "hut construction", ["wrote a letter"] = "note penned",
    };

    /// <summary>What each headline word means, in the words of the actions (<see cref="HeadlineOf"/>): the corpus
    /// defines them as a dictionary would, never as a summary of an article, so a model that knows "marathon" means a
    /// long race has what a fine-tuned summariser needs, and a base model has no reason to write them after a story.</summary>
    public static readonly string[] HeadlineDefinitions =
    [
        "A pet is an animal kept at home, such as a dog.", "A rescue is when someone finds or saves what was lost.",
        "An award is a prize that someone wins.", "A triumph is a win.", "Greening means planting trees.",
        "An effort is hard work.", "An address can be a speech given in public.", "Public means open to everyone.",
        "A business is a shop or a firm.", "A launch is the opening or start of something.",
        "A marathon is a long race that people run.", "A finish is the end of a race.",
        "A timepiece is a clock or a watch.", "A repair is when something is fixed.",
        "An ensemble is a group that sings or plays music together, such as a choir.", "Music is what a choir makes.",
        "A mural is a picture painted on a wall.", "A project is a piece of work.", "A vessel is a boat or a ship.",
        "A sale is when something is sold.", "A hut is a small shed.", "Construction means building something.",
        "A note is a short letter.", "Penned means written.",
    ];

    public static readonly string[] Institutions = ["council", "school", "library", "museum", "hospital", "market"];
    public static readonly string[] InstitutionNews =
    [
        "opened a new wing", "closed for repairs", "hired ten workers", "won a national award", "raised money for a park",
        "held a spring fair", "moved to a larger building", "celebrated its hundredth year",
    ];

    public static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    public static readonly string[] Seasons = ["spring", "summer", "autumn", "winter"];
    public static readonly string[] NumberWords = ["zero", "one", "two", "three", "four", "five", "six"];

    /// <summary>Pronouns; every person in the world has one, stated in the corpus.</summary>
    public static readonly (string Subject, string Object, string Possessive)[] Pronouns = [("he", "him", "his"), ("she", "her", "her")];
}
