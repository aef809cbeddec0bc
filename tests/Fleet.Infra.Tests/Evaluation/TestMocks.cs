using System.Globalization;

namespace Fleet.Infra.Tests.Evaluation;

/// <summary>
/// Mocked provider outputs, as Pulumi's <c>IMocks.NewResourceAsync</c> would return them: deterministic ids, addresses,
/// keys and command output per resource. Outputs are the inputs plus these values.
/// </summary>
public sealed class TestMocks
{
    public const string WorkerToken = "SWMTKN-1-mockworkertoken";
    public const string ManagerPrivateIp = "10.210.0.2";
    public const string ManagerPublicIp = "198.51.100.10";

    private int _droplets;

    /// <summary>Resources created anew (a replacement): they get other ids and addresses than the first time.</summary>
    public HashSet<string> Recreated { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object?> NewResource(string type, string name, IReadOnlyDictionary<string, object?> inputs)
    {
        // hcloud ids are integers in string form (they go through std:index:parseint).
        var outputs = new Dictionary<string, object?>(inputs) { ["id"] = type.StartsWith("hcloud:", StringComparison.Ordinal) ? (500000 + Math.Abs(StableHash(name) % 100000)).ToString(CultureInfo.InvariantCulture) : $"{name}-id" };
        if (Recreated.Contains(name)) outputs["id"] = $"{outputs["id"]}-new";
        switch (type[(type.LastIndexOf(':') + 1)..])
        {
            case "Droplet":
                var n = ++_droplets;
                outputs["id"] = (100000 + n + (Recreated.Contains(name) ? 50000 : 0)).ToString(CultureInfo.InvariantCulture);
                outputs["ipv4Address"] = $"203.0.113.{n}";
                outputs["ipv4AddressPrivate"] = name == Fleet.Infra.Model.FleetNames.ManagerResource ? ManagerPrivateIp : $"10.210.0.{10 + n}";
                break;
            case "ReservedIp" or "PrimaryIp": outputs["ipAddress"] = ManagerPublicIp; break;
            case "Server":
                var s = ++_droplets;
                outputs["ipv4Address"] = $"203.0.113.{s}";
                // The network attachment's address is computed when the input names none (workers).
                if (inputs.TryGetValue("networks", out var nets) && nets is List<object?> list)
                    outputs["networks"] = list.Cast<Dictionary<string, object?>>()
                        .Select(n => (object?)new Dictionary<string, object?>(n) { ["ip"] = n.TryGetValue("ip", out var ip) && ip is not null ? ip : $"10.210.0.{10 + s}" }).ToList();
                break;
            case "PrivateKey":
                outputs["privateKeyPem"] = $"-----BEGIN PRIVATE KEY-----\nMOCK{name}\n-----END PRIVATE KEY-----\n";
                outputs["privateKeyOpenssh"] = $"-----BEGIN OPENSSH PRIVATE KEY-----\nMOCK{name}\n-----END OPENSSH PRIVATE KEY-----\n";
                outputs["publicKeyOpenssh"] = $"ssh-ed25519 AAAAMOCK{name}\n";
                break;
            case "SelfSignedCert" or "LocallySignedCert": outputs["certPem"] = $"-----BEGIN CERTIFICATE-----\nMOCK{name}\n-----END CERTIFICATE-----\n"; break;
            case "CertRequest": outputs["certRequestPem"] = $"-----BEGIN CERTIFICATE REQUEST-----\nMOCK{name}\n-----END CERTIFICATE REQUEST-----\n"; break;
            case "RandomPassword": outputs["result"] = new Secret($"pw{name.Replace("-", "", StringComparison.Ordinal)}0123456789"); break;
            case "Command": outputs["stdout"] = CommandStdout(name); break;
            case "SshKey": outputs["fingerprint"] = "aa:bb:cc:dd"; break;
            case "ServiceConfig" or "Secret": outputs["name"] = $"{name}-generated"; break;
        }
        return outputs;
    }

    public const string SwarmHostNetworkId = "hostnetmockid0123456789";

    /// <summary>What each manager command prints: the join token, the kubeconfig, the host network's id, a node's identity.</summary>
    private static object CommandStdout(string name) => name switch
    {
        "swarm-host-network" => SwarmHostNetworkId,
        _ when name.StartsWith("node-membership-", StringComparison.Ordinal) => $"node-{name["node-membership-".Length..]}",
        _ => new Secret(WorkerToken),
    };

    private static int StableHash(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));
}
