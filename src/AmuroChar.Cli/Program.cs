return AmuroChar.Cli.AmuroCharApp.Run(args);
