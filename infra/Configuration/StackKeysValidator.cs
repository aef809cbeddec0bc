using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Configuration;

/// <summary>
/// The keys of a stack's config, before their values: unknown <c>fleet:</c> keys and namespaces that are a typo of
/// a known one are errors, namespaces no provider of the program reads are warnings, keys at the top level of the stack
/// file (outside <c>config:</c>) are errors, and settings Fleet must read that are stored encrypted are errors.
/// </summary>
public static class StackKeysValidator
{
    /// <summary>Every key of the <c>fleet:</c> namespace.</summary>
    public static readonly string[] KnownKeys =
        ["cloud", "region", "orchestrator", "adminCidrs", "networkCidr", "domain", "acmeEmail", "manager", "pools", "model", "models", "images", "apiKeys", "jwtIssuers", "policy", "osImage", "observability", "control",
         ControlReader.WebhookSecret, ControlReader.DeployKey, ControlReader.PulumiToken, ControlReader.Passphrase, ControlReader.BackendEnv];

    /// <summary>Namespaces read by someone other than Fleet: the providers of the program and Pulumi itself.</summary>
    public static IEnumerable<string> ProviderNamespaces => ProviderVersions.All.Keys.Append("pulumi");

    /// <summary>Reports every problem; returns the config paths whose value is encrypted (their "missing" errors would mislead).</summary>
    public static IReadOnlySet<string> Check(StackConfig raw, DiagnosticBag bag)
    {
        var ns = raw.Project + ":";
        var encrypted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in raw.Values)
        {
            var colon = Math.Max(key.IndexOf(':'), 0);
            var space = key[..colon];
            var name = key[(colon + 1)..];
            if (space == raw.Project) CheckFleetKey(raw, bag, ns, name, value, encrypted);
            else CheckNamespace(raw, bag, key, space, name);
        }
        foreach (var key in raw.KeysOutsideConfig) CheckTopLevel(raw, bag, ns, key);
        return encrypted;
    }

    private static void CheckFleetKey(StackConfig raw, DiagnosticBag bag, string ns, string name, RawConfigValue value, HashSet<string> encrypted)
    {
        if (!KnownKeys.Contains(name, StringComparer.Ordinal))
        {
            var near = NearestMatch.Find(name, KnownKeys);
            bag.Error(ConfigCodes.UnknownKey, ns + name, $"unknown key {ns}{ConfigFieldReader.Printable(name)}{(near is null ? "" : $" (did you mean {ns}{near}?)")}; known: {string.Join(", ", KnownKeys)}", ConfigFix.Remove(ns + name));
            return;
        }
        if (raw.Origin != ConfigOrigin.StackFile || name == "apiKeys" || ControlReader.SecretKeys.Contains(name, StringComparer.Ordinal)) return;
        foreach (var path in value.IsSecret ? [""] : value.SecretPaths)
        {
            var full = ns + name + path;
            encrypted.Add(full);
            bag.Error(ConfigCodes.Unsupported, full, $"{full} is stored encrypted in Pulumi.{raw.Stack}.yaml, so fleet plan and fleet validate cannot check it; it is not a credential (only {ns}apiKeys, the {ns}control… secrets and provider tokens are): store it in plain text", ConfigFix.Set(full, "<value>"));
        }
    }

    private static void CheckNamespace(StackConfig raw, DiagnosticBag bag, string key, string space, string name)
    {
        var known = ProviderNamespaces.ToArray();
        if (known.Contains(space, StringComparer.Ordinal)) return;
        var near = NearestMatch.Find(space, known.Prepend(raw.Project));
        if (near is not null)
            bag.Error(ConfigCodes.UnknownKey, key, $"unknown namespace {ConfigFieldReader.Printable(space)}: in {ConfigFieldReader.Printable(key)} (did you mean {near}:{ConfigFieldReader.Printable(name)}?); nothing reads it, so the setting has no effect", ConfigFix.Remove(key) + $" && pulumi config set {near}:{name} <value>");
        else
            bag.Warning(ConfigCodes.UnknownKey, key, $"namespace {ConfigFieldReader.Printable(space)}: of {ConfigFieldReader.Printable(key)} is read by neither Fleet ({raw.Project}:) nor a provider of this program ({string.Join(", ", known.Select(k => k + ":"))}); the setting has no effect", ConfigFix.Remove(key));
    }

    private static void CheckTopLevel(StackConfig raw, DiagnosticBag bag, string ns, string key)
    {
        var file = $"Pulumi.{raw.Stack}.yaml";
        if (key.Contains(':'))
            bag.Error(ConfigCodes.UnknownKey, key, $"{ConfigFieldReader.Printable(key)} is at the top level of {file}, outside config:, so Pulumi ignores it; indent it under config:", $"move it under config: in {file}, or: pulumi config set {key} <value>");
        else if (NearestMatch.Find(key, StackFileConfigSource.TopLevelKeys) is { } near)
            bag.Error(ConfigCodes.UnknownKey, key, $"{file} has a top-level key '{ConfigFieldReader.Printable(key)}' (did you mean {near}:?); Pulumi ignores it", $"rename {key}: to {near}: in {file}");
        else
            bag.Warning(ConfigCodes.UnknownKey, key, $"{file} has a top-level key '{ConfigFieldReader.Printable(key)}' that Pulumi does not read; a stack file has {string.Join(", ", StackFileConfigSource.TopLevelKeys.Select(k => k + ":"))}", $"remove {key}: from {file}");
    }
}
