using Fleet.Agent.Grammars;

namespace Fleet.Agent.Api;

/// <summary>Turns <c>response_format</c> into the GBNF grammar that constrains decoding (null: free text).</summary>
internal static class ResponseFormats
{
    private const string SchemaParam = "response_format.json_schema.schema";

    public static string? Grammar(ResponseFormatDto? format)
    {
        if (format is null) return null;
        RequestReader.Unsupported(format.Unsupported, "response_format.");
        switch (format.Type)
        {
            case "text":
                return null;
            case "json_object":
                return JsonGrammar.Object;
            case "json_schema":
                var spec = format.JsonSchema
                    ?? throw new InvalidRequestException("response_format.json_schema is required with type json_schema", "response_format.json_schema");
                RequestReader.Unsupported(spec.Unsupported, "response_format.json_schema.");
                if (string.IsNullOrEmpty(spec.Name))
                    throw new InvalidRequestException("response_format.json_schema.name is required (a name for the schema)", "response_format.json_schema.name");
                if (spec.Schema is not { } schema)
                    return JsonGrammar.Object; // OpenAI: no schema means any JSON object
                try
                {
                    return JsonSchemaGrammar.Build(schema);
                }
                catch (UnsupportedSchemaException e)
                {
                    throw new InvalidRequestException(
                        $"{SchemaParam}: {e.Message}; this agent constrains output to type, properties, required, " +
                        "additionalProperties: false, items, enum and const (plus annotations such as description): remove or rewrite it",
                        SchemaParam, RequestReader.UnsupportedCode);
                }
            default:
                throw new InvalidRequestException(
                    $"response_format.type must be text, json_object or json_schema, got {(format.Type is null ? "nothing" : $"\"{format.Type}\"")}",
                    "response_format.type");
        }
    }
}
