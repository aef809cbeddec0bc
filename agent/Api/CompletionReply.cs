using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Api;

/// <summary>
/// What every chunk of one response repeats (id, creation time, model, which API shape) and its layout: the
/// requests it answers (one per prompt, each with its choices), whether log-probabilities are sent, and the tool-call
/// format the answer is read in (null: plain text).
/// </summary>
internal sealed record CompletionReply(string Id, long Created, string Model, bool Chat, IReadOnlyList<ReplyPart> Parts, bool Logprobs = false,
    ToolCallFormat? Tools = null)
{
    /// <summary>Choices over all parts.</summary>
    public int Choices => Parts.Sum(p => p.Request.Choices);
}
