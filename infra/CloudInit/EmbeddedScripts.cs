using System.Collections.Concurrent;

namespace Fleet.Infra.CloudInit;

/// <summary>The bootstrap scripts in <c>infra/Scripts/</c>, shipped inside the binary (shellcheck runs over the same files).</summary>
public static class EmbeddedScripts
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The text of <c>Scripts/<paramref name="name"/></c>.</summary>
    public static string Read(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(EmbeddedScripts).Assembly.GetManifestResourceStream("scripts/" + n)
            ?? throw new InvalidOperationException($"no embedded script '{n}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
