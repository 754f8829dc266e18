using System.Runtime.InteropServices;

namespace SecureMinutes.Keys;

/// <summary>
/// OpenSSL's primality test (<c>BN_check_prime</c>, OpenSSL 3: Miller-Rabin with the rounds FIPS 186-5 asks for,
/// after trial division), reached directly in libcrypto, the library .NET itself uses for every TLS connection and
/// RSA operation on Linux. BouncyCastle's managed big integers take ~85 ms CPU for one Miller-Rabin round on an
/// RSA-3072 modulus; OpenSSL finds a composite modulus composite in ~8 ms.
/// </summary>
internal static partial class OpenSslPrimality
{
    private const string LibCrypto = "libcrypto.so.3";

    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(LibCrypto, out _));

    /// <summary>True or false when OpenSSL answered; null when libcrypto 3 is not there (other systems): the caller falls back.</summary>
    public static bool? IsPrime(ReadOnlySpan<byte> bigEndianUnsigned)
    {
        if (!Loaded.Value)
        {
            return null;
        }

        var number = BN_bin2bn(bigEndianUnsigned, bigEndianUnsigned.Length, IntPtr.Zero);
        var context = BN_CTX_new();
        try
        {
            if (number == IntPtr.Zero || context == IntPtr.Zero)
            {
                return null;
            }

            return BN_check_prime(number, context, IntPtr.Zero) switch
            {
                1 => true,
                0 => false,
                _ => null,
            };
        }
        finally
        {
            BN_CTX_free(context);
            BN_free(number);
        }
    }

    [LibraryImport(LibCrypto)]
    private static partial IntPtr BN_bin2bn(ReadOnlySpan<byte> s, int len, IntPtr ret);

    [LibraryImport(LibCrypto)]
    private static partial int BN_check_prime(IntPtr p, IntPtr ctx, IntPtr cb);

    [LibraryImport(LibCrypto)]
    private static partial void BN_free(IntPtr a);

    [LibraryImport(LibCrypto)]
    private static partial IntPtr BN_CTX_new();

    [LibraryImport(LibCrypto)]
    private static partial void BN_CTX_free(IntPtr c);
}
