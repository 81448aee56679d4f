using AmuroChar.Tasks;
using AmuroChar.Randomness;

namespace AmuroChar.World;

/// <summary>
/// Summary generation. XSum-like: a short news article → one abstractive headline naming the person's job and the
/// country, neither of which the article states (like XSum summaries, which often say what the article doesn't), so
/// the summary's key words come from pre-trained knowledge of the (held-out) people and cities, and its other words
/// paraphrase the action in words the corpus uses only in dictionary definitions (a base model can't score by echoing
/// the article's or the corpus's sentences; a fine-tuned one can use what the definitions taught).
/// OOD: CNN/DailyMail-like sports reports with multi-sentence highlights; XL-Sum-like institution news.
/// </summary>
internal sealed class SummaryData(TinyWorld w)
{
    public IEnumerable<TaskExample> XSum(string idPrefix, bool train, int count, Rng rng)
    {
        var people = w.PeopleSplit.For(train);
        for (int i = 0; i < count; i++)
        {
            var p = rng.Pick(people);
            var other = rng.PickOther(people, p);   // from the same side: a training item never names an evaluated person
            string action = rng.Pick(Lexicon.NewsActions), day = rng.Pick(Lexicon.Weekdays);
            var sentences = new List<string>
            {
                rng.Next(3) switch
                {
                    0 => $"On {day}, {p.Name} {action} in {p.Home.Name}.",
                    1 => $"{p.Name} {action} in {p.Home.Name} on {day}.",
                    _ => $"In {p.Home.Name}, {p.Name} {action} this week.",
                },
                $"The {rng.Pick(Lexicon.Things)} near the {rng.Pick(Lexicon.Institutions)} was {rng.Pick(["busy", "crowded", "quiet", "empty"])}.",
                $"\"It was a {rng.Pick(["good", "long", "busy", "happy"])} day,\" {p.Name} said.",
                $"{other.Name} said {other.He} was {rng.Pick(["glad", "happy", "pleased", "proud"])}.",
            };
            if (rng.Chance(0.5)) sentences.Insert(1, $"Many people in {p.Home.Name} came to watch.");
            if (rng.Chance(0.5)) (sentences[0], sentences[1]) = (sentences[1], sentences[0]);   // the lead isn't always first
            // A headline, as XSum's one-sentence summaries are closer to than to the article's words: the country and the
            // job come from knowledge of the (held-out) person and city, the rest paraphrases the action.
            string summary = $"{p.Home.Country.Name} {p.Job} {Lexicon.HeadlineOf[action]}.";
            yield return Items.Make($"{idPrefix}-{i}", summary, [p.Name, p.Home.Name, other.Name], ("document", string.Join(" ", sentences)));
        }
    }

    public IEnumerable<TaskExample> CnnDailyMail(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var a = rng.Pick(w.TeamSplit.Eval);
            var b = rng.PickOther(w.Teams, a);
            var scorer = rng.Pick(w.PeopleSplit.Eval);
            int ga = rng.Next(2, 6), gb = rng.Next(0, ga), goals = Math.Min(ga, rng.Next(1, 4));
            string day = rng.Pick(Lexicon.Weekdays);
            string article = string.Join(" ",
                $"The {a.Name} beat the {b.Name} {Lexicon.NumberWords[ga]} to {Lexicon.NumberWords[gb]} in {a.Home.Name} on {day}.",
                $"{scorer.Name} scored {Lexicon.NumberWords[goals]} goals for the {a.Name}.",
                $"The {b.Name} had travelled from {b.Home.Name} and played well at the start.",
                $"The crowd in {a.Home.Name} was {rng.Pick(["loud", "noisy", "happy"])} all night.",
                $"\"We were {rng.Pick(["strong", "fast", "brave"])} today,\" {scorer.Name} said after the match.",
                $"The {b.Name} will play again next {rng.Pick(Lexicon.Weekdays)}.");
            string highlights = string.Join("\n",
                $"The {a.Name} beat the {b.Name} {Lexicon.NumberWords[ga]} to {Lexicon.NumberWords[gb]}.",
                $"{scorer.Name} scored {Lexicon.NumberWords[goals]} goals.",
                $"The match was played in {a.Home.Country.Name}.");
            yield return Items.Make($"{idPrefix}-{i}", highlights, [a.Name, b.Name, scorer.Name, a.Home.Name], ("document", article));
        }
    }

    public IEnumerable<TaskExample> XlSum(string idPrefix, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            var c = rng.Pick(w.CitySplit.Eval);
            string inst = rng.Pick(Lexicon.Institutions), news = rng.Pick(Lexicon.InstitutionNews);
            var official = rng.Pick(w.PeopleSplit.Eval);
            string article = string.Join(" ",
                $"Officials say the {inst} of {c.Name} {news}.",
                $"The news was shared by {official.Name} on {rng.Pick(Lexicon.Weekdays)}.",
                $"Workers said the {inst} would stay {rng.Pick(["busy", "open", "crowded"])} all {rng.Pick(Lexicon.Seasons)}.",
                $"Some people in {c.Name} were {rng.Pick(["glad", "surprised", "pleased"])}.");
            string summary = $"A {inst} in {c.Country.Name} {news}.";
            yield return Items.Make($"{idPrefix}-{i}", summary, [c.Name, official.Name], ("document", article));
        }
    }
}
