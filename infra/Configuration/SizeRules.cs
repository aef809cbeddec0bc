using Fleet.Infra.Catalog;
using Fleet.Infra.Diagnostics;

namespace Fleet.Infra.Configuration;

/// <summary>Checks a server size against the dated catalog: malformed is an error, unknown-but-well-formed a warning.</summary>
public static class SizeRules
{
    public static void Check(DiagnosticBag bag, CloudCatalog catalog, string size, string path, bool gpu)
    {
        var known = catalog.FindSize(size);
        if (!catalog.SizeShape.IsMatch(size))
        {
            bag.Error(ConfigCodes.BadFormat, path, $"{path} \"{size}\" is not a {catalog.Cloud} size slug; known sizes: {Known(catalog, gpu)}", ConfigFix.Set(path, Example(catalog, gpu)));
            return;
        }
        if (gpu && !catalog.HasGpuSizes)
        {
            bag.Error(ConfigCodes.NotAllowed, path, $"{catalog.Cloud} has no GPU server types, so a GPU pool cannot run there; use a CPU size or move the pool to digitalocean", ConfigFix.Set(path.Replace(".size", ".gpu", StringComparison.Ordinal), "false"));
            return;
        }
        if (known is null)
        {
            bag.Warning(ConfigCodes.UnknownSize, path, $"{path} \"{size}\" is not in Fleet's {catalog.Cloud} size table of {catalog.AsOf}; the provider decides at preview, and fleet plan cannot price it", ConfigFix.Set(path, Example(catalog, gpu)));
            return;
        }
        if (gpu != known.IsGpu)
        {
            bag.Error(ConfigCodes.Conflict, path, gpu
                ? $"{path} \"{size}\" has no GPU but the pool says gpu: true; choose a GPU size: {Known(catalog, true)}"
                : $"{path} \"{size}\" is a GPU size ({known.Gpu}) but the pool says gpu: false; set gpu: true or choose a CPU size",
                gpu ? ConfigFix.Set(path, Example(catalog, true)) : ConfigFix.Set(path.Replace(".size", ".gpu", StringComparison.Ordinal), "true"));
        }
    }

    private static string Known(CloudCatalog catalog, bool gpu) => string.Join(", ", catalog.Sizes.Where(s => s.IsGpu == gpu).Select(s => s.Slug));

    private static string Example(CloudCatalog catalog, bool gpu) => catalog.Sizes.FirstOrDefault(s => s.IsGpu == gpu)?.Slug ?? catalog.Sizes[0].Slug;
}
