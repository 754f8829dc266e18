using System.Collections.Concurrent;
using MimeKit;
using SecureMinutes.Mail;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// An SMTP provider whose answers a spec writes in advance, in our transport's own terms (the answers
/// <see cref="SmtpMailTransport"/> turns real SMTP replies into): accept, 4xx or 5xx for one recipient, "slow
/// down", "quota used up", a connection dropped mid-message, a refused login. Unscripted messages are accepted.
/// Records every session and message, so a spec can count connections and see who was sent what.
/// </summary>
internal sealed class ScriptedTransport : IMailTransportFactory, IMailTransport
{
    private readonly ConcurrentDictionary<string, Queue<Func<SendResult>>> _replies = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<TransportException> _connectFailures = new();
    private readonly Lock _gate = new();

    /// <summary>Sessions opened (one SMTP connection each).</summary>
    public int Connections { get; private set; }

    /// <summary>Messages the provider took, in order (a recipient twice means a duplicate).</summary>
    public List<(string Recipient, MimeMessage Message)> Accepted { get; } = [];

    /// <summary>Every message handed over, whatever the answer.</summary>
    public List<string> Attempts { get; } = [];

    /// <summary>The next answers for mail to <paramref name="recipient"/>, one per attempt.</summary>
    public ScriptedTransport For(string recipient, params Func<SendResult>[] answers)
    {
        var queue = _replies.GetOrAdd(recipient, _ => new Queue<Func<SendResult>>());
        lock (_gate)
        {
            foreach (var answer in answers)
            {
                queue.Enqueue(answer);
            }
        }

        return this;
    }

    /// <summary>The next connection attempt fails this way (a refused login, an unreachable host).</summary>
    public ScriptedTransport FailNextConnect(TransportFailure failure, string message)
    {
        lock (_gate)
        {
            _connectFailures.Enqueue(new TransportException(failure, message));
        }

        return this;
    }

    public static SendResult Accept() => SendResult.Accepted("250 2.0.0 Ok: queued");

    public static SendResult Defer() => new(SendOutcome.TransientFailure, "451 4.3.0 Temporary lookup failure");

    public static SendResult Reject() => new(SendOutcome.PermanentFailure, "550 5.1.1 Recipient address rejected: User unknown");

    public static SendResult SlowDown() => throw new TransportException(TransportFailure.RateLimited, "smtp.example.test asks to slow down: 450 4.7.1 Error: too much mail");

    public static SendResult QuotaUsedUp() => throw new TransportException(TransportFailure.QuotaExceeded, "smtp.example.test says the sending quota is used up: 554 5.7.0 quota exceeded")
    {
        RetryAfter = TimeSpan.FromHours(1),
    };

    public static SendResult DropConnection() => throw new TransportException(TransportFailure.Connection, "the connection to smtp.example.test was lost: unexpected end of stream");

    public IMailTransport Create(ProviderSettings settings) => this;

    public Task<IMailSession> ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_connectFailures.TryDequeue(out var failure))
            {
                throw failure;
            }

            Connections++;
        }

        return Task.FromResult<IMailSession>(new Session(this));
    }

    private SendResult Answer(MimeMessage message, MailboxAddress recipient)
    {
        Func<SendResult>? scripted = null;
        lock (_gate)
        {
            Attempts.Add(recipient.Address);
            if (_replies.TryGetValue(recipient.Address, out var queue))
            {
                queue.TryDequeue(out scripted);
            }
        }

        var answer = (scripted ?? Accept)();
        if (answer.Outcome == SendOutcome.Accepted)
        {
            lock (_gate)
            {
                Accepted.Add((recipient.Address, message));
            }
        }

        return answer;
    }

    private sealed class Session(ScriptedTransport transport) : IMailSession
    {
        private bool _dead;

        public Task<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            if (_dead)
            {
                throw new InvalidOperationException("a session was used after it failed: the runner must reconnect");
            }

            try
            {
                var answer = transport.Answer(message, recipient);
                // As MailKit does while it waits for the reply: a cancelled caller never learns the provider's answer.
                cancellationToken.ThrowIfCancellationRequested();
                return Task.FromResult(answer);
            }
            catch (TransportException)
            {
                _dead = true;
                throw;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
