using Org.BouncyCastle.Utilities;

namespace SecureMinutes.Keys;

/// <summary>
/// BouncyCastle re-validates an RSA modulus (Miller-Rabin) every time a public key is used: 70-140 ms per
/// RSA-3072 recipient. Keys are validated once when they are imported (<see cref="KeyAssessor"/>); while a
/// scope from <see cref="SkipForValidatedKeys"/> is open, the current thread skips the repeated test.
/// The setting is thread-local, so keep the scope around synchronous encryption only (no await inside).
/// </summary>
public static class RsaModulusCheck
{
    public static IDisposable SkipForValidatedKeys()
    {
        var previous = Properties.GetThreadProperty(Properties.RsaMaxMRTests);
        Properties.SetThreadInt32(Properties.RsaMaxMRTests, 0);
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is null)
            {
                Properties.RemoveThreadProperty(Properties.RsaMaxMRTests);
            }
            else
            {
                Properties.SetThreadProperty(Properties.RsaMaxMRTests, previous);
            }
        }
    }
}
