using Fleet.Agent;
using Fleet.Gateway.Credentials;

namespace Fleet.Gateway.Tests.Support;

/// <summary>
/// A real Fleet agent (agent/, in-process, serving the scripted test model) heartbeating into a gateway every second,
/// with a tap in front of it that works like a slow network, not a fake: it names the node in an <c>x-test-node</c>
/// response header (the gateway passes response headers through), counts what arrives, and, while <see cref="Hold"/>
/// is in force, lets an SSE response out only up to its first chunk until <see cref="Release"/>. The agent itself
/// generates everything at once; the stream stays open at the gateway, as a long generation would.
/// </summary>
public sealed class RealAgent : IAsyncDisposable
{
    public const string NodeHeader = "x-test-node";

    private readonly WebApplication _app;
    private TaskCompletionSource? _hold;
    private int _received;
    private int _open;

    private RealAgent(WebApplication app, string name, string credential)
    {
        _app = app;
        Name = name;
        Credential = credential;
    }

    public string Name { get; }
    public string Credential { get; }

    /// <summary>Completion requests that reached the agent.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Completion responses the agent has not finished writing.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>A node's entry for the gateway's nodes file.</summary>
    public static object NodesFileEntry(string name, string credential, string pool = "cpu") => new { node = name, pool, sha256 = SecretHash.HexOf(credential) };

    /// <summary>Streams that arrive from now on stop after their first chunk until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held streams (and later ones) run to their end.</summary>
    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public static async Task<RealAgent> StartAsync(string dir, string model, string name, string credential, Uri gateway, int slots = 4,
        string modelId = "scripted", string pool = "cpu")
    {
        var credentialFile = Path.Combine(dir, name + ".token");
        File.WriteAllText(credentialFile, credential);
        var env = new Dictionary<string, string>
        {
            ["FLEET_MODEL_PATH"] = model,
            ["FLEET_MODEL_ID"] = modelId,
            ["FLEET_CONTEXT_SIZE"] = (512 * slots).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FLEET_PARALLEL_SLOTS"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FLEET_THREADS"] = "1",
            ["FLEET_NODE_NAME"] = name,
            ["FLEET_POOL"] = pool,
            ["FLEET_NODE_CREDENTIAL_FILE"] = credentialFile,
            ["FLEET_GATEWAY_URL"] = gateway.ToString(),
        };
        RealAgent? agent = null;
        var app = AgentApp.Build(["--urls", "http://127.0.0.1:0"], k => env.GetValueOrDefault(k), s =>
        {
            s.AddLogging(l => l.ClearProviders());
            s.AddSingleton<IStartupFilter>(new Tap(() => agent!));
        });
        agent = new RealAgent(app, name, credential);
        await app.StartAsync();
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Tap(Func<RealAgent> agent) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1"))
                {
                    await inner(context);
                    return;
                }
                var self = agent();
                Interlocked.Increment(ref self._received);
                Interlocked.Increment(ref self._open);
                context.Response.Headers[NodeHeader] = self.Name;
                var body = context.Response.Body;
                if (self._hold is { } hold) context.Response.Body = new HoldingStream(body, context.Response, hold.Task);
                try
                {
                    await inner(context);
                }
                finally
                {
                    context.Response.Body = body;
                    Interlocked.Decrement(ref self._open);
                }
            });
            next(app);
        };
    }

    /// <summary>Passes the first write of an SSE response, then waits for the hold to end before each further one.</summary>
    private sealed class HoldingStream(Stream inner, HttpResponse response, Task hold) : Stream
    {
        private bool _first = true;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty) return;
            var sse = response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true;
            if (sse && !_first) await hold.WaitAsync(cancellationToken);
            _first = false;
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
