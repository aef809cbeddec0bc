namespace Fleet.Agent.Inference;

/// <summary>Why a generation ended, with the OpenAI spelling where one exists.</summary>
public enum FinishReason
{
    /// <summary>End-of-generation token or a stop sequence ("stop").</summary>
    Stop,

    /// <summary>max_tokens or the slot's context reached ("length").</summary>
    Length,

    /// <summary>The client went away; the slot was freed.</summary>
    Cancelled,

    /// <summary>llama.cpp failed to decode; the text so far is incomplete.</summary>
    Error,
}
