namespace Fleet.Gateway.Credentials;

/// <summary>One key: <c>{name, sha256, requestsPerMinute, tokensPerMinute, models?}</c>.</summary>
public sealed record ApiKeysFileEntry(string? Name, string? Sha256, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string>? Models);
