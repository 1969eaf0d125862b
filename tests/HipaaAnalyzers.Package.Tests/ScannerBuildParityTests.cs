using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Package.Tests;

/// <summary>
/// hipaa-scan and <c>dotnet build</c> report the same findings on the same code. The solution has the clean-architecture
/// layout of real healthcare apps: records, entities and a constant key in a Domain project; a web app whose DbContext
/// stores the Domain entities, whose controller returns and logs Domain records and whose authorization attribute
/// comes from the Domain project; and a worker that formats Domain records. The scanner hands each project the others
/// as source, the build as their reference assemblies; the findings (rule, file, line, message) must be identical.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class ScannerBuildParityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    private readonly PackedPackagesFixture _fixture;
    private readonly ITestOutputHelper _output;

    public ScannerBuildParityTests(PackedPackagesFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void ThreeProjectSolution_ScannedAndBuilt_GivesIdenticalFindings()
    {
        _fixture.RequireAnalyzerPackage();
        var hipaaScan = _fixture.RequireHipaaScan();
        var root = _fixture.NewConsumerDirectory("parity");
        WriteSolution(root);

        var build = DotnetCli.Run(root, Timeout, new[] { "build", "Clinic.sln", "-m:1" }.Concat(DotnetCli.NoLingeringServers), PackedPackagesFixture.ConsumerEnvironment);
        _output.WriteLine(build.Describe());
        Assert.True(build.Succeeded, build.Describe());

        var built = new[] { "Clinic.Domain", "Clinic.Web", "Clinic.Worker" }
            .SelectMany(project => Results(Path.Combine(root, "src", project, "build.sarif"), root))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        var sarif = Path.Combine(root, "scan.sarif");
        var scan = ProcessRunner.Run(hipaaScan, root, Timeout, new[] { "Clinic.sln", "--sarif", sarif, "--fail-on", "none" },
            PackedPackagesFixture.ScannerEnvironment(), displayName: "hipaa-scan");
        _output.WriteLine(scan.Describe());
        Assert.True(scan.Succeeded, scan.Describe());
        var scanned = Results(sarif, root).Distinct().Order(StringComparer.Ordinal).ToList();

        _output.WriteLine("dotnet build:" + Environment.NewLine + string.Join(Environment.NewLine, built));
        _output.WriteLine("hipaa-scan:" + Environment.NewLine + string.Join(Environment.NewLine, scanned));
        Assert.Equal(string.Join(Environment.NewLine, built), string.Join(Environment.NewLine, scanned));

        // Findings that depend on reading the Domain project from the others, so the equality above says something.
        Assert.Contains(built, f => f.StartsWith("HIPAA002 src/Clinic.Web/PatientsController.cs:", StringComparison.Ordinal));
        Assert.Contains(built, f => f.StartsWith("HIPAA002 src/Clinic.Worker/Reminders.cs:", StringComparison.Ordinal));
        Assert.Contains(built, f => f.StartsWith("HIPAA005 src/Clinic.Web/ClinicDbContext.cs:", StringComparison.Ordinal) &&
                                    f.Contains("'Patient.Ssn' (declared in Clinic.Domain)", StringComparison.Ordinal));
        Assert.Contains(built, f => f.StartsWith("HIPAA201 src/Clinic.Web/Signer.cs:", StringComparison.Ordinal));
        Assert.Contains(built, f => f.StartsWith("HIPAA301 src/Clinic.Web/PatientsController.cs:", StringComparison.Ordinal));
        Assert.DoesNotContain(built, f => f.StartsWith("HIPAA303 ", StringComparison.Ordinal) && f.Contains("/summary'", StringComparison.Ordinal));
    }

    /// <summary>"rule path:line message" for each result of a SARIF 2.1.0 log, paths relative to <paramref name="root"/>.</summary>
    private static IEnumerable<string> Results(string sarifPath, string root)
    {
        Assert.True(File.Exists(sarifPath), "No SARIF log at " + sarifPath);
        using var document = JsonDocument.Parse(File.ReadAllText(sarifPath));
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            var baseUris = new Dictionary<string, string>(StringComparer.Ordinal);
            if (run.TryGetProperty("originalUriBaseIds", out var bases))
            {
                foreach (var entry in bases.EnumerateObject())
                {
                    baseUris[entry.Name] = new Uri(entry.Value.GetProperty("uri").GetString()!).LocalPath;
                }
            }

            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                var ruleId = result.GetProperty("ruleId").GetString()!;
                if (!ruleId.StartsWith("HIPAA", StringComparison.Ordinal) ||
                    result.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0)
                {
                    continue;
                }

                var message = result.GetProperty("message").GetProperty("text").GetString();
                var physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                var artifact = physical.GetProperty("artifactLocation");
                var uri = artifact.GetProperty("uri").GetString()!;
                string path;
                if (Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile)
                {
                    path = absolute.LocalPath;
                }
                else
                {
                    var baseDirectory = artifact.TryGetProperty("uriBaseId", out var baseId) && baseUris.TryGetValue(baseId.GetString()!, out var b) ? b : root;
                    path = Path.Combine(baseDirectory, Uri.UnescapeDataString(uri));
                }

                var line = physical.GetProperty("region").GetProperty("startLine").GetInt32();
                yield return $"{ruleId} {Path.GetRelativePath(root, path).Replace('\\', '/')}:{line} {message}";
            }
        }
    }

    private void WriteSolution(string root)
    {
        var version = _fixture.Version;
        string Project(string sdk, string items) => $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ErrorLog>$(MSBuildProjectDirectory)/build.sarif,version=2.1</ErrorLog>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="HipaaAnalyzers" Version="{version}" PrivateAssets="all" />
                {items}
              </ItemGroup>
            </Project>
            """;

        var files = new Dictionary<string, string>
        {
            ["src/Clinic.Domain/Clinic.Domain.csproj"] = Project("Microsoft.NET.Sdk", """<FrameworkReference Include="Microsoft.AspNetCore.App" />"""),
            ["src/Clinic.Domain/Model.cs"] = """
                using Microsoft.AspNetCore.Authorization;

                namespace Clinic.Domain;

                public record PatientDto(int Id, string FullName, string Ssn, DateTime DateOfBirth);

                public sealed record AppointmentDto(int Id, DateTime StartsAt, string ReasonForVisit);

                public class Patient
                {
                    public int Id { get; set; }
                    public string FirstName { get; set; } = "";
                    public string Ssn { get; set; } = "";
                    public string Diagnosis { get; set; } = "";
                }

                public interface IPatientService
                {
                    Task<PatientDto?> FindAsync(int id);
                }

                public sealed class RequirePermissionAttribute : AuthorizeAttribute
                {
                    public RequirePermissionAttribute(string permission) : base("Permission:" + permission)
                    {
                    }
                }

                public static class Keys
                {
                    public const string SigningKey = "c2VjcmV0LXNpZ25pbmcta2V5LWZvci10aGUtY2xpbmlj";
                }

                public static class Formatting
                {
                    public static string Label(PatientDto patient) => patient.FullName + " " + patient.Ssn;
                }
                """,
            ["src/Clinic.Web/Clinic.Web.csproj"] = Project("Microsoft.NET.Sdk.Web", """
                <ProjectReference Include="../Clinic.Domain/Clinic.Domain.csproj" />
                    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="10.0.4" />
                """),
            ["src/Clinic.Web/Program.cs"] = """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddControllers();
                var app = builder.Build();
                app.MapControllers();
                app.Run();
                """,
            ["src/Clinic.Web/ClinicDbContext.cs"] = """
                using Clinic.Domain;
                using Microsoft.EntityFrameworkCore;

                namespace Clinic.Web;

                public sealed class ClinicDbContext : DbContext
                {
                    public DbSet<Patient> Patients => Set<Patient>();
                }
                """,
            ["src/Clinic.Web/PatientsController.cs"] = """
                using Clinic.Domain;
                using Microsoft.AspNetCore.Mvc;

                namespace Clinic.Web;

                [ApiController]
                [Route("api/patients")]
                public sealed class PatientsController : ControllerBase
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
                        return patient is null ? NotFound() : patient;
                    }

                    [RequirePermission("patients.read")]
                    [HttpGet("{id}/summary")]
                    public async Task<PatientDto?> Summary(int id) => await _patients.FindAsync(id);
                }
                """,
            ["src/Clinic.Web/Signer.cs"] = """
                using System.Security.Cryptography;
                using System.Text;
                using Clinic.Domain;

                namespace Clinic.Web;

                public static class Signer
                {
                    public static byte[] Sign(byte[] data)
                    {
                        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Keys.SigningKey));
                        return hmac.ComputeHash(data);
                    }
                }
                """,
            ["src/Clinic.Worker/Clinic.Worker.csproj"] = Project("Microsoft.NET.Sdk", """<ProjectReference Include="../Clinic.Domain/Clinic.Domain.csproj" />"""),
            ["src/Clinic.Worker/Reminders.cs"] = """
                using Clinic.Domain;

                namespace Clinic.Worker;

                public static class Reminders
                {
                    public static void Remind(PatientDto patient, AppointmentDto appointment)
                    {
                        Console.WriteLine($"Reminder for {patient}");
                        Console.WriteLine("Reason: " + appointment.ReasonForVisit);
                        Console.WriteLine(Formatting.Label(patient));
                    }

                    public static void Main()
                    {
                    }
                }
                """,
            [".editorconfig"] = "root = true",
        };

        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        }

        var solution = DotnetCli.Run(root, Timeout, new[] { "new", "sln", "--name", "Clinic", "--format", "sln" }, PackedPackagesFixture.ConsumerEnvironment);
        Assert.True(solution.Succeeded, solution.Describe());
        var add = DotnetCli.Run(root, Timeout, new[]
        {
            "sln", "Clinic.sln", "add",
            "src/Clinic.Domain/Clinic.Domain.csproj", "src/Clinic.Web/Clinic.Web.csproj", "src/Clinic.Worker/Clinic.Worker.csproj",
        }, PackedPackagesFixture.ConsumerEnvironment);
        Assert.True(add.Succeeded, add.Describe());
    }
}
