using System.Runtime.CompilerServices;

namespace AmuroChar.Tests;

/// <summary>Pins libtorch's numeric path before any test can run a Torch operation (see AmuroChar.Model.NumericPath).</summary>
static class PinNumerics
{
#pragma warning disable CA2255 // an entry point of its own: the test host loads this assembly first
    [ModuleInitializer]
    internal static void Pin() => AmuroChar.Model.NumericPath.Pin();
#pragma warning restore CA2255
}
