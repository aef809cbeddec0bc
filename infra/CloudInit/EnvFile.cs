namespace Fleet.Infra.CloudInit;

/// <summary>The <c>KEY=value</c> lines of <c>/etc/fleet/fleet.env</c>, which the bootstrap scripts source.</summary>
public static class EnvFile
{
    public static string Lines(params (string Key, string Value)[] values) => string.Concat(values.Select(v => $"{v.Key}={v.Value}\n"));
}
