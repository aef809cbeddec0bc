namespace Fleet.Stacks.Console;

/// <summary>
/// The console page, its script and its stylesheet, embedded in the assembly (<c>Console/Assets</c>, no front-end build),
/// served with headers that let the page load nothing but itself: no inline script, no framing, no referrer.
/// </summary>
public static class ConsoleAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Files = new(StringComparer.Ordinal)
    {
        ["console.html"] = (Load("console.html"), "text/html; charset=utf-8"),
        ["console.js"] = (Load("console.js"), "text/javascript; charset=utf-8"),
        ["console.css"] = (Load("console.css"), "text/css; charset=utf-8"),
    };

    public static async Task WriteAsync(HttpContext context, string name)
    {
        var (bytes, type) = Files[name];
        SecureHeaders(context.Response);
        context.Response.ContentType = type;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>Set on every console answer, JSON included.</summary>
    public static void SecureHeaders(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream($"Fleet.Stacks.Console.Assets.{name}")
            ?? throw new InvalidOperationException($"the console asset {name} is not embedded; check the EmbeddedResource item in Fleet.Stacks.csproj");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
