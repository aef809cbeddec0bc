using Fleet.Infra.Cli;
using Fleet.Infra.Configuration;

namespace Fleet.Infra.Synthesis;

/// <summary>Config → validated model → program → read-only checks. Shared by synth, plan, validate and policy.</summary>
public static class SynthesisPipeline
{
    public static SynthesisResult Run(StackConfig raw)
    {
        var (config, diagnostics) = FleetConfigReader.Read(raw);
        if (config is null) return new SynthesisResult(null, null, diagnostics, ExitCodes.InvalidConfig);
        var program = FleetSynthesizer.Synthesize(config);
        return new SynthesisResult(config, program, diagnostics, ExitCodes.Ok);
    }
}
