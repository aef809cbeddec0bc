using Fleet.Agent.Tests.Gguf;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// A random-weight byte-level BPE model (like <see cref="BpeModel"/>, ChatML template) whose vocabulary also holds
/// Qwen's <c>&lt;tool_call&gt;</c> and <c>&lt;/tool_call&gt;</c> as single user-defined tokens, so a test can bias the
/// call opener with <c>logit_bias</c> and watch <c>tool_choice: auto</c> turn into a call.
/// </summary>
public static class ToolTokenModel
{
    private const int E = 64, F = 128, Layers = 2;

    /// <summary>The id of the <c>&lt;tool_call&gt;</c> token.</summary>
    public static int OpenerId => Vocabulary().Tokens.IndexOf("<tool_call>");

    public static string WriteTo(string path)
    {
        var (tokens, types) = Vocabulary();
        var rng = new Random(11);
        var v = tokens.Count;
        var w = new GgufWriter()
            .String("general.architecture", "llama")
            .String("general.name", "fleet-tool-token-test")
            .UInt32("general.alignment", 32)
            .UInt32("llama.context_length", 4096)
            .UInt32("llama.embedding_length", E)
            .UInt32("llama.block_count", Layers)
            .UInt32("llama.feed_forward_length", F)
            .UInt32("llama.attention.head_count", 4)
            .UInt32("llama.attention.head_count_kv", 4)
            .Float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .String("tokenizer.ggml.model", "gpt2")
            .String("tokenizer.ggml.pre", "default")
            .Strings("tokenizer.ggml.tokens", tokens)
            .Int32s("tokenizer.ggml.token_type", types)
            .Strings("tokenizer.ggml.merges", [])
            .UInt32("tokenizer.ggml.bos_token_id", (uint)tokens.IndexOf("<|endoftext|>"))
            .UInt32("tokenizer.ggml.eos_token_id", (uint)tokens.IndexOf("<|im_end|>"))
            .Bool("tokenizer.ggml.add_bos_token", false)
            .String("tokenizer.chat_template", ScriptedModel.ChatTemplate)
            .Tensor("token_embd.weight", [E, v], Gaussian(rng, E * v))
            .Tensor("output_norm.weight", [E], Ones(E))
            .Tensor("output.weight", [E, v], Gaussian(rng, E * v));
        for (var l = 0; l < Layers; l++)
        {
            var p = $"blk.{l}.";
            w.Tensor(p + "attn_norm.weight", [E], Ones(E))
                .Tensor(p + "attn_q.weight", [E, E], Gaussian(rng, E * E))
                .Tensor(p + "attn_k.weight", [E, E], Gaussian(rng, E * E))
                .Tensor(p + "attn_v.weight", [E, E], Gaussian(rng, E * E))
                .Tensor(p + "attn_output.weight", [E, E], Gaussian(rng, E * E))
                .Tensor(p + "ffn_norm.weight", [E], Ones(E))
                .Tensor(p + "ffn_gate.weight", [E, F], Gaussian(rng, E * F))
                .Tensor(p + "ffn_up.weight", [E, F], Gaussian(rng, E * F))
                .Tensor(p + "ffn_down.weight", [F, E], Gaussian(rng, F * E));
        }

        w.WriteTo(path);
        return path;
    }

    /// <summary>GPT-2's 256 byte characters, the two user-defined tool tokens (type 4), then the control tokens (type 3).</summary>
    private static (List<string> Tokens, List<int> Types) Vocabulary()
    {
        var tokens = Enumerable.Range(0, 256).Select(b => ByteChar(b).ToString()).ToList();
        var types = Enumerable.Repeat(1, tokens.Count).ToList();
        foreach (var (token, type) in new[] { ("<tool_call>", 4), ("</tool_call>", 4), ("<|endoftext|>", 3), ("<|im_start|>", 3), ("<|im_end|>", 3) })
        {
            tokens.Add(token);
            types.Add(type);
        }

        return (tokens, types);
    }

    private static char ByteChar(int b)
    {
        static bool Printable(int c) => c is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
        if (Printable(b)) return (char)b;
        var shift = Enumerable.Range(0, b).Count(c => !Printable(c));
        return (char)(256 + shift);
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static float[] Gaussian(Random rng, int n)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++)
            a[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())) * 0.02f;
        return a;
    }
}
