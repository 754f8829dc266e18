namespace SecureMinutes.Joining;

/// <summary>Too many challenges lately for this address or this invite: the same answer for members and strangers.</summary>
public sealed class JoinLimitException() : UserFacingException("too many confirmation mails were asked for lately: wait an hour and try again");
