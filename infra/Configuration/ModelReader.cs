using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:model</c>: the GGUF every agent downloads (once, verified by sha256) and how it runs.</summary>
public static partial class ModelReader
{
    private const string Example = "'{\"url\":\"https://huggingface.co/.../model.gguf\",\"sha256\":\"<64 hex>\"}'";

    public static ModelConfig? Read(ConfigFieldReader f, JsonNode? node, string ns)
    {
        var path = ns + "model";
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

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
