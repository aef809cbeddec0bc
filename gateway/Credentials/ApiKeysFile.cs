namespace Fleet.Gateway.Credentials;

/// <summary>The API keys file the stack writes (<c>FLEET_API_KEYS_FILE</c>).</summary>
public sealed record ApiKeysFile(IReadOnlyList<ApiKeysFileEntry>? Keys);
