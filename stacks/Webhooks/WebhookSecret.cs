using System.Text;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// A webhook signing key. <c>whsec_&lt;base64&gt;</c> (the Standard Webhooks form) is base64-decoded; any other text is
/// used as its UTF-8 bytes (the GitHub form), so either kind of sender can be configured.
/// </summary>
public sealed record WebhookSecret(byte[] Key)
{
    private const string Prefix = "whsec_";

    /// <summary>The fewest key bytes accepted: a shorter HMAC key (or <c>whsec_</c> alone, a 0-byte key) can be guessed.</summary>
    public const int MinKeyBytes = 24;

    /// <summary>The fewest characters of a plain-text (non-whsec_) secret.</summary>
    public const int MinTextLength = 32;

    public const string GenerateHint = "generate one with: echo \"whsec_$(openssl rand -base64 32)\"";

    public static WebhookSecret Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return new WebhookSecret(Encoding.UTF8.GetBytes(text));
        try
        {
            return new WebhookSecret(Convert.FromBase64String(text[Prefix.Length..]));
        }
        catch (FormatException)
        {
            throw new FormatException($"a whsec_ secret must be base64 after the prefix ({GenerateHint})");
        }
    }

    /// <summary>
    /// Why <paramref name="text"/> is too weak to sign webhooks, or null when it is strong enough: a <c>whsec_</c> key must
    /// decode to at least <see cref="MinKeyBytes"/> bytes, plain text must be at least <see cref="MinTextLength"/>
    /// characters, and neither may be a run of a few repeated values (<c>AAAA…</c>, <c>0000…</c>). Never quotes the secret.
    /// </summary>
    public static string? Weakness(string text)
    {
        var secret = Parse(text);
        var distinct = secret.Key.Distinct().Count();
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            if (secret.Key.Length < MinKeyBytes)
                return $"the whsec_ key decodes to {secret.Key.Length} bytes; at least {MinKeyBytes} random bytes are required ({GenerateHint})";
        }
        else if (text.Length < MinTextLength)
            return $"a plain-text secret must be at least {MinTextLength} characters (this one has {text.Length}); better a whsec_ key ({GenerateHint})";
        return distinct < 8 ? $"the key is not random: it repeats {distinct} distinct byte value(s) ({GenerateHint})" : null;
    }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"WebhookSecret({Key.Length} bytes)";
}
