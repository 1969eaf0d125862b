using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>FHIR resources of the Firely SDK (Hl7.Fhir.R4) in the PHI model, the log rules and the endpoint rules, against the real package.</summary>
public class FhirResourceTests
{
    private static Task VerifyAsync<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        Create<TAnalyzer>(source).RunAsync(CancellationToken.None);

    /// <summary>A test of <typeparamref name="TAnalyzer"/> on <paramref name="source"/>, compiled with ASP.NET Core, the runtime and the Firely SDK.</summary>
    private static CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> Create<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
        };
        test.TestState.Sources.Add((AspNetCoreRuntime.Path, AspNetCoreRuntime.Source));
        test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
        test.TestState.AdditionalReferences.AddRange(FhirReferences.All);
        return test;
    }

    [Fact]
    public Task Logging_a_patient_resources_members_or_an_observation_is_reported() => VerifyAsync<HIPAA001PhiInLogAnalyzer>(@"
using System.Linq;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
class LabService
{
    void Run(ILogger log, Patient patient, Observation observation, ValueSet valueSet, CapabilityStatement capabilities)
    {
        log.LogInformation(""Born {BirthDate}"", {|HIPAA001:patient.BirthDate|});
        log.LogInformation(""Family {Family}"", {|HIPAA001:patient.Name[0].Family|});
        log.LogInformation(""Phone {Phone}"", {|HIPAA001:patient.Telecom.FirstOrDefault()?.Value|});
        log.LogInformation(""Result {Value}"", {|HIPAA001:observation.Value|});
        log.LogInformation(""Patient {Id} version {Version}"", patient.Id, patient.Meta?.VersionId);
        log.LogInformation(""Subject {Subject}"", observation.Subject.Reference);
        foreach (var member in observation.HasMember)
        {
            log.LogWarning(""Referenced observation '{Reference}' does not exist"", member.Reference);
        }

        log.LogInformation(""Value set {Name} {Url}"", valueSet.Name, valueSet.Url);
        log.LogInformation(""Server {Name}"", capabilities.Name);
    }
}");

    [Fact]
    public Task Logging_a_resource_whole_or_serialized_is_reported_and_conformance_resources_are_not() => VerifyAsync<HIPAA002PhiObjectLoggedWholeAnalyzer>(@"
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Logging;
class FhirService
{
    void Run(ILogger log, Patient patient, Bundle bundle, Resource resource, ValueSet valueSet, StructureDefinition profile)
    {
        log.LogInformation(""Created {@Patient}"", {|HIPAA002:patient|});
        log.LogInformation(""Search result {@Bundle}"", {|HIPAA002:bundle|});
        log.LogInformation(""Stored {@Resource}"", {|HIPAA002:resource|});
        log.LogInformation(""Body {Json}"", new FhirJsonSerializer().SerializeToString({|HIPAA002:patient|}));
        log.LogInformation(""Loaded {@ValueSet} {@Profile}"", valueSet, profile);
    }
}");

    private const string FhirController = @"
using System.Threading.Tasks;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

[ApiController]
[Route(""fhir"")]
public class FhirController : ControllerBase
{
    private readonly IFhirStore _store = null!;

    [HttpGet(""{type}/{id}"")]
    public async Task<IActionResult> {|#0:Read|}(string type, string id)
    {
        Resource resource = await _store.ReadAsync(type, id);
        return Ok(resource);
    }

    [HttpPost(""{type}"")]
    public async Task<IActionResult> {|#1:Create|}(string type, [FromBody] Resource resource) => Ok(await _store.CreateAsync(resource));

    [HttpGet(""Patient/{id}"")]
    public Task<Patient> {|#2:ReadPatient|}(string id) => _store.ReadPatientAsync(id);

    [HttpGet(""metadata"")]
    public CapabilityStatement Metadata() => new CapabilityStatement();

    [HttpGet(""ValueSet/{id}"")]
    public Task<ValueSet> ReadValueSet(string id) => _store.ReadValueSetAsync(id);
}

public interface IFhirStore
{
    Task<Resource> ReadAsync(string type, string id);
    Task<Resource> CreateAsync(Resource resource);
    Task<Patient> ReadPatientAsync(string id);
    Task<ValueSet> ReadValueSetAsync(string id);
}
";

    [Fact]
    public Task A_fhir_api_without_authorization_is_reported_for_its_resources_not_its_conformance_endpoints() =>
        VerifyControllerAsync<HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>("HIPAA301");

    [Fact]
    public Task A_fhir_api_without_audit_is_reported() => VerifyControllerAsync<HIPAA401PhiEndpointWithoutAuditAnalyzer>("HIPAA401");

    /// <summary>The FHIR controller, with the rule expected on the resource endpoints (Read, Create, ReadPatient) and not on metadata or ValueSet.</summary>
    private static async Task VerifyControllerAsync<TAnalyzer>(string id)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = Create<TAnalyzer>(FhirController);
        for (int location = 0; location < 3; location++)
        {
            test.ExpectedDiagnostics.Add(new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(location));
        }

        await test.RunAsync(CancellationToken.None);
    }
}
