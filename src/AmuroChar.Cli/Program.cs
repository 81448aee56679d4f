// Before anything can touch libtorch: one kernel set per CPU vendor (see NumericPath; whether this machine computes
// the baselines' bits is measured by the numeric fingerprint).
AmuroChar.Model.NumericPath.Pin();

return AmuroChar.Cli.AmuroCharApp.Run(args);
