using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// A .sln whose projects fail in every way a real solution's do, next to one that is fine:
/// Clinic.Api restores with a warning and is scanned; Clinic.Billing does not restore (NU1101); Clinic.Pharmacy's SDK
/// cannot be resolved; Clinic.Gone is named but missing; an .esproj, an .sqlproj and an .fsproj are not C#.
/// </summary>
public sealed class PartialScanFixture : IDisposable
{
    public PartialScanFixture()
    {
        Solution = TinySolution.Create("partial-scan")
            .Package("Clinic.Shared", "1.0.1")
            .CSharpProject("src/Clinic.Api/Clinic.Api.csproj", """<PackageReference Include="Clinic.Shared" Version="1.0.0" />""")
            .CSharpProject("src/Clinic.Billing/Clinic.Billing.csproj", """<PackageReference Include="Clinic.NotOnAnyFeed" Version="2.0.0" />""")
            .CSharpProject("src/Clinic.Pharmacy/Clinic.Pharmacy.csproj", sdk: "Hipaa.Tests.Missing.Sdk/1.0.0")
            .File("web/Clinic.Web/Clinic.Web.esproj", """<Project Sdk="Microsoft.VisualStudio.JavaScript.Sdk/1.0.1184077"><PropertyGroup><StartupCommand>npm run dev</StartupCommand></PropertyGroup></Project>""")
            .File("db/Clinic.Db/Clinic.Db.sqlproj", """<Project Sdk="Microsoft.Build.Sql/1.0.0"><PropertyGroup><Name>Clinic.Db</Name></PropertyGroup></Project>""")
            .File("src/Clinic.Reports/Clinic.Reports.fsproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><Compile Include="Report.fs" /></ItemGroup></Project>""")
            .File("src/Clinic.Reports/Report.fs", "module Report\nlet print ssn = printfn \"%s\" ssn");
        SolutionPath = Solution.Sln(
            "Clinic.sln",
            "src/Clinic.Api/Clinic.Api.csproj",
            "src/Clinic.Billing/Clinic.Billing.csproj",
            "src/Clinic.Pharmacy/Clinic.Pharmacy.csproj",
            "src/Clinic.Gone/Clinic.Gone.csproj",
            "web/Clinic.Web/Clinic.Web.esproj",
            "db/Clinic.Db/Clinic.Db.sqlproj",
            "src/Clinic.Reports/Clinic.Reports.fsproj");
        SarifPath = Path.Combine(TestPaths.Artifacts, "partial-scan.sarif");
        HtmlPath = Path.Combine(TestPaths.Artifacts, "partial-scan.html");
        File.Delete(SarifPath);
        File.Delete(HtmlPath);
        Result = ProcessRunner.HipaaScan(Solution.Directory, "Clinic.sln", "--sarif", SarifPath, "--html", HtmlPath);
    }

    public TinySolution Solution { get; }

    public string SolutionPath { get; }

    public ProcessResult Result { get; }

    public string SarifPath { get; }

    public string HtmlPath { get; }

    public void Dispose() => Solution.Delete();
}

/// <summary>Projects that do not restore or load are skipped with the reason; the others are scanned.</summary>
public sealed class PartialScanTests : IClassFixture<PartialScanFixture>
{
    private readonly PartialScanFixture _scan;
    private readonly ITestOutputHelper _output;

    public PartialScanTests(PartialScanFixture scan, ITestOutputHelper output)
    {
        _scan = scan;
        _output = output;
        output.WriteLine(scan.Result.Describe());
    }

    [Fact]
    public void Partial_scan_reports_the_findings_of_the_projects_that_load_and_exits_0()
    {
        Assert.False(_scan.Result.TimedOut, _scan.Result.Describe());
        Assert.Equal(ExitCodes.Success, _scan.Result.ExitCode);

        var sarif = Sarif.Load(_scan.SarifPath);
        var expected = Markers.Read(_scan.Solution.PathOf("src/Clinic.Api"), _scan.Solution.Directory)
            .Select(m => $"{m.RelativePath}:{m.Line} {m.RuleId}")
            .ToList();
        Assert.Equal(new[] { "src/Clinic.Api/Intake.cs:5 HIPAA001" }, expected);
        Assert.Equal(expected, sarif.Results.Select(r => $"{r.Uri}:{r.StartLine} {r.RuleId}").ToList());
        Assert.Contains("[1/1] Clinic.Api (net10.0): 1 finding in ", _scan.Result.StandardError);

        // The restore warning about the project that was scanned is a warning, once.
        Assert.Single(Regex.Matches(_scan.Result.FlatError, Regex.Escape("Clinic.Shared 1.0.0 was not found. Clinic.Shared 1.0.1 was resolved instead")));
    }

