namespace HipaaAnalyzers.Persistence;

/// <summary>
/// Diagnostic properties naming an entity property, so a fix can find its declaration in the solution: HIPAA005's when
/// the property is declared in another project than the one it is reported in, and every HIPAA205 diagnostic (the
/// password property, declared or compared).
/// </summary>
internal static class EntityProperties
{
    /// <summary>The property's documentation comment ID (<c>P:Clinic.Domain.Patient.Ssn</c>).</summary>
    public const string PropertyId = "PropertyId";

    /// <summary>The name of the assembly that declares the property (<c>Clinic.Domain</c>).</summary>
    public const string Assembly = "Assembly";
}
