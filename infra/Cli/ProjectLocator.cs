using Fleet.Infra.Configuration;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Cli;

/// <summary>Finds the Pulumi project (the folder with <c>Pulumi.yaml</c>) and its name.</summary>
public static class ProjectLocator
{
    /// <summary><paramref name="explicitDirectory"/>, else <c>PULUMI_ROOT_DIRECTORY</c>, else the nearest folder upwards with Pulumi.yaml.</summary>
    public static string FindDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrEmpty(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var root = Environment.GetEnvironmentVariable("PULUMI_ROOT_DIRECTORY");
        if (!string.IsNullOrEmpty(root)) return root;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>The project's <c>name:</c>, defaulting to <c>fleet</c>. Throws <see cref="ConfigSourceException"/> when Pulumi.yaml cannot be read.</summary>
    public static string ProjectName(string directory)
    {
        var path = Path.Combine(directory, "Pulumi.yaml");
        if (!File.Exists(path)) return "fleet";
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigSourceException($"{path}: cannot be read ({e.Message})");
        }
        return StackFileYaml.Load(text, path) is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode s && !string.IsNullOrEmpty(s.Value)
            ? s.Value : "fleet";
    }
}
