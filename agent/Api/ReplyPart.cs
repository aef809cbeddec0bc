using Fleet.Agent.Inference;

namespace Fleet.Agent.Api;

/// <summary>
/// One generation request of a response: its choices are numbered from <see cref="FirstChoice"/>; legacy
/// <c>text_offset</c> starts at <see cref="PromptChars"/> (its prompt's length in characters).
/// </summary>
internal sealed record ReplyPart(GenerationRequest Request, int FirstChoice, int PromptChars = 0);
