using System.CommandLine;
using Fleet.Infra.Cli;

var root = new RootCommand("fleet: synthesize, plan and validate a Fleet inference stack for the Pulumi engine")
{
    SynthCommand.Create(),
    PlanCommand.Create(),
    ValidateCommand.Create(),
    SyncCommand.Create(),
    PolicyCommand.Create(),
};
return root.Parse(args).Invoke();
