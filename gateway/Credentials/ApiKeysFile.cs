namespace Fleet.Gateway.Credentials;

/// <summary>The API keys file the stack writes (<c>FLEET_API_KEYS_FILE</c>).</summary>
public sealed record ApiKeysFile(IReadOnlyList<ApiKeysFileEntry>? Keys);

/// <summary>One key: <c>{name, sha256, requestsPerMinute, tokensPerMinute, models?}</c>.</summary>
public sealed record ApiKeysFileEntry(string? Name, string? Sha256, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string>? Models);
