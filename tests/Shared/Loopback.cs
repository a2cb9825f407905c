using System.Net;
using System.Net.Sockets;

namespace Sharpflow.Tests;

/// <summary>Loopback addresses for the real servers tests start (sshd, Jupyter, HTTP APIs): never a fixed port.</summary>
public static class Loopback
{
    /// <summary>
    /// A port free on 127.0.0.1 a moment ago. Another process may take it before the server binds it: a server started on
    /// it must report a failed bind so the caller can try another (sshd, Jupyter's --port-retries, HttpListener's exception).
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
