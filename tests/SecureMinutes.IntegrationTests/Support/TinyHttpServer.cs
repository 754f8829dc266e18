using System.Net;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// A HedgeDoc stand-in on loopback (no HedgeDoc server can be installed here): serves <c>/NOTE/download</c>
/// as HedgeDoc does, text/markdown, and counts requests. Unknown notes are 404.
/// </summary>
public sealed class TinyHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _notes = new(StringComparer.Ordinal);

    public TinyHttpServer()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public void SetNote(string id, string markdown)
    {
        lock (_notes)
        {
            _notes[id] = markdown;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath.Trim('/').Split('/');
            string? note = null;
            lock (_notes)
            {
                if (path.Length == 2 && path[1] == "download")
                {
                    _notes.TryGetValue(Uri.UnescapeDataString(path[0]), out note);
                }
            }

            using var response = context.Response;
            if (note is null)
            {
                response.StatusCode = 404;
                continue;
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(note);
            response.ContentType = "text/markdown; charset=UTF-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    public void Dispose() => _listener.Close();
}
