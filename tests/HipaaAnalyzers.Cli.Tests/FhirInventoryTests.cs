using System;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// hipaa-scan on a FHIR server built on the Firely SDK (the real Hl7.Fhir.R4 package, restored from the package
/// source): the HTML report's PHI inventory lists the members that hold FHIR resources about a person, and its endpoint
/// inventory shows the FHIR API's endpoints as handling PHI, while a conformance resource is left out of both.
/// </summary>
public sealed class FhirInventoryTests
{
    private readonly ITestOutputHelper _output;

    public FhirInventoryTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Html_inventories_show_fhir_resources_and_fhir_endpoints()
    {
        var directory = TestPaths.NewTempDirectory("fhir-server");
        try
        {
            Write(directory, "FhirServer.csproj", """
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Hl7.Fhir.R4" Version="6.8.0" />
                  </ItemGroup>
                </Project>
                """);
            Write(directory, ".editorconfig", "root = true");
            Write(directory, "Program.cs", """
                using Hl7.Fhir.Model;
                using FhirServer;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddControllers();
                builder.Services.AddSingleton<ResourceStore>();
                var app = builder.Build();
                app.MapControllers();
                app.MapGet("/fhir/metadata", () => new CapabilityStatement { Status = PublicationStatus.Active });
                app.MapGet("/fhir/Observation/{id}", (string id, ResourceStore store) => store.Observation(id));
                app.Run();
                """);
            Write(directory, "ResourceStore.cs", """
                using Hl7.Fhir.Model;

                namespace FhirServer;

                public sealed class ResourceStore
                {
                    public Patient? LastPatient { get; set; }

                    public ValueSet? Codes { get; set; }

                    public Observation? Observation(string id) => null;

                    public Resource? Read(string type, string id) => null;
                }
                """);
            Write(directory, "FhirController.cs", """
                using Hl7.Fhir.Model;
                using Microsoft.AspNetCore.Mvc;

                namespace FhirServer;

                [ApiController]
                [Route("fhir")]
                public sealed class FhirController : ControllerBase
                {
                    private readonly ResourceStore _store;

                    public FhirController(ResourceStore store) => _store = store;

                    [HttpGet("{type}/{id}")]
                    public ActionResult<Resource> Read(string type, string id) => _store.Read(type, id) is { } found ? found : NotFound();

                    [HttpPost("Patient")]
                    public IActionResult Create(Patient patient)
                    {
                        _store.LastPatient = patient;
                        return Ok();
                    }
                }
                """);

            var html = Path.Combine(directory, "report.html");
            var scan = ProcessRunner.HipaaScan(directory, "FhirServer.csproj", "--html", html, "--fail-on", "none");
            _output.WriteLine(scan.Describe());
            Assert.True(scan.ExitCode is 0 or 1, scan.Describe());
            var report = File.ReadAllText(html);

            // The PHI inventory: the members that hold a Patient resource, not the one that holds a ValueSet.
            Assert.Matches(Member("ResourceStore.LastPatient", "FHIR Patient resource, about a person"), report);
            Assert.Matches(Member("FhirController.Create(patient)", "FHIR Patient resource, about a person"), report);
            Assert.DoesNotContain("<code>ResourceStore.Codes</code>", report);
            Assert.Contains("2 holding FHIR resources", scan.StandardOutput, StringComparison.Ordinal);

            // The endpoint inventory: the FHIR API handles PHI; the capability statement does not.
            Assert.Matches(EndpointHandling("GET", "/fhir/{type}/{id}", "returns Resource"), report);
            Assert.Matches(EndpointHandling("POST", "/fhir/Patient", "takes Patient"), report);
            Assert.Matches(EndpointHandling("GET", "/fhir/Observation/{id}", "returns Observation"), report);
            Assert.DoesNotMatch(EndpointHandling("GET", "/fhir/metadata", "CapabilityStatement"), report);
            Assert.DoesNotContain("(0 handle PHI)", report, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A process still holding a file; the temp folder is cleaned up eventually.
            }
        }
    }

    private static Regex Member(string member, string why) =>
        new("<code>" + Regex.Escape(member) + "</code>[^\\n]*?" + Regex.Escape(why) + "[^\\n]*?FHIR resource");

    private static Regex EndpointHandling(string verb, string route, string handles) =>
        new("<span class=\"verb\">" + verb + "</span></td><td><code>" + Regex.Escape(route) + "</code>[^\\n]*?" + Regex.Escape(handles));

    private static void Write(string directory, string name, string text) =>
        File.WriteAllText(Path.Combine(directory, name), text.ReplaceLineEndings("\n") + "\n");
}
