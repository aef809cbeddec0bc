using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// Standard Webhooks verification: HMAC-SHA256 over <c>id.timestamp.body</c>, <c>v1,&lt;base64&gt;</c> signatures
/// (space-separated, any may match), a ±5 minute window, constant-time comparison, any of the configured secrets.
/// </summary>
/// <remarks>
/// Written here instead of using the StandardWebhooks package (1.1.2): that library reads <c>DateTimeOffset.UtcNow</c>
/// (no <see cref="TimeProvider"/>, so the window cannot be tested with a fake clock), holds one key (rotation would
/// mean two instances and exceptions for control flow) and reports every failure as the same exception type.
/// Dedupe of delivery ids is the caller's job: it must be persisted with the request.
/// </remarks>
public sealed class WebhookVerifier
{
    private readonly IReadOnlyList<WebhookSecret> secrets;
    private readonly TimeProvider time;

    /// <exception cref="ArgumentException">No secret, or one shorter than <see cref="WebhookSecret.MinKeyBytes"/> bytes
    /// (an empty HMAC key would let anyone sign).</exception>
    public WebhookVerifier(IReadOnlyList<WebhookSecret> secrets, TimeProvider time)
    {
        if (secrets.Count == 0) throw new ArgumentException("at least one webhook secret is required", nameof(secrets));
        if (secrets.Any(s => s.Key.Length < WebhookSecret.MinKeyBytes))
            throw new ArgumentException($"every webhook secret needs at least {WebhookSecret.MinKeyBytes} key bytes", nameof(secrets));
        (this.secrets, this.time) = (secrets, time);
    }

    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Checks one delivery; <paramref name="body"/> is the raw request body, exactly as received.</summary>
    public WebhookVerdict Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return WebhookVerdict.MissingHeaders;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return WebhookVerdict.BadTimestamp;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (seconds < now - (long)Tolerance.TotalSeconds) return WebhookVerdict.TooOld;
        if (seconds > now + (long)Tolerance.TotalSeconds) return WebhookVerdict.TooNew;

        var signed = SignedContent(id, timestamp, body);
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(secret.Key, signed, expected);
            foreach (var part in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!part.StartsWith("v1,", StringComparison.Ordinal)) continue;
                if (!Convert.TryFromBase64String(part[3..], given, out var written) || written != given.Length) continue;
                if (CryptographicOperations.FixedTimeEquals(expected, given)) return WebhookVerdict.Valid;
            }
        }
        return WebhookVerdict.NoMatchingSignature;
    }

    /// <summary>The <c>v1,&lt;base64&gt;</c> signature a sender puts in <c>webhook-signature</c>.</summary>
    public static string Sign(WebhookSecret secret, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret.Key, SignedContent(id, timestamp.ToString(CultureInfo.InvariantCulture), body)));

    private static byte[] SignedContent(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }

    /// <summary>What each refusal tells the sender (never which secret or which signature was close).</summary>
    public static string Describe(WebhookVerdict verdict) => verdict switch
    {
        WebhookVerdict.MissingHeaders => $"missing {IdHeader}, {TimestampHeader} or {SignatureHeader} header (Standard Webhooks)",
        WebhookVerdict.BadTimestamp => $"{TimestampHeader} must be Unix seconds",
        WebhookVerdict.TooOld => $"{TimestampHeader} is more than 5 minutes in the past; re-sign the delivery with the current time",
        WebhookVerdict.TooNew => $"{TimestampHeader} is more than 5 minutes in the future; check the sender's clock",
        WebhookVerdict.NoMatchingSignature => $"no v1 signature in {SignatureHeader} matches the body under the configured secret",
        _ => "ok",
    };
}
