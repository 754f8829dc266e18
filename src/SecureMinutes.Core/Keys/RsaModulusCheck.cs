using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
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
    /// <summary>
    /// Why an RSA modulus must not be encrypted to, or null: even, too large, with a small prime factor (BouncyCastle's
    /// own checks, which cost microseconds), or prime. A prime "modulus" is the one that matters: anyone can compute
    /// its private exponent (φ(n) = n − 1) and read every session key wrapped with it.
    /// <para>
    /// Compositeness is decided by OpenSSL (<see cref="OpenSslPrimality"/>) instead of BouncyCastle's Miller-Rabin,
    /// ten times cheaper, and just as safe: a prime passes every Miller-Rabin round, so either test refuses every
    /// prime modulus whatever its rounds and bases; what rounds buy is only the chance of refusing an honest
    /// composite modulus by mistake (for a two-prime RSA modulus the first round already proves it composite).
    /// Where libcrypto 3 is absent, BouncyCastle's test runs as before.
    /// </para>
    /// </summary>
    public static string? Problem(BigInteger modulus)
    {
        try
        {
            using (SkipForValidatedKeys())
            {
                _ = RsaKeyParameters.ValidateModulus(modulus); // even, size, small factors; no Miller-Rabin here
            }

            switch (OpenSslPrimality.IsPrime(modulus.ToByteArrayUnsigned()))
            {
                case true:
                    return "RSA modulus is not composite";
                case null:
                    _ = RsaKeyParameters.ValidateModulus(modulus); // BouncyCastle's Miller-Rabin
                    break;
            }

            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message.Split(Environment.NewLine)[0].Replace(" (Parameter 'modulus')", "", StringComparison.Ordinal);
        }
    }

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
