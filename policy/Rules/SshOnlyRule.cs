using System.Text.Json.Nodes;
using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP006: servers get SSH keys, and their cloud-init never turns password logins on.</summary>
public sealed class SshOnlyRule : ResourceRule
{
    public override string Id => "FP006";
    public override string Name => "ssh-keys-no-passwords";
    public override string Description => "Every server has SSH keys set and its cloud-init does not enable password login (ssh_pwauth, chpasswd, plain_text_passwd, lock_passwd: false).";

    private static readonly string[] PasswordMarkers = ["ssh_pwauth: true", "PasswordAuthentication yes", "plain_text_passwd", "lock_passwd: false", "chpasswd:"];

    public override void Check(PolicyResource resource, PolicyContext context, PolicyReport report)
    {
        if ((resource.Package, resource.Kind) is not (("digitalocean", "Droplet") or ("hcloud", "Server"))) return;
        if (!Json.Items(resource.Inputs["sshKeys"]).Any())
            report.Violation(resource.Name, "no SSH key is set, so the cloud emails a root password", "set sshKeys to the stack's generated key");
        var userData = Json.Unsecret(resource.Inputs["userData"], out _);
        if (EnablesPasswords(userData))
            report.Violation(resource.Name, "cloud-init enables password login", "remove the password settings; use ssh_pwauth: false");
    }

    private static bool EnablesPasswords(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(kv => kv.Key switch
        {
            "ssh_pwauth" => kv.Value is JsonValue v && (v.ToJsonString() is "true" or "\"true\"" or "\"yes\""),
            "chpasswd" or "plain_text_passwd" or "passwd" or "hashed_passwd" => true,
            "lock_passwd" => kv.Value?.ToJsonString() == "false",
            _ => EnablesPasswords(kv.Value),
        }),
        JsonArray a => a.Any(EnablesPasswords),
        _ => Json.Leaves(node).Any(s => PasswordMarkers.Any(m => s.Contains(m, StringComparison.Ordinal))),
    };
}
