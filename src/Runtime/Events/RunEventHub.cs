using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Sharpflow.Events;

/// <summary>Fans run events out to any number of asynchronous subscribers, each with its own unbounded queue.</summary>
internal sealed class RunEventHub
{
    private readonly List<Channel<RunEvent>> _subscribers = [];
    private readonly Lock _lock = new();
    private bool _closed;

    public void Publish(RunEvent runEvent)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(runEvent);
            }
        }
    }

    /// <summary>Subscribes now (events published from this call on are delivered) and returns the stream of them.</summary>
    public IAsyncEnumerable<RunEvent> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (_closed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }
        return ReadAsync(channel, cancellationToken);
    }

    /// <summary>Ends every subscription once the events already published are read.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }
            _subscribers.Clear();
        }
    }

    private async IAsyncEnumerable<RunEvent> ReadAsync(Channel<RunEvent> channel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var runEvent in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return runEvent;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
