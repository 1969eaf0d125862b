using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>Writes <see cref="GeneratedSolution"/> into a temporary folder and scans the folder once.</summary>
public sealed class GeneratedSolutionFixture : IDisposable
{
    public GeneratedSolutionFixture()
    {
        Directory = TestPaths.NewTempDirectory("generated-solution");
        GeneratedSolution.WriteTo(Directory);
        SarifPath = Path.Combine(TestPaths.Artifacts, "generated-solution.sarif");
        HtmlPath = Path.Combine(TestPaths.Artifacts, "generated-solution.html");
        File.Delete(SarifPath);
        File.Delete(HtmlPath);

        // The folder, not the file: the scanner finds the one solution in it.
        Result = ProcessRunner.HipaaScan(Directory, ".", "--sarif", SarifPath, "--html", HtmlPath, "--fail-on", "error");
    }

    public string Directory { get; }

    public ProcessResult Result { get; }

    public string SarifPath { get; }

    public string HtmlPath { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file; the temp folder is cleaned up eventually.
        }
    }
}

/// <summary>hipaa-scan on a generated three-project solution: every project, each with its own .editorconfig.</summary>
public sealed class GeneratedSolutionTests : IClassFixture<GeneratedSolutionFixture>
{
    private readonly GeneratedSolutionFixture _scan;

    public GeneratedSolutionTests(GeneratedSolutionFixture scan, ITestOutputHelper output)
    {
        _scan = scan;
        output.WriteLine(scan.Result.Describe());
    }

    [Fact]
    public void Scans_every_project_of_the_solution_with_progress_per_project()
    {
        Assert.False(_scan.Result.TimedOut, _scan.Result.Describe());
        foreach (var project in new[] { "Clinic.Domain", "Clinic.Web", "Clinic.Reports" })
        {
            Assert.Matches(new Regex(@"\[\d/3\] " + Regex.Escape(project) + @" \(net10\.0\): \d+ findings? in "), _scan.Result.StandardError);
        }

        var sarif = Sarif.Load(_scan.SarifPath);
        Assert.Equal(
            new[] { "Clinic.Domain", "Clinic.Reports", "Clinic.Web" },
            sarif.Results.Select(r => r.Project).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Sarif_results_are_exactly_the_marked_lines_with_paths_relative_to_the_solution()
    {
        var sarif = Sarif.Load(_scan.SarifPath);
        var expected = Markers.Read(_scan.Directory, _scan.Directory)
            .Select(m => $"{m.RelativePath}:{m.Line} {m.RuleId}")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var actual = sarif.Results
            .Select(r => $"{r.Uri}:{r.StartLine} {r.RuleId}")
            .Distinct()
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, actual);
        Assert.All(sarif.Results, r => Assert.Equal("%SRCROOT%", r.UriBaseId));
    }

    [Fact]
    public void Each_project_uses_its_own_editorconfig_for_severities_and_options()
    {
        var sarif = Sarif.Load(_scan.SarifPath);

        // dotnet_diagnostic.HIPAA003.severity = error applies to Clinic.Web only.
        var web = Assert.Single(sarif.Results, r => r.RuleId == "HIPAA003" && r.Project == "Clinic.Web");
        Assert.Equal("error", web.Level);
        var domain = Assert.Single(sarif.Results, r => r.RuleId == "HIPAA003" && r.Project == "Clinic.Domain");
        Assert.Equal("warning", domain.Level);

        // hipaa_analyzers.phi_names = chart code makes chartCode PHI in Clinic.Web.
        Assert.Contains(sarif.Results, r => r.RuleId == "HIPAA001" && r.Message.Contains("'chartCode' (name: configured PHI name)", StringComparison.Ordinal));

        // An error-level finding with --fail-on error.
        Assert.Equal(1, _scan.Result.ExitCode);
    }

    [Fact]
    public void Html_report_lists_the_phi_inventory_with_reasons()
    {
        var html = File.ReadAllText(_scan.HtmlPath);
        Assert.Matches(Row("Patient.Ssn", "name: social security number", "name heuristic"), html);
        Assert.Matches(Row("Patient.Notes", "[Phi]", "attribute"), html);
        Assert.Matches(Row("LabOrder.Code", "member of [Phi] type LabOrder", "type attribute"), html);
        Assert.DoesNotContain("<code>Patient.Ward</code>", html);
    }

    [Fact]
    public void Html_report_lists_endpoints_with_routes_authorization_and_audit()
    {
        var html = File.ReadAllText(_scan.HtmlPath);
        Assert.Matches(Endpoint("GET", "/api/patients/{id:int}", "policy Clinician", "audited (Viewed)"), html);
        Assert.Matches(Endpoint("POST", "/api/patients", "policy Clinician", "audited (Viewed)"), html);
        Assert.Matches(Endpoint("GET", "/health", "anonymous", "not audited"), html);
        Assert.Matches(Endpoint("GET", "/visits/{chartCode}", "policy Clinician", "audited (Viewed)"), html);
        Assert.Matches(Endpoint("GET", "/api/LabOrders/{id:int}", "role Doctor", "audited (Viewed)"), html);
        Assert.Matches(Endpoint("DELETE", "/api/LabOrders/{id:int}", "anonymous", "not audited"), html);
        Assert.Equal(6, Regex.Matches(html, "<tr[^>]*data-protected=").Count);

        // What the handlers take and return; Registry is a registered service, not request data.
        Assert.Contains("takes Patient (carries Patient.Ssn (name: social security number))", html);
        Assert.Contains("takes chartCode (name: configured PHI name)", html);
        Assert.DoesNotContain("takes Registry", html);
    }

    private static Regex Row(string member, string why, string evidence) =>
        new("<code>" + Regex.Escape(member) + "</code>.*?" + Regex.Escape(System.Net.WebUtility.HtmlEncode(why)) + ".*?" + Regex.Escape(evidence));

    private static Regex Endpoint(string verb, string route, string authorization, string audit) =>
        new("<span class=\"verb\">" + verb + "</span></td><td><code>" + Regex.Escape(route) + "</code>.*?>" + Regex.Escape(authorization) +
            "</span>.*?>" + Regex.Escape(audit) + "</span>");
}
