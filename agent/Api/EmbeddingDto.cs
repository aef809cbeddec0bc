using System.Text.Json;

namespace Fleet.Agent.Api;

/// <summary>One embedding: an array of floats, or with <c>encoding_format: base64</c> their little-endian float32 bytes.</summary>
public sealed record EmbeddingDto(string Object, int Index, JsonElement Embedding);
