using System;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Excludes a member from protected health information (PHI) handling: a member of a type marked
/// <see cref="PhiAttribute"/> is PHI unless it carries this attribute.
/// </summary>
/// <remarks>
/// Use it for values that identify nothing about a patient, such as a surrogate database key, a
/// row version or a status flag. The attribute is also an explicit "reviewed, not PHI" marker that
/// silences the HipaaAnalyzers name heuristics for that member.
/// </remarks>
/// <example>
/// <code>
/// [Phi]
/// public sealed class Patient
/// {
///     [NotPhi]
///     public Guid Id { get; init; }
///
///     public string FullName { get; init; } = "";   // PHI, from the type
/// }
/// </code>
/// </example>
[AttributeUsage(
    AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter |
    AttributeTargets.ReturnValue | AttributeTargets.Method,
    AllowMultiple = false,
    Inherited = true)]
public sealed class NotPhiAttribute : Attribute
{
}
