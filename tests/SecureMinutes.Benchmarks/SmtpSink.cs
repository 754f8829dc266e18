using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// A loopback SMTP server (RFC 5321, no TLS, no AUTH) that accepts every message and keeps only counts: connections
/// opened, messages and octets received. In the benchmark's process, so that it is not the bottleneck the way
/// ../shared/tools/mail/smtp-sink.py is (a few hundred messages/s): it scans each message's octets for the
/// end-of-data line and discards them, a few µs of CPU per message. It offers PIPELINING (RFC 2920) as Postfix does,
/// so a client sends MAIL, RCPT and DATA together; commands arriving together are answered in order.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;
    private long _messages;
    private long _octets;
    private long _lastMessageAt;

    public SmtpSink()
    {
        _listener.Start(backlog: 64);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public long Messages => Interlocked.Read(ref _messages);

    public long Octets => Interlocked.Read(ref _octets);

    /// <summary>When the last message so far was accepted, as a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> value; 0 before the first.</summary>
    public long LastMessageAt => Interlocked.Read(ref _lastMessageAt);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = ServeAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var buffer = new byte[64 * 1024];
        var held = 0; // octets of an unfinished command line at the start of buffer
        try
        {
            await ReplyAsync(stream, "220 bench-sink ESMTP\r\n");
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(held), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                held += read;
                int lineEnd;
                while ((lineEnd = buffer.AsSpan(0, held).IndexOf("\r\n"u8)) >= 0)
                {
                    var line = Encoding.ASCII.GetString(buffer, 0, lineEnd);
                    buffer.AsSpan(lineEnd + 2, held - lineEnd - 2).CopyTo(buffer);
                    held -= lineEnd + 2;
                    var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await ReplyAsync(stream, "250-bench-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n");
                            break;
                        case "DATA":
                            await ReplyAsync(stream, "354 go ahead\r\n");
                            held = await SkipDataAsync(stream, buffer, held);
                            Interlocked.Increment(ref _messages);
                            Interlocked.Exchange(ref _lastMessageAt, System.Diagnostics.Stopwatch.GetTimestamp());
                            await ReplyAsync(stream, "250 2.0.0 accepted\r\n");
                            break;
                        case "QUIT":
                            await ReplyAsync(stream, "221 bye\r\n");
                            return;
                        default: // HELO, MAIL, RCPT, RSET, NOOP
                            await ReplyAsync(stream, "250 ok\r\n");
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>Reads a message's octets up to and including the end-of-data line; returns how many octets after it are held in <paramref name="buffer"/>.</summary>
    private async Task<int> SkipDataAsync(NetworkStream stream, byte[] buffer, int held)
    {
        // The data starts right after DATA's line; a message may end with the buffer's first octets, hence the CRLF
        // placed before them for the search (the line before the "." ended with the DATA command's own CRLF).
        var tail = new byte[EndOfData.Length - 1 + buffer.Length];
        "\r\n"u8.CopyTo(tail);
        var tailLength = 2;
        while (true)
        {
            buffer.AsSpan(0, held).CopyTo(tail.AsSpan(tailLength));
            var window = tail.AsSpan(0, tailLength + held);
            var end = window.IndexOf(EndOfData);
            if (end >= 0)
            {
                var after = end + EndOfData.Length;
                Interlocked.Add(ref _octets, after);
                var rest = window.Length - after;
                window[after..].CopyTo(buffer);
                return rest;
            }

            Interlocked.Add(ref _octets, held);
            // Keep the last four octets: the end-of-data line may straddle two reads.
            var keep = Math.Min(EndOfData.Length - 1, window.Length);
            window[^keep..].CopyTo(tail);
            tailLength = keep;
            held = await stream.ReadAsync(buffer, _stop.Token);
            if (held == 0)
            {
                throw new IOException("connection closed inside DATA");
            }
        }
    }

    private static ValueTask ReplyAsync(NetworkStream stream, string reply) => stream.WriteAsync(Encoding.ASCII.GetBytes(reply));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
