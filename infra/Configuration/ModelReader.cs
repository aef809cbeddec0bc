using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:model</c>: the GGUF every agent downloads (once, verified by sha256) and how it runs.</summary>
public static partial class ModelReader
{
    private const string Example = "'{\"url\":\"https://huggingface.co/.../model.gguf\",\"sha256\":\"<64 hex>\"}'";

    public static ModelConfig? Read(ConfigFieldReader f, JsonNode? node, string ns) => ReadOne(f, node, ns + "model");

    private static ModelConfig? ReadOne(ConfigFieldReader f, JsonNode? node, string path)
    {
        var obj = f.Object(node, path, Example, required: true);
        if (obj is null) return null;
        var errors = f.Bag.ErrorCount;
        f.RejectUnknownKeys(obj, path, "url", "sha256", "contextSize", "gpuLayers", "parallel");
        var url = f.String(obj["url"], path + ".url", "https://huggingface.co/<org>/<repo>/resolve/main/<file>.gguf", required: true);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !uri.AbsolutePath.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)))
            f.Bag.Error(ConfigCodes.BadFormat, path + ".url", $"{path}.url \"{ConfigFieldReader.Printable(url)}\" must be an https:// URL of a .gguf file", ConfigFix.Set(path + ".url", "https://huggingface.co/<org>/<repo>/resolve/main/<file>.gguf"));
        var sha = f.String(obj["sha256"], path + ".sha256", "<64 hex digits>", required: true)?.ToLowerInvariant();
        if (sha is not null && !Sha256().IsMatch(sha))
            f.Bag.Error(ConfigCodes.BadFormat, path + ".sha256", $"{path}.sha256 \"{ConfigFieldReader.Printable(sha)}\" must be 64 hex digits (sha256sum of the file)", ConfigFix.Set(path + ".sha256", "<64 hex digits>"));
        else if (sha is not null && sha.Distinct().Count() == 1)
            f.Bag.Warning(ConfigCodes.Placeholder, path + ".sha256", $"{path}.sha256 is a placeholder ({sha[..8]}...); agents will refuse the download until it is the file's real sha256", ConfigFix.Set(path + ".sha256", $"\"$(curl -sL '{url}' | sha256sum | cut -d' ' -f1)\""));
        var context = f.Int(obj["contextSize"], path + ".contextSize", 256, 1_048_576, 4096) ?? 4096;
        var layers = f.Int(obj["gpuLayers"], path + ".gpuLayers", 0, 999, 999) ?? 0;
        var parallel = f.Int(obj["parallel"], path + ".parallel", 1, 256, 4) ?? 4;
        if (f.Bag.ErrorCount > errors || url is null || sha is null) return null;
        return new ModelConfig(url, sha, context, layers, parallel);
    }

    private const string ModelsExample = "'{\"qwen2.5-0.5b\":{\"url\":\"https://huggingface.co/.../model.gguf\",\"sha256\":\"<64 hex>\"}}'";

    /// <summary>
    /// <c>fleet:models</c>: model id (what clients send as <c>model</c>) → the same settings as <c>fleet:model</c>. Ids are
    /// 1–64 characters of letters, digits and <c>. _ : -</c> (they travel in headers, metrics labels and env values).
    /// </summary>
    public static IReadOnlyDictionary<string, ModelConfig>? ReadMany(ConfigFieldReader f, JsonNode? node, string ns)
    {
        var path = ns + "models";
        var obj = f.Object(node, path, ModelsExample, required: true);
        if (obj is null) return null;
        if (obj.Count == 0)
        {
            f.Bag.Error(ConfigCodes.Missing, path, $"{path} is empty; name at least one model", ConfigFix.Set(path, ModelsExample));
            return null;
        }
        var models = new SortedDictionary<string, ModelConfig>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (id, value) in obj)
        {
            if (!ModelId().IsMatch(id))
            {
                f.Bag.Error(ConfigCodes.BadFormat, path, $"{path} key \"{ConfigFieldReader.Printable(id)}\" is not a model id (1–64 letters, digits, . _ : -, starting with a letter or digit)", ConfigFix.Set(path, ModelsExample));
                ok = false;
                continue;
            }
            var model = ReadOne(f, value, id.Contains('.', StringComparison.Ordinal) || id.Contains(':', StringComparison.Ordinal) ? $"{path}[\"{id}\"]" : $"{path}.{id}");
            if (model is null) ok = false;
            else models[id] = model with { Name = id };
        }
        return ok ? models : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
    private static partial Regex ModelId();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
