using System.Text.Json;

namespace Fleet.Gateway.Credentials;

/// <summary>The current API keys; replaced whole when the keys file changes.</summary>
public sealed class ApiKeyStore
{
    private volatile IReadOnlyList<ApiKey> _keys = [];

    /// <summary>Whether a keys file has been loaded successfully.</summary>
    public bool Loaded { get; private set; }

    /// <summary>The keys in force.</summary>
    public IReadOnlyList<ApiKey> Keys => _keys;

    /// <summary>The key whose hash matches the presented bearer token, or null.</summary>
    public ApiKey? Find(string? token)
    {
        if (token is null) return null;
        var keys = _keys;
        var i = SecretHash.IndexOf(keys, k => k.Hash, SecretHash.Of(token));
        return i < 0 ? null : keys[i];
    }

    /// <summary>Puts <paramref name="keys"/> in force.</summary>
    public void Replace(IReadOnlyList<ApiKey> keys)
    {
        _keys = keys;
        Loaded = true;
    }

    /// <summary>Parses the keys file; malformed entries are skipped and described in <paramref name="errors"/>.</summary>
    public static IReadOnlyList<ApiKey>? Parse(byte[] json, List<string> errors)
    {
        ApiKeysFile? file;
        try { file = JsonSerializer.Deserialize(json, GatewayJsonContext.Default.ApiKeysFile); }
        catch (JsonException e) { errors.Add($"API keys file is not valid JSON ({e.Message}); expected {{\"keys\":[{{\"name\",\"sha256\",\"requestsPerMinute\",\"tokensPerMinute\",\"models\"?}}]}}"); return null; }
        if (file?.Keys is null) { errors.Add("API keys file has no \"keys\" array"); return null; }

        var keys = new List<ApiKey>();
        for (var i = 0; i < file.Keys.Count; i++)
        {
            var e = file.Keys[i];
            var where = $"keys[{i}] ({e.Name ?? "no name"})";
            var hash = SecretHash.ParseHex(e.Sha256);
            if (string.IsNullOrWhiteSpace(e.Name)) errors.Add($"{where}: \"name\" is empty; give every key a name");
            else if (hash is null) errors.Add($"{where}: \"sha256\" must be 64 hex digits, the SHA-256 of the key");
            else if (e.RequestsPerMinute <= 0 || e.TokensPerMinute <= 0) errors.Add($"{where}: requestsPerMinute and tokensPerMinute must be positive");
            else if (keys.Any(k => k.Name == e.Name)) errors.Add($"{where}: name used twice; limits and metrics are per name, so give each key its own");
            else keys.Add(new ApiKey(e.Name, hash, e.RequestsPerMinute, e.TokensPerMinute, e.Models ?? []));
        }
        return keys;
    }
}
