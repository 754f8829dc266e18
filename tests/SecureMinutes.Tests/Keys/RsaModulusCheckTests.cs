using System.Security.Cryptography;
using SecureMinutes.Keys;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureMinutes.Tests.Keys;

/// <summary>The modulus check run once per imported RSA key: a prime "modulus" (anyone could decrypt) is always refused.</summary>
public class RsaModulusCheckTests
{
    private static readonly RSAParameters Genuine = MakeKey();

    [Fact]
    public void GenuineTwoPrimeModulus_Passes()
    {
        Assert.Null(RsaModulusCheck.Problem(new BigInteger(1, Genuine.Modulus)));
    }

    [Fact]
    public void PrimeModulus_IsRefused()
    {
        // One of the key's own primes, 1024 bits: a "modulus" whose private exponent anyone can compute.
        Assert.Equal("RSA modulus is not composite", RsaModulusCheck.Problem(new BigInteger(1, Genuine.P)));
    }

    [Fact]
    public void ModulusWithASmallFactor_IsRefused()
    {
        var withSmallFactor = new BigInteger(1, Genuine.P).Multiply(BigInteger.ValueOf(7));

        Assert.Contains("small prime factor", RsaModulusCheck.Problem(withSmallFactor), StringComparison.Ordinal);
    }

    [Fact]
    public void EvenModulus_IsRefused()
    {
        Assert.Contains("even", RsaModulusCheck.Problem(new BigInteger(1, Genuine.Modulus).Add(BigInteger.One)), StringComparison.Ordinal);
    }

    private static RSAParameters MakeKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(includePrivateParameters: true);
    }
}
