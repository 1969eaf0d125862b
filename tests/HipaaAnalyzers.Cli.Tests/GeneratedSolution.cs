using System.Collections.Generic;
using System.IO;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// A three-project solution (.slnx) written into a temporary folder: a domain library, an ASP.NET Core app with minimal
/// APIs, a route group, a controller, a fallback policy and its own .editorconfig, and a console tool. It needs no NuGet
/// package, so it restores offline. A trailing "// HIPAA00N" comment marks each line that must be reported.
/// </summary>
public static class GeneratedSolution
{
    public const string SolutionFile = "Clinic.slnx";

    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        [SolutionFile] = """
            <Solution>
              <Folder Name="/src/">
                <Project Path="src/Clinic.Domain/Clinic.Domain.csproj" />
                <Project Path="src/Clinic.Web/Clinic.Web.csproj" />
              </Folder>
              <Folder Name="/tools/">
                <Project Path="tools/Clinic.Reports/Clinic.Reports.csproj" />
              </Folder>
            </Solution>
            """,

        ["src/Clinic.Domain/Clinic.Domain.csproj"] = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """,

        // The team's own copy of the runtime's API: the analyzers match by name, the fixes call Phi.Redact.
        ["src/Clinic.Domain/Privacy.cs"] = """
            namespace HipaaAnalyzers.Runtime;

            [AttributeUsage(AttributeTargets.All)]
            public sealed class PhiAttribute : Attribute
            {
            }

            [AttributeUsage(AttributeTargets.All)]
            public sealed class NotPhiAttribute : Attribute
            {
            }

            public static class Phi
            {
                public static string Redact(object? value) => "[REDACTED]";

                public static string Pseudonymize(object? value) => "p-" + (value?.GetHashCode() ?? 0).ToString("x8");
            }
            """,

        ["src/Clinic.Domain/Patient.cs"] = """
            using System.Diagnostics;
            using HipaaAnalyzers.Runtime;

            namespace Clinic.Domain;

            public sealed class Patient
            {
                public int Id { get; set; }

                public string Ssn { get; set; } = string.Empty;

                [Phi]
                public string Notes { get; set; } = string.Empty;

                public string Email { get; set; } = string.Empty;

                [NotPhi]
                public string Ward { get; set; } = string.Empty;
            }

            [Phi]
            public sealed class LabOrder
            {
                public int Id { get; set; }

                public string Code { get; set; } = string.Empty;
            }

            public sealed class Registry
            {
                private readonly List<Patient> _patients = new();

                public Patient Register(Patient patient)
                {
                    if (_patients.Any(p => p.Ssn == patient.Ssn))
                    {
                        throw new InvalidOperationException($"Patient {patient.Ssn} is already registered"); // HIPAA003
                    }

                    Trace.TraceInformation("Registered patient with notes " + patient.Notes); // HIPAA001
                    Trace.TraceInformation("Registered patient {0} on ward {1}", patient.Id, patient.Ward); // compliant
                    _patients.Add(patient);
                    return patient;
                }

                public Patient? Find(int id) => _patients.FirstOrDefault(p => p.Id == id);
            }
            """,

        ["src/Clinic.Web/Clinic.Web.csproj"] = """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="..\Clinic.Domain\Clinic.Domain.csproj" />
              </ItemGroup>
            </Project>
            """,

        // This project's own settings: HIPAA003 is an error here, and "chart code" names PHI.
        ["src/Clinic.Web/.editorconfig"] = """
            [*.cs]
            dotnet_diagnostic.HIPAA003.severity = error
            hipaa_analyzers.phi_names = chart code
            """,

        ["src/Clinic.Web/Audit.cs"] = """
            namespace Clinic.Web;

            public enum AuditAction
            {
                Viewed,
                Modified,
                Deleted,
            }

            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
            public sealed class AuditPhiAccessAttribute : Attribute
            {
                public AuditPhiAccessAttribute(AuditAction action) => Action = action;

                public AuditAction Action { get; }
            }

