namespace Fleet.Infra.Configuration;

/// <summary>The flat stack configuration (<c>namespace:key</c> → value) of one stack, from either source.</summary>
public sealed record StackConfig(string Stack, string Project, IReadOnlyDictionary<string, RawConfigValue> Values, ConfigOrigin Origin)
{
    public RawConfigValue? Get(string key) => Values.TryGetValue(key, out var v) ? v : null;

    /// <summary>Top-level keys of a stack file other than Pulumi's own (<c>fleet:region</c> indented one level too little): Pulumi ignores them.</summary>
    public IReadOnlyList<string> KeysOutsideConfig { get; init; } = [];
}

/// <summary>Where the config came from; the messages differ (a running engine versus a file on disk).</summary>
public enum ConfigOrigin
{
    /// <summary><c>PULUMI_CONFIG</c>, set by the Pulumi YAML host during preview/up: secrets arrive decrypted.</summary>
    Engine,

    /// <summary><c>Pulumi.&lt;stack&gt;.yaml</c>, read by <c>fleet plan</c>: secrets stay encrypted.</summary>
    StackFile,
}
