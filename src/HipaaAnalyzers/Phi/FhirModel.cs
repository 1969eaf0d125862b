using System;
using System.Collections.Generic;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// What the Firely SDK's FHIR model (<c>Hl7.Fhir.Model</c>, packages Hl7.Fhir.R4, R4B, R5 and STU3) holds: resources
/// about a person (Patient, Observation, Condition, Encounter, Claim ...) are PHI, and so are <c>Bundle</c>,
/// <c>Resource</c> and <c>DomainResource</c> when the concrete resource is not known. Conformance, terminology and
/// directory resources (CapabilityStatement, StructureDefinition, ValueSet, CodeSystem, Organization, Practitioner ...)
/// are not. The data types that say who someone is (HumanName, Address, ContactPoint, Identifier) are PHI when they are
/// read from a PHI resource.
/// </summary>
internal static class FhirModel
{
    private const string ModelNamespace = "Hl7.Fhir.Model";

    /// <summary>Resources whose instances are about one person's health, identity or care.</summary>
    private static readonly HashSet<string> PersonResources = new(StringComparer.Ordinal)
    {
        "Patient", "Person", "RelatedPerson", "Observation", "Condition", "Encounter", "EpisodeOfCare", "MedicationRequest",
        "MedicationStatement", "MedicationAdministration", "MedicationDispense", "DiagnosticReport", "Procedure",
        "AllergyIntolerance", "Immunization", "ImmunizationRecommendation", "CarePlan", "CareTeam", "Claim", "ClaimResponse",
        "ExplanationOfBenefit", "Coverage", "CoverageEligibilityRequest", "CoverageEligibilityResponse", "DocumentReference",
        "QuestionnaireResponse", "ServiceRequest", "Specimen", "ImagingStudy", "FamilyMemberHistory", "Goal", "Appointment",
        "AppointmentResponse", "Communication", "CommunicationRequest", "Consent", "DeviceRequest", "DeviceUseStatement",
        "NutritionOrder", "RiskAssessment", "ClinicalImpression", "DetectedIssue", "Flag", "Composition", "BodyStructure",
        "MolecularSequence", "VisionPrescription", "Invoice", "Account", "ChargeItem", "PaymentNotice", "AdverseEvent",
        "Media", "Task", "Provenance", "AuditEvent", "List", "GuidanceResponse", "RequestGroup", "EnrollmentRequest",
    };

    /// <summary>Containers whose concrete resource is not known: they may hold a patient's resources.</summary>
    private static readonly HashSet<string> AnyResource = new(StringComparer.Ordinal) { "Resource", "DomainResource", "Bundle" };

    /// <summary>Data types that say who someone is.</summary>
    private static readonly HashSet<string> PersonDataTypes = new(StringComparer.Ordinal)
    {
        "HumanName", "Address", "ContactPoint", "Identifier", "Attachment", "Annotation", "Narrative",
    };

    /// <summary>Members of every resource that describe the record rather than the person: its id, version, metadata.</summary>
    private static readonly HashSet<string> BookkeepingMembers = new(StringComparer.Ordinal)
    {
        "Id", "IdElement", "Meta", "ImplicitRules", "ImplicitRulesElement", "Language", "LanguageElement", "TypeName",
        "ResourceType", "VersionId", "HasVersionId", "ResourceBase", "ResourceIdentity", "Children", "NamedChildren",
        "Active", "ActiveElement", "Status", "StatusElement",
    };

    public static bool IsModelType(ITypeSymbol? type) =>
        type is not null && TypeNames.IsInNamespace(type.ContainingNamespace, ModelNamespace);

    /// <summary>
    /// Why a value of this type is PHI when it is a FHIR resource (or a team's subclass of one): "resource about a person"
    /// or "any resource, a patient's included"; null for conformance, terminology and directory resources and non-FHIR types.
    /// </summary>
    public static string? ResourceReason(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        for (var t = named; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (!IsModelType(t))
            {
                continue;
            }

            if (PersonResources.Contains(t.Name))
            {
                return "FHIR " + t.Name + " resource, about a person";
            }

            // The first FHIR type up the chain decides: a ValueSet is a DomainResource but is not about anyone.
            return ReferenceEquals(t, named) || SymbolEqualityComparer.Default.Equals(t, named) ? AnyResourceReason(t) : null;
        }

        return null;
    }

    private static string? AnyResourceReason(INamedTypeSymbol type) =>
        AnyResource.Contains(type.Name) ? "FHIR " + type.Name + " of any resource, a patient's included" : null;

    /// <summary>The FHIR data types whose members say who someone is (a name, an address, a telecom, an identifier).</summary>
    public static bool IsPersonDataType(ITypeSymbol? type) => type is not null && IsModelType(type) && PersonDataTypes.Contains(type.Name);

    /// <summary>
    /// The member describes the record (Id, Meta, Status), not the person, or points at another resource
    /// (<c>Subject</c>, <c>Result</c>: a <c>ResourceReference</c> such as "Patient/123", which is judged where it points).
    /// </summary>
    public static bool IsBookkeeping(ISymbol member)
    {
        if (BookkeepingMembers.Contains(member.Name))
        {
            return true;
        }

        var type = member switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };
        var element = type is null ? null : PhiModel.GetElementType(type) ?? type;
        return element is not null && element.Name == "ResourceReference" && IsModelType(element);
    }

    /// <summary>Firely's serializers: <c>FhirJsonSerializer.SerializeToString</c>, <c>resource.ToJson()</c>, <c>ToXml()</c>.</summary>
    public static bool IsSerializer(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null || !TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Hl7.Fhir"))
        {
            return false;
        }

        return method.Name.StartsWith("Serialize", StringComparison.Ordinal) ||
               method.Name is "ToJson" or "ToJsonBytes" or "ToXml" or "ToXmlBytes" or "ToJObject" or "ToJsonAsync" or "ToXmlAsync";
    }
}
