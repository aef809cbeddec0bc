// The whole command line (commands, usage errors → exit 2) lives in Fleet.Infra.Cli.FleetCli, where the tests reach it.
return Fleet.Infra.Cli.FleetCli.Run(args, Console.Out, Console.Error);
