namespace Fleet.Agent.Api;

/// <summary>The <c>list</c> answer of /v1/embeddings: one entry per input, in input order.</summary>
public sealed record EmbeddingsResponse(string Object, List<EmbeddingDto> Data, string Model, EmbeddingsUsageDto Usage);