    [Fact]
    public void Console_lists_each_skipped_project_with_the_reason()
    {
        var output = _scan.Result.StandardOutput;
        Assert.Contains("hipaa-scan Clinic.sln: 1 finding in 1 project, 6 skipped (", output);
        Assert.Contains("Skipped projects", output);
        Assert.Matches(Row("src/Clinic.Billing/Clinic.Billing.csproj", "does not restore: NU1101: Unable to find package Clinic.NotOnAnyFeed"), output);
        Assert.Matches(Row("src/Clinic.Pharmacy/Clinic.Pharmacy.csproj", "its MSBuild SDK 'Hipaa.Tests.Missing.Sdk"), output);
        Assert.Matches(Row("src/Clinic.Gone/Clinic.Gone.csproj", "the solution names this project, but the file does not exist"), output);
        Assert.Matches(Row("web/Clinic.Web/Clinic.Web.esproj", "a JavaScript or TypeScript project (.esproj); hipaa-scan analyzes C# only"), output);
        Assert.Matches(Row("db/Clinic.Db/Clinic.Db.sqlproj", "a SQL Server database project (.sqlproj)"), output);
        Assert.Matches(Row("src/Clinic.Reports/Clinic.Reports.fsproj", "an F# project (.fsproj)"), output);
        Assert.Contains("The scan is partial: 3 C# projects skipped; the findings cover the 1 project scanned.", output);

        var errors = _scan.Result.FlatError;
        Assert.Contains("warning: src/Clinic.Billing/Clinic.Billing.csproj does not restore, so it is skipped:", errors);
        Assert.Contains("note: web/Clinic.Web/Clinic.Web.esproj is skipped: a JavaScript or TypeScript project (.esproj)", errors);
    }

    [Fact]
    public void Sarif_lists_what_was_skipped_as_notifications_and_the_run_as_unsuccessful()
    {
        var invocation = Sarif.Load(_scan.SarifPath).Run.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var notifications = invocation.GetProperty("toolExecutionNotifications").EnumerateArray()
            .Select(n => (
                Level: n.GetProperty("level").GetString(),
                Text: n.GetProperty("message").GetProperty("text").GetString()!,
                Uri: n.TryGetProperty("locations", out var l) ? l[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString() : null,
                Skipped: n.TryGetProperty("properties", out var p) ? p.GetProperty("skipped").GetString() : null))
            .ToList();
        foreach (var n in notifications)
        {
            _output.WriteLine($"{n.Level} {n.Skipped} {n.Uri}: {n.Text}");
        }

        Assert.Contains(notifications, n => n is { Level: "error", Uri: "src/Clinic.Billing/Clinic.Billing.csproj", Skipped: "restore failed" } && n.Text.Contains("NU1101", StringComparison.Ordinal));
        Assert.Contains(notifications, n => n is { Level: "error", Uri: "src/Clinic.Pharmacy/Clinic.Pharmacy.csproj", Skipped: "SDK not resolved" });
        Assert.Contains(notifications, n => n is { Level: "error", Uri: "src/Clinic.Gone/Clinic.Gone.csproj", Skipped: "missing" });
        Assert.Contains(notifications, n => n is { Level: "note", Uri: "web/Clinic.Web/Clinic.Web.esproj", Skipped: "not C#" });
        Assert.Contains(notifications, n => n is { Level: "note", Uri: "db/Clinic.Db/Clinic.Db.sqlproj", Skipped: "not C#" });
        Assert.Contains(notifications, n => n is { Level: "note", Uri: "src/Clinic.Reports/Clinic.Reports.fsproj", Skipped: "not C#" });
        Assert.Contains(notifications, n => n.Level == "warning" && n.Text.Contains("Clinic.Shared 1.0.1 was resolved instead", StringComparison.Ordinal));
        Assert.Equal(6, notifications.Count(n => n.Skipped is not null));
    }

    [Fact]
    public void Html_report_says_the_scan_is_partial_and_lists_the_skipped_projects()
    {
        var html = File.ReadAllText(_scan.HtmlPath);
        Assert.Contains("<div class=\"problems\" id=\"partial\" role=\"alert\"><strong>The scan is partial.</strong> 3 C# projects skipped", html);
        Assert.Contains("<span>6 skipped</span>", html);
        var table = Regex.Match(html, "<table id=\"skipped-table\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(6, Regex.Matches(table, "<tr data-partial=").Count);
        Assert.Matches(HtmlRow("Clinic.Billing", "src/Clinic.Billing/Clinic.Billing.csproj", "restore failed", "does not restore: NU1101"), table);
        Assert.Matches(HtmlRow("Clinic.Gone", "src/Clinic.Gone/Clinic.Gone.csproj", "missing", "the file does not exist"), table);
        Assert.Matches(HtmlRow("Clinic.Web", "web/Clinic.Web/Clinic.Web.esproj", "not C#", "a JavaScript or TypeScript project"), table);
    }

    [Fact]
    public void Require_complete_fails_a_partial_scan_with_7_and_findings_at_fail_on_win_with_1()
    {
        // Loaded without restoring again: Clinic.Pharmacy's SDK still does not resolve and Clinic.Gone is still missing.
        var strict = ProcessRunner.HipaaScan(_scan.Solution.Directory, "Clinic.sln", "--no-restore", "--require-complete");
        _output.WriteLine(strict.Describe());
        Assert.Equal(ExitCodes.PartialScan, strict.ExitCode);
        Assert.Contains("--require-complete makes this a failure (exit code 7)", strict.StandardOutput);

        var both = ProcessRunner.HipaaScan(_scan.Solution.Directory, "Clinic.sln", "--no-restore", "--require-complete", "--fail-on", "warning");
        _output.WriteLine(both.Describe());
        Assert.Equal(ExitCodes.FindingsAtFailOnSeverity, both.ExitCode);
    }

    private static Regex Row(string path, string reason) =>
        new("│ " + Regex.Escape(path) + @"\s*│ " + Regex.Escape(reason));

    private static Regex HtmlRow(string name, string path, string kind, string reason) =>
        new("<td>" + Regex.Escape(name) + "</td><td class=\"path\">" + Regex.Escape(path) + "</td><td><span class=\"level [a-z]+\">" +
            Regex.Escape(kind) + "</span></td><td>[^<]*" + Regex.Escape(reason));
}
