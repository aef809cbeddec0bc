namespace Fleet.Agent.Configuration;

/// <summary>The console log format (<c>FLEET_LOG_FORMAT</c>). Both write UTC timestamps and one entry per line.</summary>
public enum LogFormat
{
    /// <summary>The built-in JSON console formatter: one JSON object per line (the default).</summary>
    Json,

    /// <summary>The built-in simple console formatter on a single line, for people reading a terminal.</summary>
    Text,
}
