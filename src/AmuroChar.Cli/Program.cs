// Before anything can touch libtorch: one kernel set per CPU vendor (see NumericPath; whether this machine computes
// the baselines' bits is measured by the numeric fingerprint).
AmuroChar.Model.NumericPath.Pin();

// With stdout closed (`>&-`) every result would be lost, and .NET reported it as "Access to the path is denied",
// naming no path: say what is wrong before any work.
if (AmuroChar.Cli.StandardStreams.StdoutClosed())
{
    try { Console.Error.WriteLine("amurochar: standard output is closed (>&-), so results can't be printed; redirect it to a file or /dev/null instead"); }
    catch (IOException) { }
    return 1;
}

Console.SetOut(AmuroChar.Cli.StandardStreams.NamedStdout(Console.Out));
return AmuroChar.Cli.AmuroCharApp.Run(args);
