using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>POST /tokenize body (llama-server's shape); any other field set is answered 400 naming it.</summary>
public sealed record TokenizeRequest
{
    public JsonElement? Content { get; init; }
    public bool? AddSpecial { get; init; }
    public bool? WithPieces { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}

/// <summary>POST /detokenize body (llama-server's shape).</summary>
public sealed record DetokenizeRequest
{
    public JsonElement? Tokens { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}

public sealed record TokenizeResponse(int[] Tokens);

public sealed record TokenPiece(int Id, string Piece);

public sealed record TokenizePiecesResponse(TokenPiece[] Tokens);

public sealed record DetokenizeResponse(string Content);
