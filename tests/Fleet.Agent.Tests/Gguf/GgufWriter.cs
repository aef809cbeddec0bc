using System.Text;

namespace Fleet.Agent.Tests.Gguf;

/// <summary>
/// Writes a GGUF v3 file (little endian): header, key/values, tensor infos, then 32-byte aligned F32 tensor data.
/// Only the value types a llama model needs are supported.
/// </summary>
public sealed class GgufWriter
{
    private const int Alignment = 32;
    private readonly List<(string Key, Action<BinaryWriter> Write)> _kv = [];
    private readonly List<(string Name, long[] Dims, float[] Data)> _tensors = [];

    /// <summary>The metadata of a llama-architecture model (the keys every test and bench model writes, in GGUF order).</summary>
    public GgufWriter LlamaArchitecture(string name, uint contextLength, uint embedding, uint layers, uint feedForward, uint heads) =>
        String("general.architecture", "llama")
            .String("general.name", name)
            .UInt32("general.alignment", 32)
            .UInt32("llama.context_length", contextLength)
            .UInt32("llama.embedding_length", embedding)
            .UInt32("llama.block_count", layers)
            .UInt32("llama.feed_forward_length", feedForward)
            .UInt32("llama.attention.head_count", heads)
            .UInt32("llama.attention.head_count_kv", heads)
            .Float32("llama.attention.layer_norm_rms_epsilon", 1e-5f);

    public GgufWriter String(string key, string value) => Add(key, w => { w.Write(8u); WriteString(w, value); });

    public GgufWriter UInt32(string key, uint value) => Add(key, w => { w.Write(4u); w.Write(value); });

    public GgufWriter Float32(string key, float value) => Add(key, w => { w.Write(6u); w.Write(value); });

    public GgufWriter Bool(string key, bool value) => Add(key, w => { w.Write(7u); w.Write(value ? (byte)1 : (byte)0); });

    public GgufWriter Strings(string key, IReadOnlyList<string> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(8u);
        w.Write((ulong)values.Count);
        foreach (var v in values) WriteString(w, v);
    });

    public GgufWriter Floats(string key, IReadOnlyList<float> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(6u);
        w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    });

    public GgufWriter Int32s(string key, IReadOnlyList<int> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(5u);
        w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    });

    /// <summary>Adds an F32 tensor; dims[0] is the contiguous row length.</summary>
    public GgufWriter Tensor(string name, long[] dims, float[] data)
    {
        if (dims.Aggregate(1L, (a, b) => a * b) != data.Length)
            throw new ArgumentException($"tensor {name}: dims {string.Join('x', dims)} do not match {data.Length} values");
        _tensors.Add((name, dims, data));
        return this;
    }

    public void WriteTo(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_kv.Count);
        foreach (var (key, write) in _kv)
        {
            WriteString(w, key);
            write(w);
        }

        long offset = 0;
        foreach (var (name, dims, data) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims) w.Write((ulong)d);
            w.Write(0u); // GGML_TYPE_F32
            w.Write((ulong)offset);
            offset = Align(offset + data.Length * 4L);
        }

        Pad(w);
        foreach (var (_, _, data) in _tensors)
        {
            foreach (var f in data) w.Write(f);
            Pad(w);
        }
    }

    public void WriteTo(string path)
    {
        using var file = File.Create(path);
        WriteTo(file);
    }

    private GgufWriter Add(string key, Action<BinaryWriter> write)
    {
        _kv.Add((key, write));
        return this;
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static long Align(long n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        var pos = w.BaseStream.Position;
        for (var i = pos; i < Align(pos); i++) w.Write((byte)0);
    }
}
