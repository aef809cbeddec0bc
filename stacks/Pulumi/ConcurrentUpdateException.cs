using Fleet.Infra.PulumiCli;

namespace Fleet.Stacks.Pulumi;

/// <summary>Another update holds the stack (a laptop <c>pulumi up</c>, a pipeline, or our own interrupted run): retry later.</summary>
public sealed class ConcurrentUpdateException(string command, CommandResult result, string message) : PulumiCommandException(command, result, message);
