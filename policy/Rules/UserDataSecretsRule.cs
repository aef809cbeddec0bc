using Fleet.Policy.Model;
using Fleet.Policy.Secrets;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>
/// FP007: user data that carries secret material — a token or key literal, or a reference to a secret output — is marked
/// secret (<c>fn::secret</c>), so the engine encrypts it in state and masks it in output.
/// </summary>
public sealed class UserDataSecretsRule : ResourceRule
{
    public override string Id => "FP007";
    public override string Name => "user-data-secrets-stay-secret";
    public override string Description => "User data containing secret material (cloud tokens, SWMTKN-1-, K10…::, private keys, high-entropy strings, secret outputs) is marked secret.";

    public override void Check(PolicyResource resource, PolicyContext context, PolicyReport report)
    {
        var raw = resource.Inputs["userData"];
        if (raw is null) return;
        var content = Json.Unsecret(raw, out var marked);
        if (marked) return;
        foreach (var leaf in Json.Leaves(content))
        {
            var found = SecretScanner.Find(leaf) ?? SecretReference(leaf);
            if (found is null) continue;
            report.Violation(resource.Name, $"user data holds {found} but is not marked secret: it would be stored and shown in plain text", "wrap the user data in fn::secret");
            return;
        }
    }

    private static string? SecretReference(string text)
    {
        foreach (var part in text.Split("${", StringSplitOptions.None).Skip(1))
        {
            var end = part.IndexOf('}');
            if (end < 0) continue;
            var path = part[..end];
            var output = path[(path.LastIndexOf('.') + 1)..];
            if (SecretScanner.SecretOutputs.Contains(output) || output == "stdout") return $"a secret output (${{{path}}})";
        }
        return null;
    }
}
