using System.Net;
using System.Text;

namespace Sharpflow.Tests;

/// <summary>
/// An HTTP server on a free loopback port for recorded-response fixtures: each request goes to <c>respond</c>, which
/// returns the status, content type and body to send.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task<(int Status, string ContentType, string Body)>> _respond;
    private readonly Task _serving;
    private readonly List<Task> _handling = [];

    public LoopbackHttpServer(Func<HttpListenerContext, Task<(int Status, string ContentType, string Body)>> respond)
    {
        _respond = respond;
        Url = $"http://127.0.0.1:{Loopback.FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The server's base address, ending in a slash.</summary>
    public string Url { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
            // Each request is answered on its own, as a real API server does: a log follow that waits for its pod does not
            // hold up the pod listings and the Job deletion behind it.
            var handling = Task.Run(() => HandleAsync(context));
            lock (_handling)
            {
                _handling.RemoveAll(t => t.IsCompletedSuccessfully);
                _handling.Add(handling);
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var (status, type, body) = await _respond(context);
        var bytes = Encoding.UTF8.GetBytes(body);
        try
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            context.Response.Abort(); // the client went away before its answer (a stopped process's pending log follow)
        }
    }

    /// <summary>Stops listening and waits for the answers being made; a fixture's failure while answering is thrown here.</summary>
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        Task[] handling;
        lock (_handling)
        {
            handling = [.. _handling];
        }
        Task.WaitAll(handling, TimeSpan.FromSeconds(10)); // an answer still waiting on something the test left running is not waited for longer
    }
}
