namespace Fleet.Agent.Models;

/// <summary>The model could not be fetched or did not verify.</summary>
public sealed class ModelDownloadException(string message, Exception? inner = null) : Exception(message, inner);
