namespace Fleet.Gateway.Credentials;

/// <summary>
/// A client API key as the gateway holds it: name, hash, limits, optional model allow-list (empty: all models); for a JWT
/// client, also its <paramref name="Issuer"/> (null for API keys).
/// </summary>
public sealed record ApiKey(string Name, byte[] Hash, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string> Models, string? Issuer = null)
{
    /// <summary>
    /// The <c>key</c> label of this client's metrics: the key's name, or <c>jwt:&lt;issuer&gt;</c> for a JWT client — one series
    /// per issuer, never per subject, so the issuers file bounds them.
    /// </summary>
    public string MetricsKey => Issuer is null ? Name : $"jwt:{Issuer}";


    /// <summary>Whether this key may use <paramref name="model"/>.</summary>
    public bool Allows(string model) => Models.Count == 0 || Models.Contains(model, StringComparer.Ordinal);
}
