using System.Text;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// A webhook signing key. <c>whsec_&lt;base64&gt;</c> (the Standard Webhooks form) is base64-decoded; any other text is
/// used as its UTF-8 bytes (the GitHub form), so either kind of sender can be configured.
/// </summary>
public sealed record WebhookSecret(byte[] Key)
{
    private const string Prefix = "whsec_";

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
            throw new FormatException("a whsec_ secret must be base64 after the prefix (generate one with: echo \"whsec_$(head -c 32 /dev/urandom | base64)\")");
        }
    }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"WebhookSecret({Key.Length} bytes)";
}
