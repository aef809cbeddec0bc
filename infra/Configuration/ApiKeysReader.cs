using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary>
/// <c>fleet:apiKeys</c> (secret): <c>[{name, key, requestsPerMinute, tokensPerMinute, models}]</c>. Only SHA-256 hashes
/// leave this class; a key value never appears in a message, the program or a log.
/// </summary>
public static class ApiKeysReader
{
    public const int MinKeyLength = 32;

    private const string Example = "'[{\"name\":\"ci\",\"key\":\"<32+ random characters>\",\"requestsPerMinute\":60,\"tokensPerMinute\":100000}]'";

    public static ApiKeysConfig Read(ConfigFieldReader f, RawConfigValue? raw, string ns, ConfigOrigin origin)
    {
        var path = ns + "apiKeys";
        if (raw is null) return new ApiKeysConfig(Set: false, Available: false, []);
        if (raw.IsEncrypted) return new ApiKeysConfig(Set: true, Available: false, []);
        // Set with `pulumi config set --secret --path 'fleet:apiKeys[0].key'`: the keys are encrypted one by one, the rest is plain.
        var plainFile = origin == ConfigOrigin.StackFile && !raw.IsSecret;
        if (plainFile && raw.SecretPaths.Count == 0)
        {
            f.Bag.Error(ConfigCodes.NotSecret, path, $"{path} is stored in plain text; API keys must be a secret (rotate these keys: they are in your git history)", ConfigFix.Set(path, Example, secret: true));
            return new ApiKeysConfig(Set: true, Available: false, []);
        }

        var list = raw.Value as JsonArray;
        if (list is null)
        {
            f.Bag.Error(ConfigCodes.WrongType, path, $"{path} must be a JSON list of keys", ConfigFix.Set(path, Example, secret: true));
            return new ApiKeysConfig(Set: true, Available: false, []);
        }
        var keys = new List<ApiKeyConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var p = $"{path}[{i}]";
            if (list[i] is not JsonObject obj)
            {
                f.Bag.Error(ConfigCodes.WrongType, p, $"{p} must be an object {{name, key, ...}}", ConfigFix.Set(path, Example, secret: true));
                continue;
            }
            f.RejectUnknownKeys(obj, p, "name", "key", "requestsPerMinute", "tokensPerMinute", "models");
            var name = raw.SecretPaths.Contains($"[{i}].name") ? $"<encrypted {i}>" : f.String(obj["name"], p + ".name", "ci", required: true);
            var key = obj["key"] is JsonValue kv && kv.GetValueKind() == JsonValueKind.String ? kv.GetValue<string>() : null;
            if (raw.SecretPaths.Contains($"[{i}].key")) { /* encrypted on its own: hashed by the Pulumi run */ }
            else if (plainFile)
                f.Bag.Error(ConfigCodes.NotSecret, p + ".key", $"{p}.key is stored in plain text while other parts of {path} are encrypted; rotate this key (it is in your git history), then store it as a secret", ConfigFix.Set(p + ".key", "<32+ random characters>", secret: true));
            else if (key is null || key.Length < MinKeyLength || key.Any(char.IsWhiteSpace))
                f.Bag.Error(ConfigCodes.BadFormat, p + ".key", $"{p}.key must be a string of at least {MinKeyLength} non-space characters (the value is not shown)", "openssl rand -hex 24, then " + ConfigFix.Set(path, Example, secret: true));
            var rpm = f.Int(obj["requestsPerMinute"], p + ".requestsPerMinute", 1, 1_000_000, 60) ?? 60;
            var tpm = f.Int(obj["tokensPerMinute"], p + ".tokensPerMinute", 1, 100_000_000, 100_000) ?? 100_000;
            var models = f.StringList(obj["models"], p + ".models", "'[\"qwen2.5-0.5b\"]'", required: false) ?? [];
            if (name is not null && !names.Add(name))
                f.Bag.Error(ConfigCodes.Duplicate, p + ".name", $"API key name \"{ConfigFieldReader.Printable(name)}\" is used twice", ConfigFix.Set(path, Example, secret: true));
            else if (name is not null && key is { Length: >= MinKeyLength })
                keys.Add(new ApiKeyConfig(name, Sha256Hex(key), rpm, tpm, models));
        }
        return new ApiKeysConfig(Set: true, Available: !plainFile, plainFile ? [] : keys);
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
