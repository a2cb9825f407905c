using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sharpflow.Tests;

/// <summary>
/// A loopback TCP proxy in front of a real HTTP server (on an ephemeral port) that drops the connection in the middle of
/// the first response to a request whose first line contains <c>cut</c>: after the response's headers and a few bytes of
/// its body, as a server or a proxy that goes away mid-transfer does. Everything else passes through untouched.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly string _cut;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _armed = 1;

    public CuttingProxy(string upstream, string cut)
    {
        _upstream = new Uri(upstream);
        _cut = cut;
        _listener.Start();
        Endpoint = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's URL, to give a client instead of the server's.</summary>
    public string Endpoint { get; }

    /// <summary>How many responses were cut (0 or 1).</summary>
    public int Cuts { get; private set; }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // disposed
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        await server.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
        var cutThisResponse = false;
        var forwarded = 0L;
        var headersEnd = -1L;
        var up = PumpAsync(client.GetStream(), server.GetStream(), chunk =>
        {
            var line = Encoding.ASCII.GetString(chunk.Span[..Math.Min(chunk.Length, 512)]).Split("\r\n")[0];
            if (line.Contains(_cut, StringComparison.Ordinal) && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                cutThisResponse = true;
            }
            return chunk.Length;
        });
        var down = PumpAsync(server.GetStream(), client.GetStream(), chunk =>
        {
            if (!cutThisResponse)
            {
                return chunk.Length;
            }
            if (headersEnd < 0 && Encoding.ASCII.GetString(chunk.Span).IndexOf("\r\n\r\n", StringComparison.Ordinal) is var at and >= 0)
            {
                headersEnd = forwarded + at + 4;
            }
            var allowed = headersEnd < 0 ? chunk.Length : (int)Math.Clamp(headersEnd + 100 - forwarded, 0, chunk.Length);
            forwarded += allowed;
            if (allowed < chunk.Length)
            {
                Cuts++;
            }
            return allowed;
        });
        await Task.WhenAny(up, down);
        client.Client.Close(); // one side ended (or the cut): the connection ends for both
        server.Client.Close();
        await Task.WhenAll(up, down);
    }

    /// <summary>
    /// Copies <paramref name="from"/> to <paramref name="to"/> until either side ends; <paramref name="allow"/> says how
    /// many bytes of each chunk go through, and fewer than the chunk's length ends the copy after them.
    /// </summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, Func<ReadOnlyMemory<byte>, int> allow)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                var chunk = buffer.AsMemory(0, read);
                var allowed = allow(chunk);
                await to.WriteAsync(chunk[..allowed], _stop.Token);
                if (allowed < read)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // the other side closed, or the proxy is stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
