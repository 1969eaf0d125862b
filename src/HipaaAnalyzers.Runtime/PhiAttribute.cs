using System;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Marks protected health information (PHI) as defined by HIPAA: data that identifies a patient or
/// describes their health, care or payment for care.
/// </summary>
/// <remarks>
/// <para>
/// Put it on a property, field, parameter, return value or method to mark that value as PHI, or on a
/// class or struct to make every member of the type PHI (exclude individual members with
/// <see cref="NotPhiAttribute"/>). The attribute is inherited by derived types and overriding members.
/// </para>
/// <para>
/// The attribute has no runtime behavior of its own. The HipaaAnalyzers rules read it at compile time
/// to find PHI that reaches logs, exception messages, telemetry, URLs or unencrypted storage, and the
/// code fixes route such values through <see cref="Phi.Redact(object)"/> or
/// <see cref="Phi.Pseudonymize(object)"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class Patient
/// {
///     public Guid Id { get; init; }
///
///     [Phi(Category = "SSN")]
///     public string SocialSecurityNumber { get; init; } = "";
/// }
/// </code>
/// </example>
[AttributeUsage(
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Field |
    AttributeTargets.Parameter | AttributeTargets.ReturnValue | AttributeTargets.Method,
    AllowMultiple = false,
    Inherited = true)]
public sealed class PhiAttribute : Attribute
{
    /// <summary>
    /// Gets or sets an optional free-form category of the PHI, for example <c>"SSN"</c>,
    /// <c>"MRN"</c>, <c>"DateOfBirth"</c> or <c>"Diagnosis"</c>. Tools may show it in diagnostics and
    /// reports; it does not change how the value is treated.
    /// </summary>
    public string? Category { get; set; }
}
