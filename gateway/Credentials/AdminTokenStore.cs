using System.Security.Cryptography;

namespace Fleet.Gateway.Credentials;

/// <summary>The hash of the admin API token; replaced when its file changes.</summary>
public sealed class AdminTokenStore
{
    private volatile byte[]? _hash;

    /// <summary>Whether an admin token has been loaded.</summary>
    public bool Loaded => _hash is not null;

    /// <summary>Whether <paramref name="token"/> is the admin token (constant-time on the hashes).</summary>
    public bool Accepts(string? token)
    {
        var hash = _hash;
        return token is not null && hash is not null && CryptographicOperations.FixedTimeEquals(hash, SecretHash.Of(token));
    }

    /// <summary>Puts the token read from the file in force (surrounding whitespace ignored); empty tokens are refused.</summary>
    public bool Replace(string fileContent)
    {
        var token = fileContent.Trim();
        if (token.Length == 0) return false;
        _hash = SecretHash.Of(token);
        return true;
    }
}
