using System.Runtime.CompilerServices;

namespace Fleet.Agent.Tests.Support;

/// <summary>Finds the repository (the folder holding Infra.sln) from the test binaries, or else from this source file.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Agent => Path.Combine(Root, "agent", "Fleet.Agent.csproj");

    /// <summary>
    /// The <c>--artifacts-path</c> these tests were built with (binaries under <c>&lt;root&gt;/bin/Fleet.Agent.Tests/</c>),
    /// so a publish from a test builds there too instead of in the shared agent/obj; null for the default layout.
    /// </summary>
    public static string? ArtifactsRoot { get; } = FindArtifacts();

    private static string Find([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Infra.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Infra.sln not found above {AppContext.BaseDirectory} or {source}");
    }

    private static string? FindArtifacts()
    {
        var marker = $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}Fleet.Agent.Tests{Path.DirectorySeparatorChar}";
        var at = AppContext.BaseDirectory.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : AppContext.BaseDirectory[..at];
    }
}
