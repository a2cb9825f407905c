using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// Debian's Jupyter Notebook server on loopback, serving one folder, with a token of its own. It is stopped with its
/// whole process tree (the kernels it started) when disposed.
/// </summary>
public sealed partial class JupyterNotebookServer : IAsyncDisposable
{
    private readonly Process _process;

    private JupyterNotebookServer(Process process, string url, string token)
    {
        _process = process;
        Url = url;
        Token = token;
    }

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public string Url { get; }

    /// <summary>The token the server asks for.</summary>
    public string Token { get; }

    /// <summary>Starts the server on a free loopback port and waits until it says where it listens.</summary>
    public static async Task<JupyterNotebookServer> StartAsync(JupyterSetup jupyter, string root)
    {
        var token = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo(JupyterSetup.Jupyter) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "notebook", "--no-browser", "--ip=127.0.0.1", $"--port={Sharpflow.Tests.Loopback.FreePort()}", "--port-retries=50",
                     $"--NotebookApp.token={token}", $"--notebook-dir={root}" }.Concat(Environment.UserName == "root" ? ["--allow-root"] : []))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in jupyter.Environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            // The notebook server logs to stderr; the line with its URL means it is listening.
            while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                log.AppendLine(line);
                if (ListeningUrl().Match(line) is { Success: true } match)
                {
                    _ = process.StandardError.ReadToEndAsync(CancellationToken.None); // keep draining
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new JupyterNotebookServer(process, match.Groups["url"].Value, token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"The Jupyter Notebook server did not start:\n{log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"(?<url>http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningUrl();
}
