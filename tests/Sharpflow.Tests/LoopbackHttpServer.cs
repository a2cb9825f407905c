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
            var (status, type, body) = await _respond(context);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
