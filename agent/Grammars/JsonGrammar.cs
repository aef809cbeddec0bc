namespace Fleet.Agent.Grammars;

/// <summary>
/// GBNF for <c>response_format: {"type": "json_object"}</c>: any JSON object. Whitespace between tokens is at most one
/// space, and numbers have bounded digits, so only strings, arrays and nesting can make an answer long.
/// </summary>
internal static class JsonGrammar
{
    /// <summary>Rules shared by both formats: values, strings, numbers, optional single space.</summary>
    public const string Common = """
        space ::= " "?
        value ::= object | array | string | number | ("true" | "false" | "null") space
        object ::= "{" space ( string ":" space value ("," space string ":" space value)* )? "}" space
        array ::= "[" space ( value ("," space value)* )? "]" space
        string ::= "\"" char* "\"" space
        char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})
        integer ::= "-"? ("0" | [1-9] [0-9]{0,15}) space
        number ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? space
        boolean ::= ("true" | "false") space
        null ::= "null" space

        """;

    /// <summary>Any JSON object (optionally preceded by nothing else).</summary>
    public const string Object = "root ::= object\n" + Common;
}
