using System.Text;
using System.Text.RegularExpressions;

namespace AmuroChar.Hub;

/// <summary>
/// <c>--include</c> patterns as huggingface_hub's <c>allow_patterns</c> match them (Python's <c>fnmatchcase</c> on
/// the repository path): <c>*</c> matches any run of characters, slashes included; <c>?</c> one character;
/// <c>[abc]</c> / <c>[!abc]</c> a set; a pattern ending in <c>/</c> means everything under that folder.
/// </summary>
public static class RepoGlob
{
    public static IReadOnlyList<string> Filter(IEnumerable<string> paths, IReadOnlyList<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0) return paths.ToList();
        var regexes = patterns.Select(ToRegex).ToList();
        return paths.Where(p => regexes.Any(r => r.IsMatch(p))).ToList();
    }

    public static Regex ToRegex(string pattern)
    {
        if (pattern.EndsWith('/')) pattern += "*";
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            int close = c == '[' ? pattern.IndexOf(']', i + 2) : -1;
            if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else if (close > 0)
            {
                string set = pattern[(i + 1)..close];
                sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = close;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
