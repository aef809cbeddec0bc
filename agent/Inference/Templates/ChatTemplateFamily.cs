namespace Fleet.Agent.Inference.Templates;

/// <summary>The chat-template families the agent renders itself (HF Jinja templates cannot be run here).</summary>
internal enum ChatTemplateFamily
{
    /// <summary><c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> (ChatML: Qwen, Hermes, many fine-tunes).</summary>
    ChatMl,

    /// <summary><c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c> (Llama 3.x).</summary>
    Llama3,

    /// <summary><c>[INST] user [/INST]assistant&lt;/s&gt;</c> (Mistral instruct).</summary>
    Mistral,

    /// <summary><c>&lt;start_of_turn&gt;user\ncontent&lt;end_of_turn&gt;\n</c>, assistant as <c>model</c> (Gemma).</summary>
    Gemma,

    /// <summary><c>&lt;|user|&gt;\ncontent&lt;|end|&gt;\n</c> (Phi-3, Phi-3.5).</summary>
    Phi3,
}
