namespace Fleet.Agent.Inference;

/// <summary>The GGUF could not be loaded; the message carries llama.cpp's own reason.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
