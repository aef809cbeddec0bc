using System.Text;

namespace Fleet.Agent.Inference.Templates;

/// <summary>Collects a rendered prompt as template text and client text, merging neighbours of the same kind.</summary>
internal sealed class PromptPartsBuilder
{
    private readonly List<PromptPart> _parts = [];
    private readonly StringBuilder _pending = new();
    private bool _pendingFromTemplate = true;

    /// <summary>Text the template writes: its control-token markers become control tokens.</summary>
    public PromptPartsBuilder Template(string text) => Add(text, fromTemplate: true);

    /// <summary>Text the client sent: always tokenized as plain text.</summary>
    public PromptPartsBuilder Content(string text) => Add(text, fromTemplate: false);

    public IReadOnlyList<PromptPart> Build()
    {
        Flush();
        return [.. _parts];
    }

    private PromptPartsBuilder Add(string text, bool fromTemplate)
    {
        if (text.Length == 0) return this;
        if (fromTemplate != _pendingFromTemplate) Flush();
        _pendingFromTemplate = fromTemplate;
        _pending.Append(text);
        return this;
    }

    private void Flush()
    {
        if (_pending.Length > 0) _parts.Add(new PromptPart(_pending.ToString(), _pendingFromTemplate));
        _pending.Clear();
    }
}
