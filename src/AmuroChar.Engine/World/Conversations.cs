using AmuroChar.Randomness;
namespace AmuroChar.World;

/// <summary>
/// Conversations. <see cref="Chat"/> is small talk that restates facts. <see cref="Check"/> is people checking what
/// they heard against what they know ("So she works in Varnia?" — "Yes." / "No, Tovel is in Oskel."): ordinary
/// talk in which a statement is followed by a restatement that agrees with it, conflicts with it, or can't be told
/// from it. It is not inference labelling (no label words, no task format), but it is the kind of text from which a
/// model can learn to notice whether a second sentence follows from a first — which fine-tuning can then build on.
/// </summary>
internal sealed class Conversations(TinyWorld w, Rng rng)
{
    T Pick<T>(IReadOnlyList<T> xs) => rng.Pick(xs);
    string AnyName() => rng.Chance(0.5) ? w.PersonPopularity.Draw(rng).Name : Pick(w.Characters);

    public string Chat()
    {
        var a = w.PersonPopularity.Draw(rng);
        var b = w.PersonPopularity.DrawOther(rng, a);
        var lines = new List<string>();
        switch (rng.Next(3))
        {
            case 0:
                var asked = rng.Chance(0.5) ? b.Home.Country : rng.PickOther(w.Countries, b.Home.Country);
                lines.Add($"{a.Name}: Where are you from, {b.Name}?");
                lines.Add($"{b.Name}: I am from {b.Home.Name}.");
                lines.Add($"{a.Name}: Is that in {asked.Name}?");
                lines.Add(asked == b.Home.Country ? $"{b.Name}: Yes, {b.Home.Name} is in {asked.Name}." : $"{b.Name}: No, it is in {b.Home.Country.Name}.");
                break;
            case 1:
                lines.Add($"{a.Name}: What do you do, {b.Name}?");
                lines.Add($"{b.Name}: I am a {b.Job}. And you?");
                lines.Add($"{a.Name}: I work as a {a.Job} in {a.Home.Name}.");
                break;
            default:
                var s = Pick(Lexicon.Scripts);
                string c = Pick(w.Characters);
                lines.Add($"{a.Name}: Did you hear that {c} {s.Action.Replace("{B}", b.Name)}?");
                lines.Add($"{b.Name}: Yes, I was {s.Feeling}. {c} is so {s.Trait}.");
                lines.Add($"{a.Name}: I think {c} did it {s.Motive.Replace("{B}", b.Name)}.");
                break;
        }
        return string.Join("\n", lines);
    }

    /// <summary>Two or three checks in one conversation, each: a statement, a restatement asked back, the answer.</summary>
    public string Check()
    {
        var a = w.PersonPopularity.Draw(rng);
        var b = w.PersonPopularity.DrawOther(rng, a);
        var lines = new List<string>();
        for (int i = 0, n = rng.Next(2, 4); i < n; i++)
        {
            var (said, asked, answer) = rng.Next(6) switch
            {
                0 or 1 => Place(),
                2 => Quality(),
                3 => Animal(),
                4 => Match(),
                _ => Order(),
            };
            lines.Add($"{a.Name}: {said}");
            lines.Add($"{b.Name}: {asked}");
            lines.Add($"{a.Name}: {answer}");
        }
        return string.Join("\n", lines);
    }

    // Three kinds of restatement, in equal shares: one that follows, one that conflicts, one that adds something new.
    int Kind() => rng.Next(3);

    (string, string, string) Place()
    {
        var p = w.PersonPopularity.Draw(rng);
        string did = Pick(["opened a shop", "found work", "spent the " + Pick(Lexicon.Seasons), "bought a house"]);
        var other = rng.PickOther(w.Countries, p.Home.Country);
        return Kind() switch
        {
            0 => ($"{p.Name} {did} in {p.Home.Name}.", $"So {p.Name} {did} in {p.Home.Country.Name}?", Pick(["Yes.", "Yes, that is right.", $"Yes, {p.Home.Name} is in {p.Home.Country.Name}."])),
            1 => ($"{p.Name} {did} in {p.Home.Name}.", $"So {p.Name} {did} in {other.Name}?", Pick(["No.", $"No, {p.Home.Name} is in {p.Home.Country.Name}.", "No, that is wrong."])),
            _ => ($"{p.Name} {did} in {p.Home.Name}.", $"So {p.Name} {did} with a friend?", Pick(["I don't know.", "Maybe, I can't tell.", "I have no idea."])),
        };
    }

