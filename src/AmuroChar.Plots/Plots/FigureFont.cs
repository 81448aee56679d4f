using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace AmuroChar.Plots;

/// <summary>
/// The one font every figure uses, embedded in the assembly (Plots/Fonts, DejaVu Sans subset). ScottPlot otherwise
/// picks a system font, and on a machine without any (a bare container with only the .NET SDK) SkiaSharp silently
/// draws all text as nothing: titles, ticks and legends vanish with no error. It is registered with ScottPlot under
/// its own name, so no system font of the same family can shadow it.
/// </summary>
internal static class FigureFont
{
    public const string Name = "AmuroChar Sans";

    static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    // Measuring uses a typeface of its own: ScottPlot caches and shares the ones it resolves.
    static readonly Lazy<SKFont> Measurer = new(() => new SKFont(EmbeddedResolver.Create(Load("DejaVuSans-subset.ttf"))));

    /// <summary>Registers the font with ScottPlot once per process; call before building any plot.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    /// <summary>Width in pixels of the widest line of <paramref name="text"/> in the regular face at <paramref name="size"/>.</summary>
    public static float MeasureWidth(string text, float size)
    {
        lock (Measurer) // SKFont is not thread-safe
        {
            SKFont font = Measurer.Value;
            font.Size = size;
            return text.Split('\n').Max(line => font.MeasureText(line));
        }
    }

    static bool Register()
    {
        var resolver = new EmbeddedResolver(Load("DejaVuSans-subset.ttf"), Load("DejaVuSans-Bold-subset.ttf"));
        // First in the list: ScottPlot asks resolvers in order and only falls back to system fonts after them.
        Fonts.FontResolvers.Insert(0, resolver);
        // Labels take their font name from the default when they are created, so every plot made from now on uses it.
        Fonts.Default = Name;
        return true;
    }

    static byte[] Load(string file)
    {
        string resource = $"AmuroChar.Plots.Fonts.{file}";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded font '{resource}' is missing from the assembly.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>
    /// Answers only for <see cref="Name"/>; bold requests get the bold face, italics the upright one. Each call makes
    /// a new typeface, so whoever gets one may dispose it without breaking anyone else's.
    /// </summary>
    sealed class EmbeddedResolver(byte[] regular, byte[] bold) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == Name ? Create(weight >= FontWeight.SemiBold ? bold : regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool isBold, bool isItalic) =>
            fontName == Name ? Create(isBold ? bold : regular) : null;

        internal static SKTypeface Create(byte[] font)
        {
            using var data = SKData.CreateCopy(font);
            return SKTypeface.FromData(data)
                ?? throw new InvalidOperationException("SkiaSharp could not read the embedded figure font.");
        }
    }
}
