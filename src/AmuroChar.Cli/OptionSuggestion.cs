using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace AmuroChar.Cli;

/// <summary>
/// "Did you mean --world-seed?" for an unknown option, which Spectre.Console.Cli does not offer: the closest option
/// of the command that was typed (snake_case for kebab-case, or up to two typing slips), or none.
/// </summary>
static partial class OptionSuggestion
{
    public static string? For(string[] args, string message, IReadOnlyDictionary<string, Type> settingsOf)
    {
        if (UnknownOption().Match(message) is not { Success: true } match) return null;
        string typed = match.Groups[1].Value;
        if (SettingsFor(args, settingsOf) is not { } settings) return null;

        var options = settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .SelectMany(a => a.LongNames.Select(n => "--" + n).Concat(a.ShortNames.Select(n => "-" + n)))
            .ToList();
        string wanted = (typed.Length > 1 ? "--" : "-") + typed.Replace('_', '-').ToLowerInvariant();
        var best = options.Select(o => (Option: o, Distance: Distance(wanted, o))).MinBy(x => x.Distance);
        return best.Option is not null && best.Distance <= Math.Min(2, wanted.Length / 3) ? best.Option : null;
    }

    /// <summary>
    /// An option that takes a value but was given none (last on the line, or followed by another option) is an error
    /// naming it. Spectre.Console.Cli 0.57 instead binds its internal token "__default_command" as the value, so
    /// <c>init --out</c> would write into a folder of that name.
    /// </summary>
    public static void RequireValues(string[] args, IReadOnlyDictionary<string, Type> settingsOf)
    {
        if (SettingsFor(args, settingsOf) is not { } settings) return;
        var valued = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<CommandOptionAttribute>() is { ValueName: not null, ValueIsOptional: false } a)
                foreach (string name in a.LongNames.Select(n => "--" + n).Concat(a.ShortNames.Select(n => "-" + n)))
                    valued[name] = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        for (int i = 0; i < args.Length; i++)
        {
            if (!valued.TryGetValue(args[i], out var type)) continue;
            bool missing = i == args.Length - 1 || (args[i + 1].StartsWith('-') && !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            if (missing) throw new ArgumentException($"Option '{args[i].TrimStart('-')}' is defined but no value has been provided (usage: {args[i]} <VALUE>).");
            // Numbers are read the one invariant way: Spectre's converters took "0x10" as 16 and said of "1,5"
            // only "Failed to convert '1,5' to Nullable`1".
            string value = args[i + 1];
            bool whole = type == typeof(int) ? int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : type != typeof(long) || long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            if (!whole) throw new ArgumentException($"{args[i]} '{value}': expected a whole number between {(type == typeof(int) ? int.MinValue : long.MinValue)} and {(type == typeof(int) ? int.MaxValue : long.MaxValue)}, e.g. 3");
            if (type == typeof(double) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                throw new ArgumentException($"{args[i]} '{value}': expected a number with a dot for decimals, e.g. 1.5");
        }
    }

    /// <summary>The command is the longest run of leading words that names one ("store prune", "evaluate").</summary>
    static Type? SettingsFor(string[] args, IReadOnlyDictionary<string, Type> settingsOf)
    {
        var words = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        Type? settings = null;
        for (int n = words.Count; n > 0 && settings is null; n--)
            settingsOf.TryGetValue(string.Join(' ', words.Take(n)), out settings);
        return settings;
    }

    [GeneratedRegex("^Unknown option '([^']+)'")]
    private static partial Regex UnknownOption();

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
