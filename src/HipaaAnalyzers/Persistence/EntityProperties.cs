namespace HipaaAnalyzers.Persistence;

/// <summary>
/// Diagnostic properties of HIPAA005 when the property is declared in another project than the one it is reported in:
/// which property, so the fix can find its declaration in the solution.
/// </summary>
internal static class EntityProperties
{
    /// <summary>The property's documentation comment ID (<c>P:Clinic.Domain.Patient.Ssn</c>).</summary>
    public const string PropertyId = "PropertyId";

    /// <summary>The name of the assembly that declares the property (<c>Clinic.Domain</c>).</summary>
    public const string Assembly = "Assembly";
}
