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
}
