using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>
/// The Firely SDK's FHIR R4 model (Hl7.Fhir.R4, Hl7.Fhir.Base and Hl7.Fhir.Conformance), restored with the test project, for code that holds
/// FHIR resources.
/// </summary>
internal static class FhirReferences
{
    public static readonly MetadataReference[] All =
    {
        MetadataReference.CreateFromFile(typeof(Hl7.Fhir.Model.Patient).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Hl7.Fhir.Model.Resource).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Hl7.Fhir.Model.ValueSet).Assembly.Location),
    };
}
