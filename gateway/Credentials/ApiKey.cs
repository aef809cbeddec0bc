namespace Fleet.Gateway.Credentials;

/// <summary>A client API key as the gateway holds it: name, hash, limits, optional model allow-list (empty: all models).</summary>
public sealed record ApiKey(string Name, byte[] Hash, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string> Models)
{
    /// <summary>Whether this key may use <paramref name="model"/>.</summary>
    public bool Allows(string model) => Models.Count == 0 || Models.Contains(model, StringComparer.Ordinal);
}
