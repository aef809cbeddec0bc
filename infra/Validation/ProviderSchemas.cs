using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;

namespace Fleet.Infra.Validation;

/// <summary>The providers' published package schemas (embedded, gzipped), parsed once per package on demand.</summary>
public static class ProviderSchemas
{
    private static readonly ConcurrentDictionary<string, JsonDocument?> Cache = new(StringComparer.Ordinal);

    /// <summary>The schema of <paramref name="package"/>, or null when Fleet ships none for it.</summary>
    public static JsonElement? Get(string package)
    {
        var doc = Cache.GetOrAdd(package, static p =>
        {
            using var stream = typeof(ProviderSchemas).Assembly.GetManifestResourceStream($"schemas/{p}.json.gz");
            if (stream is null) return null;
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            return JsonDocument.Parse(gzip);
        });
        return doc?.RootElement;
    }
}
