namespace SecureMinutes.Keys;

/// <summary>
/// Why a key was refused, as a code the web pages turn into words in the reader's language (the CLI keeps its English
/// one-line messages, which carry the same facts). Each has a text in the web app's resources (<c>KeyProblem{Code}</c>).
/// </summary>
public enum KeyProblemCode
{
    /// <summary>The key, or every one of its encryption subkeys, expired (<see cref="KeyProblem.On"/>: when, if known).</summary>
    Expired,

    /// <summary>The key, or every one of its encryption subkeys, was revoked by its holder (<see cref="KeyProblem.On"/>: when, if known).</summary>
    Revoked,

    /// <summary>No (sub)key of it can encrypt, or none that can is usable for another reason.</summary>
    NoEncryptionSubkey,

    /// <summary>Its encryption key is RSA below 2048 bits (<see cref="KeyProblem.Detail"/>: its size in bits).</summary>
    WeakRsa,

    /// <summary>Its encryption key uses an algorithm Thunderbird and GnuPG 2.2 cannot all use (<see cref="KeyProblem.Detail"/>: the algorithm).</summary>
    UnsupportedAlgorithm,

    /// <summary>Its key material is damaged or invalid (e.g. an RSA modulus that is not a product of two large primes).</summary>
    DamagedKey,

    /// <summary>A key version other than 4 (<see cref="KeyProblem.Detail"/>: the version).</summary>
    UnsupportedVersion,

    /// <summary>No user id of it is self-certified and unrevoked.</summary>
    NoValidUserId,

    /// <summary>A user id of it holds a line break or NUL (made to forge lines of output).</summary>
    ForgedUserId,

    /// <summary>None of its valid user ids is the address given (<see cref="KeyProblem.Detail"/>: the user ids it has, or empty).</summary>
    NotForThisAddress,

    /// <summary>What was given holds several keys and none (or more than one) is for the address.</summary>
    SeveralKeys,

    /// <summary>What was given is not an OpenPGP public key (empty, unreadable, another kind of data, a mail without a key).</summary>
    NotAKey,

    /// <summary>What was given is a secret key (never to be shared).</summary>
    SecretKey,

    /// <summary>What was given is a revocation certificate, not a key.</summary>
    RevocationCertificate,

    /// <summary>What was given is an encrypted mail: the key attachment cannot be read from it.</summary>
    EncryptedMail,

    /// <summary>A key change was asked from a key the member no longer holds (another was pinned since, by an admin say): it no longer applies.</summary>
    KeyChangedSince,
}
