namespace Fleet.Agent.Tests.Support;

/// <summary>Finds the repository (the folder holding Infra.sln) from the test binaries.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Agent => Path.Combine(Root, "agent", "Fleet.Agent.csproj");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.sln"))) return dir.FullName;
        throw new InvalidOperationException("Infra.sln not found above " + AppContext.BaseDirectory);
    }
}
