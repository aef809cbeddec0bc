namespace Fleet.Agent.Tests.Gguf;

/// <summary>
/// A tiny llama-architecture GGUF whose greedy output is scripted: each word token's logits point at its successor.
/// "one two three" continues " four five six ... ten one two ..." forever; "hello" gives " world" then end of
/// generation; a chat prompt (ChatML, ends in a newline) answers "Hi there" then end of generation.
/// Embeddings are random unit vectors; attention and FFN outputs are tiny so the residual carries the token through;
/// the output row of token j is the sum of the embeddings of the tokens whose successor is j.
/// </summary>
public sealed record ScriptedModel(int Embedding = 64, int Layers = 2, int Heads = 4, int FeedForward = 128, int ContextLength = 4096, int Seed = 42)
{
    /// <summary>The <c>tokenizer.chat_template</c> written into the file (ChatML unless a test needs another).</summary>
    public string Template { get; init; } = ChatTemplate;

    /// <summary><c>llama.pooling_type</c> to declare (1 mean, 2 cls, 3 last): makes it an embedding model; null: none.</summary>
    public uint? Pooling { get; init; }

    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static readonly string[] Counting = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    /// <summary>The id of a vocabulary piece (SentencePiece spelling, e.g. "\u2581five"); -1 when absent.</summary>
    public static int TokenId(string piece) => BuildVocabulary().Tokens.IndexOf(piece);

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public string WriteTo(string path)
    {
        var (tokens, types, scores, successors) = BuildVocabulary();
        var rng = new Random(Seed);
        int e = Embedding, v = tokens.Count, f = FeedForward;

        var embd = new float[e * v];
        for (var t = 0; t < v; t++) UnitVector(rng, embd.AsSpan(t * e, e));
        var output = new float[e * v];
        foreach (var (from, to) in successors)
            for (var i = 0; i < e; i++) output[to * e + i] += embd[from * e + i];

        var w = new GgufWriter()
            .LlamaArchitecture("fleet-scripted-test", (uint)ContextLength, (uint)e, (uint)Layers, (uint)f, (uint)Heads)
            .String("tokenizer.ggml.model", "llama")
            .Strings("tokenizer.ggml.tokens", tokens)
            .Floats("tokenizer.ggml.scores", scores)
            .Int32s("tokenizer.ggml.token_type", types)
            .UInt32("tokenizer.ggml.unknown_token_id", 0)
            .UInt32("tokenizer.ggml.bos_token_id", 1)
            .UInt32("tokenizer.ggml.eos_token_id", 2)
            .Bool("tokenizer.ggml.add_bos_token", true)
            .String("tokenizer.chat_template", Template)
            .Tensor("token_embd.weight", [e, v], embd)
            .Tensor("output_norm.weight", [e], Ones(e))
            .Tensor("output.weight", [e, v], output);

        for (var l = 0; l < Layers; l++)
        {
            var p = $"blk.{l}.";
            w.Tensor(p + "attn_norm.weight", [e], Ones(e))
                .Tensor(p + "attn_q.weight", [e, e], Gaussian(rng, e * e, 0.02f))
                .Tensor(p + "attn_k.weight", [e, e], Gaussian(rng, e * e, 0.02f))
                .Tensor(p + "attn_v.weight", [e, e], Gaussian(rng, e * e, 0.02f))
                .Tensor(p + "attn_output.weight", [e, e], Gaussian(rng, e * e, 0.002f))
                .Tensor(p + "ffn_norm.weight", [e], Ones(e))
                .Tensor(p + "ffn_gate.weight", [e, f], Gaussian(rng, e * f, 0.02f))
                .Tensor(p + "ffn_up.weight", [e, f], Gaussian(rng, e * f, 0.02f))
                .Tensor(p + "ffn_down.weight", [f, e], Gaussian(rng, f * e, 0.002f));
        }

        if (Pooling is { } pooling) w.UInt32("llama.pooling_type", pooling);
        w.WriteTo(path);
        return path;
    }

    private static (List<string> Tokens, List<int> Types, List<float> Scores, List<(int From, int To)> Successors) BuildVocabulary()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { 2, 3, 3 };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(6);
        }

        tokens.Add("<|im_start|>");
        types.Add(3);
        tokens.Add("<|im_end|>");
        types.Add(3);

        var words = Counting.Select(c => "\u2581" + c).Concat(["\u2581hello", "\u2581world", "Hi", "\u2581there"]);
        foreach (var word in words)
            for (var len = 1; len <= word.Length; len++)
            {
                var piece = word[..len];
                if (tokens.Contains(piece)) continue;
                tokens.Add(piece);
                types.Add(1);
            }

        var scores = tokens.Select((t, i) => types[i] == 1 ? t.Length : 0f).ToList();
        int Id(string t) => tokens.IndexOf(t);
        var successors = new List<(int, int)>();
        for (var i = 0; i < Counting.Length; i++)
            successors.Add((Id("\u2581" + Counting[i]), Id("\u2581" + Counting[(i + 1) % Counting.Length])));
        successors.Add((Id("\u2581hello"), Id("\u2581world")));
        successors.Add((Id("\u2581world"), 2));
        successors.Add((Id("<0x0A>"), Id("Hi")));
        successors.Add((Id("Hi"), Id("\u2581there")));
        successors.Add((Id("\u2581there"), 2));
        return (tokens, types, scores, successors);
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static void UnitVector(Random rng, Span<float> v)
    {
        double norm = 0;
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)NextGaussian(rng);
            norm += v[i] * v[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < v.Length; i++) v[i] *= scale;
    }

    private static float[] Gaussian(Random rng, int n, float std)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (float)NextGaussian(rng) * std;
        return a;
    }

    private static double NextGaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
