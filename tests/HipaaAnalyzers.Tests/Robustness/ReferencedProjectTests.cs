using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Tests.Robustness;

/// <summary>
/// A project that references another project of the solution gets the same findings whether that project reaches the
/// compiler as source (the IDE and hipaa-scan hand it over as a compilation) or as its reference assembly (what
/// <c>dotnet build</c> hands over: public and internal members, no method bodies, no private members). The code is in
/// the shape of clean-architecture healthcare apps: records, entities, DTOs, service interfaces, a base controller,
/// an audit filter and an authorization attribute in a Domain project; the DbContext, controllers and services in the
/// app that references it.
/// </summary>
public sealed class ReferencedProjectTests
{
    private const string Domain = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        namespace Clinic.Domain
        {
            public record PatientDto(int Id, string FullName, string Ssn, DateTime DateOfBirth);

            public record PatientSummary(int Id, string Ward)
            {
                public string Label => "Ward " + Ward;
            }

            public sealed record AppointmentDto(int Id, DateTime StartsAt, string ReasonForVisit);

            public class Patient
            {
                private string _internalNote = "";

                public int Id { get; set; }
                public string FirstName { get; set; } = "";
                public string LastName { get; set; } = "";
                public string Ssn { get; set; } = "";
                public DateOnly DateOfBirth { get; set; }
                public string Diagnosis { get; set; } = "";
                public string MedicalRecordNumber { get; private set; } = "";
                public string DisplayName => FirstName + " " + LastName;
                public List<Appointment> Appointments { get; set; } = new();
                public override string ToString() => FirstName + " " + LastName + _internalNote;
            }

            public class Appointment
            {
                public int Id { get; set; }
                public int PatientId { get; set; }
                public Patient? Patient { get; set; }
                public string ChiefComplaint { get; set; } = "";
            }

            public class MedicalRecord
            {
                public Guid Id { get; private set; } = Guid.NewGuid();
                public int PatientId { get; private set; }
                public string ChiefComplaint { get; private set; } = "";

                public static MedicalRecord Create(int patientId, string chiefComplaint) =>
                    new MedicalRecord { PatientId = patientId, ChiefComplaint = chiefComplaint };
            }

            public class Specialty
            {
                public int Id { get; set; }
                public string Name { get; set; } = "";
            }

            public interface IPatientService
            {
                Task<PatientDto?> FindAsync(int id);
                Task<IReadOnlyList<PatientSummary>> WardAsync(string ward);
                Task<IReadOnlyList<Specialty>> SpecialtiesAsync();
            }

            public interface IAuditLog
            {
                Task RecordAsync(string action, int subjectId);
            }

            public sealed class AuditActionFilter : IAsyncActionFilter
            {
                private readonly IAuditLog _audit;

                public AuditActionFilter(IAuditLog audit) => _audit = audit;

                public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
                {
                    await _audit.RecordAsync(context.ActionDescriptor.DisplayName ?? "", 0);
                    await next();
                }
            }

            public sealed class RequirePermissionAttribute : AuthorizeAttribute
            {
                public RequirePermissionAttribute(string permission) : base("Permission:" + permission)
                {
                }
            }

            [ApiController]
            public abstract class ClinicControllerBase : ControllerBase
            {
                protected ActionResult<T> HandleResult<T>(T? value) where T : class => value is null ? NotFound() : Ok(value);
            }

            public static class PatientFormatting
            {
                public static string Describe(PatientDto patient) => patient.FullName + " (" + patient.Ssn + ")";

                public static string SsnOf(PatientDto patient) => "***-**-" + patient.Ssn.Substring(patient.Ssn.Length - 4);
            }

            public static class Keys
            {
                public const string SigningKey = "c2VjcmV0LXNpZ25pbmcta2V5LWZvci10aGUtY2xpbmlj";
            }
        }
        """;

    private const string App = """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Security.Cryptography;
        using System.Text;
        using System.Threading.Tasks;
        using Clinic.Domain;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.Logging;

        namespace Clinic.Web
        {
            public sealed class ClinicDbContext : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                public DbSet<Appointment> Appointments => Set<Appointment>();
                public DbSet<Specialty> Specialties => Set<Specialty>();
            }

            [Route("api/patients")]
            public sealed class PatientsController : ClinicControllerBase
            {
                private readonly IPatientService _patients;
                private readonly ILogger<PatientsController> _logger;

                public PatientsController(IPatientService patients, ILogger<PatientsController> logger)
                {
                    _patients = patients;
                    _logger = logger;
                }

                [HttpGet("{id}")]
                public async Task<ActionResult<PatientDto>> Get(int id)
                {
                    var patient = await _patients.FindAsync(id);
                    _logger.LogInformation("Loaded {Patient}", patient);
                    if (patient is not null)
                    {
                        _logger.LogInformation("Loaded " + PatientFormatting.Describe(patient));
                        _logger.LogInformation("Born {Born}", patient.DateOfBirth);
                        _logger.LogInformation("Last digits {Digits}", PatientFormatting.SsnOf(patient));
                    }

                    return HandleResult(patient);
                }

                [HttpGet("ward/{ward}")]
                public async Task<IReadOnlyList<PatientSummary>> Ward(string ward)
                {
                    var summaries = await _patients.WardAsync(ward);
                    foreach (var summary in summaries)
                    {
                        _logger.LogInformation("Listed {Label}", summary.Label);
                    }

                    return summaries;
                }

