namespace Fleet.Infra.PulumiCli;

/// <summary>What a <c>pulumi</c> invocation returned.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
