using System.Security.Cryptography;
using Fleet.Agent.Configuration;

namespace Fleet.Agent.Models;

/// <summary>Finds the GGUF to serve: the configured path (hash-checked when a hash is given) or a verified download.</summary>
public sealed class ModelSource(AgentOptions options, ModelDownloader downloader)
{
    public async Task<ModelFile> ResolveAsync(CancellationToken ct)
    {
        if (options.ModelUrl is { } url)
        {
            var path = await downloader.EnsureAsync(url, options.ModelSha256!, options.CacheDirectory, ct);
            return new ModelFile(path, options.ModelId, options.ModelSha256);
        }

        var local = Path.GetFullPath(options.ModelPath!);
        if (options.ModelSha256 is { } expected)
        {
            // Opt-in: a hash given with a path is checked, so heartbeats never report a hash nobody verified.
            await using var file = File.OpenRead(local);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            if (actual != expected)
                throw new ModelDownloadException(
                    $"FLEET_MODEL_SHA256={expected}: '{local}' has sha256 {actual}. Fix: set FLEET_MODEL_SHA256 to the file's hash, or unset it.");
        }

        return new ModelFile(local, options.ModelId, options.ModelSha256);
    }
}
