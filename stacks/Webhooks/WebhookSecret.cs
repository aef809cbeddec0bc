using Fleet.Infra.Configuration;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// A webhook signing key. <c>whsec_&lt;base64&gt;</c> (the Standard Webhooks form) is base64-decoded; any other text is
/// used as its UTF-8 bytes (the GitHub form), so either kind of sender can be configured.
/// </summary>
public sealed record WebhookSecret(byte[] Key)
{
    /// <summary>The fewest key bytes accepted (<see cref="WebhookSecretRules.MinKeyBytes"/>).</summary>
    public const int MinKeyBytes = WebhookSecretRules.MinKeyBytes;

    /// <summary>The fewest characters of a plain-text (non-whsec_) secret.</summary>
    public const int MinTextLength = WebhookSecretRules.MinTextLength;

    public const string GenerateHint = WebhookSecretRules.GenerateHint;

    public static WebhookSecret Parse(string text) => new(WebhookSecretRules.KeyBytes(text));

    /// <summary>Why <paramref name="text"/> is too weak to sign webhooks, or null (the stack's rule: <see cref="WebhookSecretRules.Weakness"/>).</summary>
    public static string? Weakness(string text) => WebhookSecretRules.Weakness(text);

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"WebhookSecret({Key.Length} bytes)";
}
