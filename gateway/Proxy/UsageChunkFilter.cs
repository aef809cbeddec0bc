using System.Text.Json;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// Passes an SSE response through line by line, leaving out the usage chunk (<c>"choices":[]</c> with a <c>usage</c>
/// object) that the gateway asked the node for on behalf of a client that did not (<see cref="StreamOptionsInjector"/>).
/// A partial line waits for its end (at most one read from the node); anything else than SSE passes untouched.
/// </summary>
public sealed class UsageChunkFilter(HttpResponse response, Stream inner) : Stream
{
    private readonly MemoryStream _partial = new();
    private bool? _sse;
    private bool _dropBlank;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _sse ??= response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        if (_sse == false)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }
        while (!buffer.IsEmpty)
        {
            var nl = buffer.Span.IndexOf((byte)'\n');
            if (nl < 0)
            {
                _partial.Write(buffer.Span);
                return;
            }
            var piece = buffer[..(nl + 1)];
            buffer = buffer[(nl + 1)..];
            ReadOnlyMemory<byte> line = piece;
            if (_partial.Length > 0)
            {
                _partial.Write(piece.Span);
                line = _partial.ToArray();
                _partial.SetLength(0);
            }
            if (Keep(line.Span)) await inner.WriteAsync(line, cancellationToken);
        }
    }

    /// <summary>Writes a last line that had no line end.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_partial.Length == 0) return;
        var rest = _partial.ToArray();
        _partial.SetLength(0);
        if (Keep(rest)) await inner.WriteAsync(rest, cancellationToken);
    }

    private bool Keep(ReadOnlySpan<byte> line)
    {
        var text = line.TrimEnd("\r\n"u8);
        if (text.IsEmpty && _dropBlank)
        {
            _dropBlank = false; // the blank line that ended the dropped event
            return false;
        }
        _dropBlank = false;
        if (!IsUsageChunk(text)) return true;
        _dropBlank = true;
        return false;
    }

    /// <summary>Whether an SSE line is <c>data:</c> with a chunk of no choices and a usage object.</summary>
    public static bool IsUsageChunk(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("data:"u8)) return false;
        var payload = line[5..].TrimStart((byte)' ');
        if (payload.IsEmpty || payload[0] != (byte)'{') return false;
        bool usage = false, emptyChoices = false;
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var isUsage = reader.ValueTextEquals("usage"u8);
                var isChoices = reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isUsage) usage = reader.TokenType == JsonTokenType.StartObject;
                if (isChoices)
                {
                    emptyChoices = reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
                    if (!emptyChoices) return false;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return usage && emptyChoices;
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
