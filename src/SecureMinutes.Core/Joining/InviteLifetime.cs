using System.Globalization;

namespace SecureMinutes.Joining;

/// <summary>Reads an invite's lifetime as people write it: a whole number and a unit, <c>90m</c>, <c>12h</c>, <c>2d</c> or <c>1w</c>.</summary>
public static class InviteLifetime
{
    /// <exception cref="UserFacingException">Not a number followed by m, h, d or w.</exception>
    public static TimeSpan Parse(string text)
    {
        text = text.Trim();
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
                case 'w': return TimeSpan.FromDays(7 * amount);
            }
        }

        throw new UserFacingException($"--expires '{text}' is not a duration: write a number and m, h, d or w (e.g. 2d, 12h, 90m)");
    }
}
