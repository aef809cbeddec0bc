namespace Fleet.Agent.Tests.Gguf;

/// <summary>
/// A tiny llama-architecture GGUF with a byte-level BPE vocabulary (<c>tokenizer.ggml.model = gpt2</c>) and a chosen
/// pre-tokenizer (<c>default</c> unless a test needs another), ChatML template and control tokens. Its weights are
/// random: tests use it for tokenization, not for the text it writes.
/// </summary>
public sealed record BpeModel(string PreTokenizer = "default", int ContextLength = 4096, int Seed = 7)
{
    private const int E = 64, F = 128, Layers = 2;

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public string WriteTo(string path)
    {
        var (tokens, types, merges) = Vocabulary();
        var rng = new Random(Seed);
        var v = tokens.Count;
        var w = new GgufWriter()
            .LlamaArchitecture("fleet-bpe-test", (uint)ContextLength, E, Layers, F, 4)
            .String("tokenizer.ggml.model", "gpt2")
            .String("tokenizer.ggml.pre", PreTokenizer)
            .Strings("tokenizer.ggml.tokens", tokens)
            .Int32s("tokenizer.ggml.token_type", types)
            .Strings("tokenizer.ggml.merges", merges)
            .UInt32("tokenizer.ggml.bos_token_id", (uint)tokens.IndexOf("<|endoftext|>"))
            .UInt32("tokenizer.ggml.eos_token_id", (uint)tokens.IndexOf("<|im_end|>"))
            .Bool("tokenizer.ggml.add_bos_token", false)
            .String("tokenizer.chat_template", ScriptedModel.ChatTemplate)
            .Tensor("token_embd.weight", [E, v], Gaussian(rng, E * v, 0.02f))
            .Tensor("output_norm.weight", [E], Ones(E))
            .Tensor("output.weight", [E, v], Gaussian(rng, E * v, 0.02f));
        for (var l = 0; l < Layers; l++)
        {
            var p = $"blk.{l}.";
            w.Tensor(p + "attn_norm.weight", [E], Ones(E))
                .Tensor(p + "attn_q.weight", [E, E], Gaussian(rng, E * E, 0.02f))
                .Tensor(p + "attn_k.weight", [E, E], Gaussian(rng, E * E, 0.02f))
                .Tensor(p + "attn_v.weight", [E, E], Gaussian(rng, E * E, 0.02f))
                .Tensor(p + "attn_output.weight", [E, E], Gaussian(rng, E * E, 0.02f))
                .Tensor(p + "ffn_norm.weight", [E], Ones(E))
                .Tensor(p + "ffn_gate.weight", [E, F], Gaussian(rng, E * F, 0.02f))
                .Tensor(p + "ffn_up.weight", [E, F], Gaussian(rng, E * F, 0.02f))
                .Tensor(p + "ffn_down.weight", [F, E], Gaussian(rng, F * E, 0.02f));
        }

        w.WriteTo(path);
        return path;
    }

    /// <summary>GPT-2's byte-to-character table as the 256 base tokens, a few merges, then the control tokens.</summary>
    private static (List<string> Tokens, List<int> Types, List<string> Merges) Vocabulary()
    {
        var tokens = Enumerable.Range(0, 256).Select(b => ByteChar(b).ToString()).ToList();
        var merges = new List<string> { "! !", "!! !!", "Ġ h", "Ġh e", "Ġhe l", "Ġhel l", "Ġhell o" };
        tokens.AddRange(merges.Select(m => m.Replace(" ", "")));
        var types = Enumerable.Repeat(1, tokens.Count).ToList();
        foreach (var control in new[] { "<|endoftext|>", "<|im_start|>", "<|im_end|>" })
        {
            tokens.Add(control);
            types.Add(3);
        }

        return (tokens, types, merges);
    }

    /// <summary>GPT-2 bytes_to_unicode: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards.</summary>
    private static char ByteChar(int b)
    {
        static bool Printable(int c) => c is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
        if (Printable(b)) return (char)b;
        var shift = Enumerable.Range(0, b).Count(c => !Printable(c));
        return (char)(256 + shift);
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static float[] Gaussian(Random rng, int n, float std)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++)
            a[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())) * std;
        return a;
    }
}
