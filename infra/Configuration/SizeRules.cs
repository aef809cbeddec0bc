using Fleet.Infra.Catalog;
using Fleet.Infra.Diagnostics;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Checks a server size against the dated catalog: malformed is an error, unknown-but-well-formed a warning. A typo is
/// answered with the nearest known size (edit distance), never with an unrelated one.
/// </summary>
public static class SizeRules
{
    public static void Check(DiagnosticBag bag, CloudCatalog catalog, string size, string path, bool gpu)
    {
        var shown = ConfigFieldReader.Printable(size);
        if (gpu && !catalog.HasGpuSizes)
        {
            bag.Error(ConfigCodes.NotAllowed, path, $"{path} \"{shown}\": {catalog.Cloud} has no GPU server types, so a GPU pool cannot run there; use a CPU size ({Known(catalog, false)}) or move the pool to digitalocean", ConfigFix.Set(path.Replace(".size", ".gpu", StringComparison.Ordinal), "false"));
            return;
        }
        var known = catalog.FindSize(size);
        if (!catalog.SizeShape.IsMatch(size))
        {
            bag.Error(ConfigCodes.BadFormat, path, $"{path} \"{shown}\" is not a {catalog.Cloud} size slug{DidYouMean(catalog, size, gpu)}; known sizes: {Known(catalog, gpu)}", ConfigFix.Set(path, Suggest(catalog, size, gpu)));
            return;
        }
        if (known is null)
        {
            bag.Warning(ConfigCodes.UnknownSize, path, $"{path} \"{shown}\" is not in Fleet's {catalog.Cloud} size table of {catalog.AsOf}{DidYouMean(catalog, size, gpu)}; the provider decides at preview, and fleet plan cannot price it", ConfigFix.Set(path, Suggest(catalog, size, gpu)));
            return;
        }
        if (gpu != known.IsGpu)
        {
            bag.Error(ConfigCodes.Conflict, path, gpu
                ? $"{path} \"{size}\" has no GPU but the pool says gpu: true; choose a GPU size: {Known(catalog, true)}"
                : $"{path} \"{size}\" is a GPU size ({known.Gpu}) but the pool says gpu: false; set gpu: true or choose a CPU size",
                gpu ? ConfigFix.Set(path, Suggest(catalog, size, true)) : ConfigFix.Set(path.Replace(".size", ".gpu", StringComparison.Ordinal), "true"));
        }
    }

    /// <summary>The sizes of the kind the pool asks for (every size when the cloud has none of that kind).</summary>
    private static IEnumerable<string> Sizes(CloudCatalog catalog, bool gpu)
    {
        var kind = catalog.Sizes.Where(s => s.IsGpu == gpu).Select(s => s.Slug).ToArray();
        return kind.Length > 0 ? kind : catalog.Sizes.Select(s => s.Slug);
    }

    private static string Known(CloudCatalog catalog, bool gpu) => string.Join(", ", Sizes(catalog, gpu));

    /// <summary>The nearest size of the right kind by edit distance, else the first of that kind.</summary>
    private static string Suggest(CloudCatalog catalog, string size, bool gpu) => NearestMatch.Find(size, Sizes(catalog, gpu)) ?? Sizes(catalog, gpu).First();

    private static string DidYouMean(CloudCatalog catalog, string size, bool gpu) =>
        NearestMatch.Find(size, Sizes(catalog, gpu)) is { } near ? $" (did you mean {near}?)" : "";
}
