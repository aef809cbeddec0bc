using Fleet.Agent.Tests.Gguf;
using LLama;
using LLama.Native;

namespace Fleet.Agent.Bench;

/// <summary>
/// A compute-bound llama GGUF with random weights and a realistic vocabulary, quantized to Q8_0 by llama.cpp itself:
/// the default shape (E768 L12 F2048, 32 000 tokens, separate output matrix) has 134M parameters, like the model in
/// issue 13. The vocabulary holds the counting words (one token each) and filler words; special and byte tokens have
/// a zero output row, so greedy decoding never ends a stream early and never emits broken UTF-8.
/// </summary>
internal sealed record RandomModel(int Embedding = 768, int Layers = 12, int Heads = 12, int FeedForward = 2048, int Vocabulary = 32000, int Seed = 7)
{
    private static readonly string[] Counting = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hello"];

    /// <summary>Weights in the file (embeddings, output, layers; norms excluded).</summary>
    public long Parameters => 2L * Embedding * Vocabulary + (long)Layers * (4L * Embedding * Embedding + 3L * Embedding * FeedForward);

    /// <summary>Writes an F32 GGUF next to <paramref name="path"/>, quantizes it to Q8_0 at <paramref name="path"/>.</summary>
    public string WriteTo(string path)
    {
        var (tokens, types, scores) = BuildVocabulary();
        var rng = new Random(Seed);
        int e = Embedding, v = tokens.Count, f = FeedForward;
        var output = Uniform(rng, e * v, 1f);
        for (var t = 0; t < v; t++)
            if (types[t] != 1) Array.Clear(output, t * e, e); // never generated: ends nothing, breaks no UTF-8

        var w = new GgufWriter()
            .LlamaArchitecture("fleet-bench-random", 4096, (uint)e, (uint)Layers, (uint)f, (uint)Heads)
            .String("tokenizer.ggml.model", "llama")
            .Strings("tokenizer.ggml.tokens", tokens)
            .Floats("tokenizer.ggml.scores", scores)
            .Int32s("tokenizer.ggml.token_type", types)
            .UInt32("tokenizer.ggml.unknown_token_id", 0)
            .UInt32("tokenizer.ggml.bos_token_id", 1)
            .UInt32("tokenizer.ggml.eos_token_id", 2)
            .Bool("tokenizer.ggml.add_bos_token", true)
            .String("tokenizer.chat_template", ScriptedModel.ChatTemplate)
            .Tensor("token_embd.weight", [e, v], Uniform(rng, e * v, 1f))
            .Tensor("output_norm.weight", [e], Ones(e))
            .Tensor("output.weight", [e, v], output);
        for (var l = 0; l < Layers; l++)
        {
            var p = $"blk.{l}.";
            w.Tensor(p + "attn_norm.weight", [e], Ones(e))
                .Tensor(p + "attn_q.weight", [e, e], Uniform(rng, e * e, 0.05f))
                .Tensor(p + "attn_k.weight", [e, e], Uniform(rng, e * e, 0.05f))
                .Tensor(p + "attn_v.weight", [e, e], Uniform(rng, e * e, 0.05f))
                .Tensor(p + "attn_output.weight", [e, e], Uniform(rng, e * e, 0.05f))
                .Tensor(p + "ffn_norm.weight", [e], Ones(e))
                .Tensor(p + "ffn_gate.weight", [e, f], Uniform(rng, e * f, 0.05f))
                .Tensor(p + "ffn_up.weight", [e, f], Uniform(rng, e * f, 0.05f))
                .Tensor(p + "ffn_down.weight", [f, e], Uniform(rng, f * e, 0.05f));
        }

        var f32 = path + ".f32";
        w.WriteTo(f32);
        NativeApi.llama_empty_call(); // loads libllama (LLamaSharp resolves it on the first call through NativeApi's static ctor)
        try
        {
            if (!LLamaQuantizer.Quantize(f32, path, LLamaFtype.MOSTLY_Q8_0, quantizeOutputTensor: true))
                throw new InvalidOperationException($"llama.cpp could not quantize {f32} to Q8_0");
        }
        finally
        {
            File.Delete(f32);
        }

        return path;
    }

    private (List<string> Tokens, List<int> Types, List<float> Scores) BuildVocabulary()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { 2, 3, 3 };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(6);
        }

        var seen = new HashSet<string>(tokens);
        void Add(string piece)
        {
            if (!seen.Add(piece)) return;
            tokens.Add(piece);
            types.Add(1);
        }

        // Every prefix of a word, so the SentencePiece merges reach the whole word: one token per counting word.
        foreach (var word in Counting.Select(c => "\u2581" + c))
            for (var len = 1; len <= word.Length; len++) Add(word[..len]);
        for (var c = 'a'; c <= 'z'; c++) Add(c.ToString());
        for (var i = 0; tokens.Count < Vocabulary; i++) Add("\u2581" + Filler(i));
        var scores = tokens.Select((t, i) => types[i] == 1 ? t.Length : 0f).ToList();
        return (tokens, types, scores);
    }

    /// <summary>"aa", "ab", … "zz", "aaa", …: distinct lowercase filler words.</summary>
    private static string Filler(int i)
    {
        var length = 2;
        for (var block = 26 * 26; i >= block; block *= 26, length++) i -= block;
        var chars = new char[length];
        for (var k = length - 1; k >= 0; k--, i /= 26) chars[k] = (char)('a' + i % 26);
        return new string(chars);
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static float[] Uniform(Random rng, int n, float scale)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (rng.NextSingle() * 2 - 1) * scale;
        return a;
    }
}
