using Fleet.Infra.PulumiCli;

namespace Fleet.Stacks.Pulumi;

/// <summary>The backend has no such stack (<c>pulumi stack init</c> it, or fix FLEET_STACKS).</summary>
public sealed class StackNotFoundException(string command, CommandResult result, string message) : PulumiCommandException(command, result, message);
