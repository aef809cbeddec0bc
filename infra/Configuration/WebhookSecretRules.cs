using System.Text;

namespace Fleet.Infra.Configuration;

/// <summary>
/// The one rule for a webhook signing secret, used where the stack checks <c>fleet:controlWebhookSecret</c> and where the
/// control service checks its <c>FLEET_WEBHOOK_SECRET</c> at start, so a secret the stack accepts never stops the service.
/// <c>whsec_&lt;base64&gt;</c> (Standard Webhooks) is base64-decoded; any other text is used as its UTF-8 bytes (GitHub).
/// </summary>
public static class WebhookSecretRules
{
    public const string Prefix = "whsec_";

    /// <summary>The fewest key bytes accepted: a shorter HMAC key (or <c>whsec_</c> alone, a 0-byte key) can be guessed.</summary>
    public const int MinKeyBytes = 24;

    /// <summary>The fewest characters of a plain-text (non-whsec_) secret.</summary>
    public const int MinTextLength = 32;

    public const string GenerateHint = "generate one with: echo \"whsec_$(openssl rand -base64 32)\"";

    /// <summary>The HMAC key of <paramref name="text"/>; throws <see cref="FormatException"/> for a whsec_ value that is not base64.</summary>
    public static byte[] KeyBytes(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return Encoding.UTF8.GetBytes(text);
        try
        {
            return Convert.FromBase64String(text[Prefix.Length..]);
        }
        catch (FormatException)
        {
            throw new FormatException($"a whsec_ secret must be base64 after the prefix ({GenerateHint})");
        }
    }

    /// <summary>
    /// Why <paramref name="text"/> is too weak to sign webhooks, or null when it is strong enough: a <c>whsec_</c> key must
    /// decode to at least <see cref="MinKeyBytes"/> bytes, plain text must be at least <see cref="MinTextLength"/>
    /// characters, and neither may be a run of a few repeated values. Never quotes the secret. Throws
    /// <see cref="FormatException"/> like <see cref="KeyBytes"/>.
    /// </summary>
    public static string? Weakness(string text)
    {
        var key = KeyBytes(text);
        var distinct = key.Distinct().Count();
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            if (key.Length < MinKeyBytes)
                return $"the whsec_ key decodes to {key.Length} bytes; at least {MinKeyBytes} random bytes are required ({GenerateHint})";
        }
        else if (text.Length < MinTextLength)
            return $"a plain-text secret must be at least {MinTextLength} characters (this one has {text.Length}); better a whsec_ key ({GenerateHint})";
        return distinct < 8 ? $"the key is not random: it repeats {distinct} distinct byte value(s) ({GenerateHint})" : null;
    }
}
