using System.Collections.Concurrent;

namespace Fleet.Agent.Inference;

/// <summary>
/// A few dedicated threads that run tokenization, off the inference loop and off the thread pool. Their stacks are
/// large because llama.cpp's regex pre-tokenizers (std::regex) recurse once per character of a match: a 40 KB run
/// of "!" overflowed a thread-pool stack and killed the process. They also bound how many cores tokenizing takes.
/// </summary>
internal sealed class TokenizerThreads : IDisposable
{
    private const int StackBytes = 64 << 20;
    private readonly BlockingCollection<Action> _jobs = new();
    private int _running;

    public TokenizerThreads(int count)
    {
        for (var i = 0; i < count; i++)
            new Thread(Work, StackBytes) { IsBackground = true, Name = $"fleet-tokenizer-{i}" }.Start();
    }

    /// <summary>Jobs running or waiting.</summary>
    public int Pending => Volatile.Read(ref _running);

    /// <summary>Runs <paramref name="job"/> on a tokenizer thread; a job still waiting when cancelled never starts.</summary>
    public Task<T> RunAsync<T>(Func<T> job, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _running);
        try
        {
            _jobs.Add(() =>
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    done.TrySetResult(job());
                }
                catch (OperationCanceledException e)
                {
                    done.TrySetCanceled(e.CancellationToken);
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                }
            });
        }
        catch (InvalidOperationException)
        {
            Interlocked.Decrement(ref _running);
            done.TrySetCanceled(); // shut down: no more jobs
        }

        return done.Task;
    }

    /// <summary>Waits (wall clock, at most <paramref name="limit"/>) until no job runs or waits.</summary>
    public bool WaitIdle(TimeSpan limit)
    {
        var until = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Pending > 0 && Environment.TickCount64 < until) Thread.Sleep(5);
        return Pending == 0;
    }

    /// <summary>Takes no more jobs; those queued still run (and see their cancellation).</summary>
    public void Dispose() => _jobs.CompleteAdding();

    private void Work()
    {
        foreach (var job in _jobs.GetConsumingEnumerable()) job();
    }
}
