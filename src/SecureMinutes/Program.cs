return await SecureMinutes.Cli.CliApp.RunAsync(args);
