// Before anything can touch libtorch: same seed, same bits on every x86-64 CPU (see NumericPath).
AmuroChar.Model.NumericPath.Pin();

return AmuroChar.Cli.AmuroCharApp.Run(args);
