using System.Security.Cryptography;
using System.Text;

namespace Fleet.Gateway.Credentials;

/// <summary>SHA-256 of secrets and constant-time comparison; the gateway never keeps a secret, only its hash.</summary>
public static class SecretHash
{
    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="secret"/>.</summary>
    public static byte[] Of(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = secret.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var n = Encoding.UTF8.GetBytes(secret, utf8);
        var hash = SHA256.HashData(utf8[..n]);
        CryptographicOperations.ZeroMemory(utf8);
        return hash;
    }

    /// <summary>Lowercase hex SHA-256, the form the stack writes into the key and node files.</summary>
    public static string HexOf(string secret) => Convert.ToHexStringLower(Of(secret));

    /// <summary>Parses a 64-digit hex SHA-256; null when malformed.</summary>
    public static byte[]? ParseHex(string? hex)
    {
        if (hex is null || hex.Length != 64) return null;
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { return null; }
    }

    /// <summary>Index of the entry whose hash equals <paramref name="hash"/>, comparing every entry in constant time (no early exit).</summary>
    public static int IndexOf<T>(IReadOnlyList<T> entries, Func<T, byte[]> hashOf, ReadOnlySpan<byte> hash)
    {
        var found = -1;
        for (var i = 0; i < entries.Count; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hashOf(entries[i]), hash) && found < 0)
                found = i;
        }
        return found;
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(string? authorization)
    {
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var token = authorization.AsSpan(prefix.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}
