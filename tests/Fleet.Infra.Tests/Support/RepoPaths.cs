using System.Runtime.CompilerServices;

namespace Fleet.Infra.Tests.Support;

/// <summary>Paths inside the repository: above the test assembly, or (built elsewhere, e.g. <c>--artifacts-path</c>) above this source file.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Infra => Path.Combine(Root, "infra");

    public static string Snapshots => Path.Combine(Root, "tests", "Fleet.Infra.Tests", "Snapshots");

    private static string FindRoot() =>
        Above(AppContext.BaseDirectory) ?? Above(Path.GetDirectoryName(SourceFile())!)
        ?? throw new InvalidOperationException("Infra.sln not found above the test assembly or its sources");

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.sln"))) return dir.FullName;
        return null;
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
