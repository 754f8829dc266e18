using System.Net.Sockets;
using MailKit;

namespace SecureMinutes.Mail;

/// <summary>Ends a MailKit session (SMTP or IMAP) politely, without letting a failed QUIT/LOGOUT matter.</summary>
public static class MailSessionClose
{
    public static async ValueTask QuietlyAsync(MailService client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ProtocolException or CommandException)
        {
            // Everything was recorded before closing; a failed goodbye changes nothing.
        }
        finally
        {
            client.Dispose();
        }
    }
}
