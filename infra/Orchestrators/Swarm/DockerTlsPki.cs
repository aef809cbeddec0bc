using Fleet.Infra.Orchestrators;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>
/// The mutual-TLS identity of the manager's Docker API, generated in the stack: a CA, a server certificate for
/// the manager's stable address and a client certificate for Pulumi's docker provider. Chosen over SSH because the
/// docker provider's SSH transport needs a key file or agent on the machine running Pulumi; this needs nothing
/// outside the stack's encrypted state.
/// </summary>
public sealed record DockerTlsPki(PulumiResource Ca, PulumiResource ServerKey, PulumiResource ServerCert, PulumiResource ClientKey, PulumiResource ClientCert)
{
    private const int CaHours = 10 * 8760;
    private const int LeafHours = 5 * 8760;

    public static DockerTlsPki Add(ProgramBuilder program, FleetNames names, PString managerAddress)
    {
        var caKey = Key(program, "docker-ca-key");
        var ca = program.Add("docker-ca", StackTypes.SelfSignedCert, new PMapBuilder
        {
            { "privateKeyPem", caKey.Out("privateKeyPem") },
            { "isCaCertificate", true },
            { "validityPeriodHours", CaHours },
            { "allowedUses", Px.Strings(["cert_signing", "crl_signing", "digital_signature"]) },
            { "subject", new PMapBuilder { { "commonName", $"{names.Prefix} docker CA" }, { "organization", "Fleet" } }.Build() },
        });
        var serverKey = Key(program, "docker-server-key");
        var serverCert = Leaf(program, "docker-server", serverKey, ca, caKey, names.ManagerHost, new PList(managerAddress), ["server_auth", "digital_signature", "key_encipherment"]);
        var clientKey = Key(program, "docker-client-key");
        var clientCert = Leaf(program, "docker-client", clientKey, ca, caKey, "pulumi", null, ["client_auth", "digital_signature"]);
        return new DockerTlsPki(ca, serverKey, serverCert, clientKey, clientCert);
    }

    private static PulumiResource Key(ProgramBuilder program, string name) =>
        program.Add(name, StackTypes.PrivateKey, new PMapBuilder { { "algorithm", "ECDSA" }, { "ecdsaCurve", "P256" } });

    private static PulumiResource Leaf(ProgramBuilder program, string name, PulumiResource key, PulumiResource ca, PulumiResource caKey, string commonName, PList? ips, string[] uses)
    {
        var csr = program.Add(name + "-csr", StackTypes.CertRequest, new PMapBuilder
        {
            { "privateKeyPem", key.Out("privateKeyPem") },
            { "ipAddresses", ips },
            { "subject", new PMapBuilder { { "commonName", commonName }, { "organization", "Fleet" } }.Build() },
        });
        return program.Add(name + "-cert", StackTypes.LocallySignedCert, new PMapBuilder
        {
            { "certRequestPem", csr.Out("certRequestPem") },
            { "caPrivateKeyPem", caKey.Out("privateKeyPem") },
            { "caCertPem", ca.Out("certPem") },
            { "validityPeriodHours", LeafHours },
            { "earlyRenewalHours", 720 },
            { "allowedUses", Px.Strings(uses) },
        });
    }
}
