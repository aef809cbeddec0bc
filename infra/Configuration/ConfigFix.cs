namespace Fleet.Infra.Configuration;

/// <summary>Builds the <c>pulumi config set</c> command that mends a key.</summary>
public static class ConfigFix
{
    /// <summary><c>pulumi config set [--path] [--secret] KEY VALUE</c>, with <c>--path</c> for nested keys.</summary>
    public static string Set(string path, string example, bool secret = false)
    {
        var nested = path.Contains('.') || path.Contains('[');
        var key = nested ? $"'{path}'" : path;
        return $"pulumi config set{(nested ? " --path" : "")}{(secret ? " --secret" : "")} {key} {example}";
    }

    /// <summary><c>pulumi config rm</c>.</summary>
    public static string Remove(string path) => $"pulumi config rm{(path.Contains('.') || path.Contains('[') ? $" --path '{path}'" : $" {path}")}";
}
