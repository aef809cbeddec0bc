using Fleet.Infra.Model;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Synthesis;

/// <summary>
/// What <c>fleet synth</c> prints when Pulumi runs it without <c>PULUMI_CONFIG</c> (package discovery, <c>pulumi about</c>):
/// a valid program that references every provider package at the pinned version, creating nothing.
/// </summary>
public static class DiscoveryProgram
{
    public static PulumiProgram Build(string project)
    {
        var program = new ProgramBuilder();
        foreach (var package in ProviderVersions.All.Keys)
            program.Add($"provider-{package}", $"pulumi:providers:{package}", new PMap([]));
        return program.Build(project, "Fleet package discovery: every provider package the fleet programs use, pinned");
    }
}
