using System.Globalization;
using System.Runtime.CompilerServices;

namespace AmuroChar;

/// <summary>Numbers in reports, baselines and JSON must not depend on the user's locale ("0,5" vs "0.5"): every
/// process that loads this library formats and parses with the invariant culture.</summary>
static class InvariantCulture
{
#pragma warning disable CA2255 // deliberate: every entry point (CLI, tests, findings suite) must format invariantly
    [ModuleInitializer]
    internal static void Apply()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
#pragma warning restore CA2255
}