            public static class AuditEndpointExtensions
            {
                public static TBuilder AuditPhiAccess<TBuilder>(this TBuilder builder, AuditAction action)
                    where TBuilder : IEndpointConventionBuilder => builder;
            }
            """,

        ["src/Clinic.Web/Program.cs"] = """
            using Clinic.Domain;
            using Clinic.Web;
            using Microsoft.AspNetCore.Authorization;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthorization(options =>
            {
                options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
                options.AddPolicy("Clinician", policy => policy.RequireRole("Doctor", "Nurse"));
            });
            builder.Services.AddControllers();
            builder.Services.AddSingleton<Registry>();

            var app = builder.Build();
            app.UseAuthorization();
            app.MapControllers();

            var patients = app.MapGroup("/api/patients").RequireAuthorization("Clinician");
            patients.AuditPhiAccess(AuditAction.Viewed);
            patients.MapGet("/{id:int}", (int id, Registry registry) => registry.Find(id) is { } patient ? Results.Ok(patient) : Results.NotFound());
            patients.MapPost("/", (Patient patient, Registry registry, ILogger<Registry> logger) =>
            {
                logger.LogInformation("Registering patient {Ssn}", patient.Ssn); // HIPAA001
                return Results.Created($"/api/patients/{patient.Id}", registry.Register(patient));
            });

            app.MapGet("/health", () => "ok").AllowAnonymous();
            app.MapGet("/visits/{chartCode}", (string chartCode, ILogger<Registry> logger) =>
            {
                logger.LogInformation("Visit lookup for chart {ChartCode}", chartCode); // HIPAA001
                if (chartCode.Length > 12)
                {
                    throw new ArgumentException($"Unknown chart {chartCode}"); // HIPAA003
                }

                return Results.Ok();
            }).RequireAuthorization("Clinician").AuditPhiAccess(AuditAction.Viewed);

            app.Run();
            """,

        ["src/Clinic.Web/LabOrdersController.cs"] = """
            using Clinic.Domain;
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.AspNetCore.Mvc;

            namespace Clinic.Web;

            [ApiController]
            [Route("api/[controller]")]
            [Authorize(Roles = "Doctor")]
            public sealed class LabOrdersController : ControllerBase
            {
                private readonly ILogger<LabOrdersController> _logger;

                public LabOrdersController(ILogger<LabOrdersController> logger) => _logger = logger;

                [HttpGet("{id:int}")]
                [AuditPhiAccess(AuditAction.Viewed)]
                public ActionResult<LabOrder> Get(int id)
                {
                    var order = new LabOrder { Id = id, Code = "CBC" };
                    _logger.LogInformation("Lab order {Code} opened", order.Code); // HIPAA001
                    return order;
                }

                [HttpDelete("{id:int}")]
                [AllowAnonymous]
                public IActionResult Delete(int id)
                {
                    _logger.LogInformation("Lab order {OrderId} deleted", id); // compliant
                    return NoContent();
                }
            }
            """,

        ["tools/Clinic.Reports/Clinic.Reports.csproj"] = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="..\..\src\Clinic.Domain\Clinic.Domain.csproj" />
              </ItemGroup>
            </Project>
            """,

        ["tools/Clinic.Reports/Program.cs"] = """
            using Clinic.Domain;

            var registry = new Registry();
            var patient = registry.Register(new Patient { Id = 7, Ssn = "000-00-0000" });
            var card = new PatientCard(patient.Id, patient.Ssn);
            Console.WriteLine($"Printed card {card}"); // HIPAA002
            Console.WriteLine($"Printed card for patient {patient.Id}"); // compliant

            public sealed record PatientCard(int Id, string Ssn);
            """,
    };

    /// <summary>Writes the solution into <paramref name="directory"/> and returns the solution file's path.</summary>
    public static string WriteTo(string directory)
    {
        foreach (var (relative, content) in Files)
        {
            var path = Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content.ReplaceLineEndings("\n") + "\n");
        }

        // A root .editorconfig, so nothing above the temporary folder changes how the projects are analyzed.
        File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n");
        return Path.Combine(directory, SolutionFile);
    }
}
