using System.Text;

namespace AmuroChar.Tokenization;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: each of the 256 byte values gets a printable character, so that byte-level tokens
/// can be stored as JSON strings without spaces or control characters (space is 'Ġ', newline 'Ċ'). Printable Latin-1
/// bytes map to themselves; the other 68 bytes map, in byte order, to U+0100 onwards. Every byte-level tokenizer.json
/// (GPT-2, GPT-NeoX, OLMo) spells its vocabulary in this alphabet.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByteTable = BuildCharToByte();

    /// <summary>The 256 symbols, indexed by byte value.</summary>
    public static IReadOnlyList<char> Symbols => ByteToCharTable;

    public static char ToChar(byte b) => ByteToCharTable[b];

    /// <summary>False for the 13 bytes that never occur in well-formed UTF-8: 0xC0, 0xC1 (overlong) and 0xF5–0xFF
    /// (beyond U+10FFFF). Byte-level vocabularies may leave them out, as GPT-NeoX's does.</summary>
    public static bool IsUtf8Byte(byte b) => b is not (0xC0 or 0xC1 or >= 0xF5);

    public static bool TryToByte(char c, out byte b) => CharToByteTable.TryGetValue(c, out b);

    /// <summary>The byte-level spelling of raw bytes (how they appear in a vocab).</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToCharTable[bytes[i]];
        return new string(chars);
    }

    /// <summary>The byte-level spelling of a string's UTF-8 bytes.</summary>
    public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// The bytes a byte-level token stands for, or null if it contains a character outside the alphabet (a token that
    /// was never byte-level spelled, e.g. an added token with a literal space).
    /// </summary>
    public static byte[]? TryDecode(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
            if (!CharToByteTable.TryGetValue(token[i], out bytes[i])) return null;
        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++) map[ByteToCharTable[b]] = (byte)b;
        return map;
    }
}