    (string, string, string) Quality()
    {
        var c = Pick(Lexicon.Adjectives);
        string word = Pick(c.Words.ToList()), thing = Pick(Lexicon.Things);
        return Kind() switch
        {
            0 => ($"The {thing} is {word}.", $"So the {thing} is {c.SynonymOf(word)}?", Pick(["Yes.", "Yes, very.", $"Yes, {word} means {c.SynonymOf(word)}."])),
            1 => ($"The {thing} is {word}.", $"So the {thing} is {c.AntonymOf(word)}?", Pick(["No.", $"No, it is {word}.", $"No, {c.AntonymOf(word)} is the opposite."])),
            _ => ($"The {thing} is {word}.", $"So the {thing} is {Pick(rng.PickOther(Lexicon.Adjectives, c).Words.ToList())}?", Pick(["I don't know.", "Maybe, I can't tell."])),
        };
    }

    (string, string, string) Animal()
    {
        var a = Pick(w.Animals);
        string place = Pick(Lexicon.Habitats);
        return Kind() switch
        {
            0 => ($"The animal near the {place} was a {a.Name}.", $"So it was {Facts.A(a.Class)}?", Pick(["Yes.", $"Yes, the {a.Name} is {Facts.A(a.Class)}."])),
            1 => ($"The animal near the {place} was a {a.Name}.", $"So it was {Facts.A(rng.PickOther(Lexicon.AnimalClasses, a.Class))}?", Pick(["No.", $"No, the {a.Name} is {Facts.A(a.Class)}."])),
            _ => ($"The animal near the {place} was a {a.Name}.", $"So it was {Pick(["hungry", "asleep", "young", "alone"])}?", Pick(["I don't know.", "Maybe, I can't tell."])),
        };
    }

    (string, string, string) Match()
    {
        var x = Pick(w.Teams);
        var y = rng.PickOther(w.Teams, x);
        return Kind() switch
        {
            0 => ($"The {x.Name} beat the {y.Name}.", Pick([$"So the {y.Name} lost?", $"So the {x.Name} won in {x.Home.Country.Name}?"]), "Yes."),
            1 => ($"The {x.Name} beat the {y.Name}.", Pick([$"So the {y.Name} won?", $"So the {x.Name} lost?"]), Pick(["No.", "No, the other way around."])),
            _ => ($"The {x.Name} beat the {y.Name}.", $"So the {x.Name} scored {Pick(["two", "three", "four"])} goals?", Pick(["I don't know.", "Maybe, I can't tell."])),
        };
    }

    /// <summary>Who did what to whom: the same words in another order mean the same or the opposite.</summary>
    (string, string, string) Order()
    {
        var v = w.VerbPopularity.Draw(rng);
        string x = AnyName(), y;
        do y = AnyName(); while (y == x);
        string day = Pick(Lexicon.Weekdays);
        var other = rng.PickOther(Lexicon.Verbs, v);
        return rng.Next(5) switch
        {
            4 => ($"{x} {v.Past} {y} on {day}.", $"You mean {x} {Pick([other.Past, other.SynonymPast])} {y}?", Pick([$"No, {x} {v.Past} {y}.", "No, that is different."])),
            0 => ($"{x} {v.Past} {y} on {day}.", $"You mean {y} was {v.Participle} by {x}?", Pick(["Yes, that is the same.", "Yes."])),
            1 => ($"{x} {v.Past} {y} on {day}.", $"You mean {x} {v.SynonymPast} {y}?", Pick(["Yes, that is the same.", "Yes."])),
            2 => ($"{x} {v.Past} {y} on {day}.", $"You mean {y} {v.Past} {x}?", Pick(["No, the other way around.", "No."])),
            _ => ($"{x} {v.Past} {y} on {day}.", $"You mean {x} was {v.Participle} by {y}?", Pick(["No, the other way around.", "No."])),
        };
    }
}
