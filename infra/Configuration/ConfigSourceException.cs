namespace Fleet.Infra.Configuration;

/// <summary>The configuration could not be read at all (missing file, broken YAML/JSON).</summary>
public sealed class ConfigSourceException(string message) : Exception(message);