                [Authorize]
                [HttpGet("by-ssn")]
                public async Task<ActionResult<PatientDto>> BySsn([FromQuery] string ssn)
                {
                    var found = await _patients.FindAsync(ssn.Length);
                    if (found is null)
                    {
                        throw new InvalidOperationException("No patient " + found?.FullName + " " + ssn);
                    }

                    return found;
                }

                [RequirePermission("patients.read")]
                [HttpGet("{id}/summary")]
                public async Task<PatientDto?> Summary(int id) => await _patients.FindAsync(id);

                [AllowAnonymous]
                [HttpGet("specialties")]
                public async Task<IReadOnlyList<Specialty>> Specialties() => await _patients.SpecialtiesAsync();
            }

            public sealed record CreateRecordCommand(int PatientId, string ChiefComplaint);

            public sealed class RecordHandler
            {
                private readonly ILogger<RecordHandler> _logger;

                public RecordHandler(ILogger<RecordHandler> logger) => _logger = logger;

                public Guid Handle(CreateRecordCommand command)
                {
                    var record = MedicalRecord.Create(command.PatientId, command.ChiefComplaint);
                    _logger.LogInformation("Created medical record {RecordId} for patient {PatientId}", record.Id, record.PatientId);
                    return record.Id;
                }
            }

            public sealed class Notifier
            {
                private readonly HttpClient _http = new();

                public Task Send(PatientDto patient, AppointmentDto appointment) =>
                    _http.GetAsync("https://sms.example.org/send?to=" + patient.FullName + "&why=" + appointment.ReasonForVisit);

                public byte[] Sign(byte[] data)
                {
                    using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Keys.SigningKey));
                    return hmac.ComputeHash(data);
                }

                public void Admit(ILogger logger, Patient patient) => logger.LogInformation("Admitted {Patient}", patient);

                public string Hash(Patient patient) =>
                    Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(patient.Ssn)));
            }
        }
        """;

    private readonly ITestOutputHelper _output;

    public ReferencedProjectTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Findings_AreTheSame_WhetherTheReferencedProjectIsSourceOrItsReferenceAssembly()
    {
        var references = await AnalyzerHost.ReferencesAsync();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var domain = CSharpCompilation.Create(
            "Clinic.Domain",
            new[] { CSharpSyntaxTree.ParseText(Domain, AnalyzerHost.ParseOptions, path: "Domain/Model.cs") },
            references,
            options);
        Assert.Empty(domain.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        using var image = new MemoryStream();
        var emitted = domain.Emit(image, options: new EmitOptions(metadataOnly: true, includePrivateMembers: false));
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        var asBuilt = MetadataReference.CreateFromImage(image.ToArray(), filePath: "Clinic.Domain.dll");

        var appTree = CSharpSyntaxTree.ParseText(App, AnalyzerHost.ParseOptions, path: "Web/App.cs");
        var fromSource = await FindingsAsync(CSharpCompilation.Create("Clinic.Web", new[] { appTree }, references.Add(domain.ToMetadataReference()), options));
        var fromMetadata = await FindingsAsync(CSharpCompilation.Create("Clinic.Web", new[] { appTree }, references.Add(asBuilt), options));

        _output.WriteLine("As source:" + Environment.NewLine + string.Join(Environment.NewLine, fromSource));
        _output.WriteLine("As the reference assembly:" + Environment.NewLine + string.Join(Environment.NewLine, fromMetadata));
        Assert.Equal(string.Join(Environment.NewLine, fromMetadata), string.Join(Environment.NewLine, fromSource));

        // What the shapes are here for: a record's generated ToString, a method whose name says SSN, whose body is in
        // the other project, and a custom attribute whose policy cannot be read there (it narrows).
        Assert.Contains(fromSource, f => f.StartsWith("HIPAA002 Web/App.cs:38 'PatientDto'", StringComparison.Ordinal));
        Assert.Contains(fromSource, f => f.StartsWith("HIPAA001 ", StringComparison.Ordinal) && f.Contains("'PatientFormatting.SsnOf()'", StringComparison.Ordinal));
        Assert.DoesNotContain(fromSource, f => f.StartsWith("HIPAA303 ", StringComparison.Ordinal) && f.Contains("/summary'", StringComparison.Ordinal));

        // A column with a private setter (which EF Core maps, and a reference assembly leaves out) is stored; a computed
        // property is not.
        Assert.Contains(fromSource, f => f.StartsWith("HIPAA005 ", StringComparison.Ordinal) && f.Contains("'Patient.MedicalRecordNumber'", StringComparison.Ordinal));
        Assert.DoesNotContain(fromSource, f => f.Contains("'Patient.DisplayName'", StringComparison.Ordinal));

        // What a factory of the other project returns is judged by its members, not assumed to hold the arguments.
        Assert.DoesNotContain(fromSource, f => f.Contains("CreateRecordCommand.ChiefComplaint", StringComparison.Ordinal));
        Assert.Contains(fromSource, f => f.StartsWith("HIPAA005 ", StringComparison.Ordinal) && f.Contains("'Patient.Ssn' (declared in Clinic.Domain)", StringComparison.Ordinal));
    }

    private static async Task<ImmutableArray<string>> FindingsAsync(Compilation compilation)
    {
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var run = await AnalyzerHost.AnalyzeAsync(compilation, document: null, options: null, CancellationToken.None);
        Assert.Empty(run.Exceptions);
        return run.Diagnostics
            .Select(d => $"{d.Id} {d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToImmutableArray();
    }
}
