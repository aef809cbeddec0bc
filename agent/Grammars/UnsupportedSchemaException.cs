namespace Fleet.Agent.Grammars;

/// <summary>A JSON schema the grammar generator cannot turn into a constraint: names the keyword and where it sits.</summary>
internal sealed class UnsupportedSchemaException(string keyword, string path, string why)
    : Exception($"{keyword} at {path} {why}")
{
    public string Keyword { get; } = keyword;
    public string Path { get; } = path;
}
