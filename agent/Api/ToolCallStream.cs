using System.Text;
using Fleet.Agent.Inference;
using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Api;

/// <summary>
/// One streamed choice of a request with tools: text is held while it may still become the call opener; an answer
/// that is text streams as content, an answer that is calls streams each call once it is complete (Hermes: at its
/// closing tag; Llama 3.1: at the end), as a <c>delta.tool_calls</c> entry with its index.
/// </summary>
internal sealed class ToolCallStream(ToolCallFormat format)
{
    private readonly StringBuilder _text = new();
    private readonly List<TokenLogprob> _logprobs = [];
    private bool? _calls;
    private int _sent;

    /// <summary>Calls sent so far.</summary>
    public int CallsSent => _sent;

    /// <summary>Takes a piece; returns content to send now, or calls completed by it (each with its index).</summary>
    public Output Push(string text, IReadOnlyList<TokenLogprob>? logprobs)
    {
        if (_calls == false) return new Output(text, [], logprobs);
        _text.Append(text);
        if (logprobs is not null) _logprobs.AddRange(logprobs);
        _calls ??= ToolCallParser.StartsCall(format, _text.ToString());
        if (_calls == false) return TakeAsContent();
        if (_calls is null || format != ToolCallFormat.Hermes) return Output.Nothing;

        var whole = _text.ToString();
        var complete = ToolCallParser.CompleteHermesCalls(whole);
        if (complete <= _sent) return Output.Nothing;
        var end = Nth(whole, complete);
        var calls = ToolCallParser.Parse(format, whole[..end]);
        return calls is null ? Output.Nothing : Emit(calls);
    }

    /// <summary>At the end of the choice: the calls not sent yet, or what is left as content (an answer cut short).</summary>
    public Output Finish()
    {
        if (_calls == true && ToolCallParser.Parse(format, _text.ToString()) is { } calls) return Emit(calls);
        if (_calls == true && _sent > 0)
        {
            // Some calls went out already; the rest was cut short and goes as text.
            var whole = _text.ToString();
            var rest = whole[Nth(whole, _sent)..];
            _text.Clear();
            return new Output(rest, [], Logprobs());
        }

        return _text.Length > 0 || _logprobs.Count > 0 ? TakeAsContent() : Output.Nothing;
    }

    private Output Emit(List<(string Name, string Arguments)> calls)
    {
        var fresh = calls.Skip(_sent).Select((c, i) => (_sent + i, c.Name, c.Arguments)).ToList();
        _sent = calls.Count;
        return new Output(null, fresh, Logprobs());
    }

    private Output TakeAsContent()
    {
        var text = _text.ToString();
        _text.Clear();
        return new Output(text, [], Logprobs());
    }

    private List<TokenLogprob>? Logprobs()
    {
        if (_logprobs.Count == 0) return null;
        var taken = _logprobs.ToList();
        _logprobs.Clear();
        return taken;
    }

    /// <summary>Where the <paramref name="n"/>th closing tag ends.</summary>
    private static int Nth(string text, int n)
    {
        var at = -1;
        for (var i = 0; i < n; i++) at = text.IndexOf("</tool_call>", at + 1, StringComparison.Ordinal);
        return at + "</tool_call>".Length;
    }

    /// <summary>What to send: content text (null: none), calls (index, name, arguments) and the logprobs they came from.</summary>
    public sealed record Output(string? Content, List<(int Index, string Name, string Arguments)> Calls, IReadOnlyList<TokenLogprob>? Logprobs)
    {
        public static readonly Output Nothing = new(null, [], null);
    }
}
