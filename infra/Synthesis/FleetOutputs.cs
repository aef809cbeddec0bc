using Fleet.Infra.Model;
using Fleet.Infra.Clouds;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Synthesis;

/// <summary>Stack outputs: addresses, the API URL, the deployed pools (read back by <c>fleet sync</c>) and credential hashes.</summary>
public static class FleetOutputs
{
    /// <summary>The output <c>fleet sync</c> reads: pool name → node ids as deployed.</summary>
    public const string Pools = "pools";

    public static void Add(ProgramBuilder program, FleetConfig config, ICloudTarget cloud, IReadOnlyList<WorkerNode> nodes, PulumiResource sshKey)
    {
        program.Output("managerAddress", cloud.ManagerPublicAddress);
        program.Output("apiUrl", config.Domain is null ? Px.Concat("http://", cloud.ManagerPublicAddress, "/v1") : Px.Lit($"https://api.{config.Domain}/v1"));
        if (config.Control is not null)
            program.Output("controlWebhookUrl", config.Domain is null ? Px.Concat("http://", cloud.ManagerPublicAddress, "/v1/scale") : Px.Lit($"https://api.{config.Domain}/v1/scale"));
        program.Output(Pools, new PMap(config.Pools.Select(p => new KeyValuePair<string, PValue>(p.Name, new PMapBuilder
        {
            { "size", p.Size },
            { "gpu", p.Gpu },
            { "nodes", Px.Strings(p.NodeIds) },
        }.Build())).ToArray()));
        program.Output("nodeCredentialSha256", new PMap(nodes.Select(n => new KeyValuePair<string, PValue>(n.Host, n.CredentialSha256)).ToArray()));
        program.Output("gatewayAdminToken", Px.Secret(Px.Ref("gateway-admin-token.result")));
        program.Output("sshPrivateKey", Px.Secret(sshKey.Out("privateKeyOpenssh")));
    }
}
