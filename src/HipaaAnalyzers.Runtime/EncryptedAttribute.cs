using System;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Marks a property or field whose value is stored through field encryption (AES-256-GCM with
/// managed keys) rather than in plain text.
/// </summary>
/// <remarks>
/// <para>
/// The HipaaAnalyzers rule HIPAA005 reports PHI properties of persisted entities that are neither marked with this
/// attribute nor mapped through an encrypting value converter; its code fix adds the attribute.
/// </para>
/// <para>
/// The attribute is a marker: on its own it does not encrypt anything. The storage integration (for
/// example the Entity Framework Core integration of HipaaAnalyzers.Runtime) reads it and encrypts the
/// value on write and decrypts it on read.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class Patient
/// {
///     [Phi(Category = "SSN"), Encrypted]
///     public string SocialSecurityNumber { get; set; } = "";
/// }
/// </code>
/// </example>
[AttributeUsage(
    AttributeTargets.Property | AttributeTargets.Field,
    AllowMultiple = false,
    Inherited = true)]
public sealed class EncryptedAttribute : Attribute
{
    /// <summary>The blind index length used when <see cref="BlindIndex"/> is set and <see cref="BlindIndexBits"/> is not.</summary>
    public const int DefaultBlindIndexBits = 24;

    /// <summary>
    /// Gets or sets a value indicating whether the storage integration keeps a blind index of the value next to
    /// its ciphertext (a keyed HMAC, truncated to <see cref="BlindIndexBits"/>), so the column can be searched for
    /// equality without decrypting it. Default <see langword="false"/>.
    /// </summary>
    public bool BlindIndex { get; set; }

    /// <summary>
    /// Gets or sets the length of the blind index in bits (1 to 256; default <see cref="DefaultBlindIndexBits"/>).
    /// Choose it with <see cref="BlindIndexPlanner"/>: short enough that an index value does not stand for a single
    /// plaintext, long enough to be selective. Ignored unless <see cref="BlindIndex"/> is set.
    /// </summary>
    public int BlindIndexBits { get; set; } = DefaultBlindIndexBits;
}
