namespace AmuroChar.Tokenization;

/// <summary>Repairs .NET strings that are not valid Unicode before they are encoded as UTF-8.</summary>
internal static class Utf16Text
{
    /// <summary>
    /// <paramref name="text"/> with every unpaired surrogate replaced by U+FFFD, as UTF-8 encoders (and so Hugging Face
    /// tokenizers, whose strings are Rust UTF-8) do. NFC normalisation would otherwise refuse the string.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        int first = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0) return text;
        char[]? copy = null;
        for (int i = first; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            copy ??= text.ToCharArray();
            copy[i] = '\uFFFD';
        }
        return copy is null ? text : new string(copy);
    }
}
