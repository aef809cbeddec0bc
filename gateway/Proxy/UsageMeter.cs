using System.Text.Json;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// Counts the tokens of a response as it streams past, without holding it back. A JSON response is charged its
/// <c>usage.total_tokens</c>; an SSE stream its last <c>usage</c> chunk (the gateway asks every node for one). A node that
/// reports no usage is charged an estimate: <paramref name="promptEstimate"/> plus one token per chunk carrying text.
/// </summary>
public sealed class UsageMeter(long promptEstimate = 0)
{
    /// <summary>The most tokens one response may be charged, whatever a node reports.</summary>
    public const long MaxTokensPerResponse = 100_000_000;

    private const int MaxBuffered = 1 << 20;

    // A JSON response over MaxBuffered (many embeddings) keeps only its last bytes, where OpenAI's shape puts usage.
    private const int Tail = 4096;
    private byte[] _buffer = new byte[256];
    private int _length;
    private bool _sse;
    private bool _overflow;
    private long? _usage;
    private long _chunks;

    /// <summary>Tokens charged so far (final after <see cref="Complete"/>).</summary>
    public long Tokens => Math.Clamp(_usage ?? _chunks + promptEstimate, 0, MaxTokensPerResponse);

    /// <summary>Whether the response carried a <c>usage</c> object (otherwise <see cref="Tokens"/> is an estimate).</summary>
    public bool Reported => _usage is not null;

    /// <summary>A prompt's tokens estimated from its request body: one per 4 bytes, the usual ratio for English text.</summary>
    public static long EstimatePromptTokens(int bodyBytes) => (bodyBytes + 3) / 4;

    /// <summary>Sets the mode from the response's content type.</summary>
    public void Begin(string? contentType) =>
        _sse = contentType is not null && contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>Feeds bytes of the response body.</summary>
    public void Observe(ReadOnlySpan<byte> data)
    {
        if (!_sse) { Append(data); return; }
        while (!data.IsEmpty)
        {
            var nl = data.IndexOf((byte)'\n');
            if (nl < 0) { Append(data); return; }
            if (_length == 0) Line(data[..nl]);
            else
            {
                Append(data[..nl]);
                if (!_overflow) Line(_buffer.AsSpan(0, _length));
                _length = 0;
                _overflow = false;
            }
            data = data[(nl + 1)..];
        }
    }

    /// <summary>Ends the body: a JSON response is parsed now (one over 1 MiB: its <c>usage</c> object, from its last bytes).</summary>
    public void Complete()
    {
        if (!_sse && !_overflow && _length > 0) Chunk(_buffer.AsSpan(0, _length), countText: false);
        else if (!_sse && _overflow)
        {
            var tail = _buffer.AsSpan(0, _length);
            var at = tail.LastIndexOf("\"usage\""u8);
            if (at >= 0)
            {
                var json = new byte[tail.Length - at + 1];
                json[0] = (byte)'{';
                tail[at..].CopyTo(json.AsSpan(1));
                Chunk(json, countText: false);
            }
        }
        _length = 0;
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("data:"u8)) return;
        var payload = line[5..].Trim((byte)' ').TrimEnd((byte)'\r');
        if (payload.IsEmpty || payload[0] != (byte)'{') return;
        Chunk(payload, countText: true);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (!_sse && (_overflow || _length + data.Length > MaxBuffered))
        {
            KeepTail(data);
            return;
        }
        if (_overflow) return;
        if (_length + data.Length > MaxBuffered) { _overflow = true; return; }
        if (_length + data.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + data.Length));
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void KeepTail(ReadOnlySpan<byte> data)
    {
        _overflow = true;
        if (_buffer.Length < Tail) Array.Resize(ref _buffer, Tail);
        if (data.Length >= Tail)
        {
            data[^Tail..].CopyTo(_buffer);
            _length = Tail;
            return;
        }
        var keep = Math.Min(_length, Tail - data.Length);
        _buffer.AsSpan(_length - keep, keep).CopyTo(_buffer); // overlapping copy is safe with Span.CopyTo
        data.CopyTo(_buffer.AsSpan(keep));
        _length = keep + data.Length;
    }

    private void Chunk(ReadOnlySpan<byte> json, bool countText)
    {
        var reader = new Utf8JsonReader(json);
        var usageDepth = -1;
        long? total = null, prompt = null, completion = null;
        var text = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == usageDepth) usageDepth = -1;
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var depth = reader.CurrentDepth;
                if (depth == 1 && reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject) usageDepth = reader.CurrentDepth;
                }
                else if (usageDepth >= 0 && depth == usageDepth + 1)
                {
                    var name = reader.ValueTextEquals("total_tokens"u8) ? 't' : reader.ValueTextEquals("prompt_tokens"u8) ? 'p'
                        : reader.ValueTextEquals("completion_tokens"u8) ? 'c' : '-';
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var n)) continue;
                    if (name == 't') total = n; else if (name == 'p') prompt = n; else if (name == 'c') completion = n;
                }
                else if (countText && depth >= 3 && (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8)))
                {
                    reader.Read();
                    text |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
                }
            }
        }
        catch (JsonException)
        {
            return; // Not JSON the meter understands: charge nothing for it.
        }
        var usage = total ?? Math.Clamp(prompt ?? 0, 0, MaxTokensPerResponse) + Math.Clamp(completion ?? 0, 0, MaxTokensPerResponse);
        if (total is not null || prompt is not null || completion is not null) _usage = usage;
        if (text) _chunks++;
    }
}
