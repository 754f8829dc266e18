using SecureMinutes.Mail;

namespace SecureMinutes.Doctor;

/// <summary>doctor's sender line: what the provider's answer to the list's envelope means, and what to do about it.</summary>
internal static class SenderReport
{
    public static DoctorCheck Of(ProviderSettings settings, string listName, string host, string sender, int code, string response)
    {
        var reply = $"{code} {SmtpMailTransport.OneLine(response)}";
        if (code is >= 200 and < 300)
        {
            return DoctorCheck.Ok("sender", $"{host} accepts <{sender}> as sender (MAIL FROM and RCPT TO, then RSET: nothing was sent)");
        }

        return ProviderReply.Classify(code, response) switch
        {
            ReplyMeaning.RateLimited => DoctorCheck.Fail("sender", $"{host} defers the list as sender right now: {reply}",
                $"the account is being rate-limited; sending resumes by itself, slower. To stay under the limit: list set {listName} --rate N"),
            ReplyMeaning.QuotaExceeded => DoctorCheck.Fail("sender", $"{host} says the account's sending quota is used up: {reply}",
                $"wait for the quota to come back (the list pauses and resumes by itself); set it with list set {listName} --daily-cap N"),
            _ when code == 530 => DoctorCheck.Fail("sender", $"{host} wants a login before accepting mail: {reply}",
                $"provider set {listName} --user NAME --password-env VAR"),
            _ when code is >= 400 and < 500 => DoctorCheck.Fail("sender", $"{host} temporarily refuses <{sender}>: {reply}",
                "run doctor again later; if it persists, ask the provider"),
            _ => DoctorCheck.Fail("sender", $"{host} refuses <{sender}> as sender: {reply}",
                settings.Username is { } user
                    ? $"the login {user} may not send as {sender}: register {sender} as an alias (identity) of that account at the provider, or log in as the account that owns it"
                    : $"log in as the account that owns {sender}: provider set {listName} --user NAME --password-env VAR"),
        };
    }
}
