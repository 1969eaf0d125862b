using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// What loads is scanned: restore and evaluation warnings do not stop a project, solution filters pick the projects,
/// a project that does not load is skipped, and console locations are relative to the current folder.
/// </summary>
public sealed class LoadTests
{
    private readonly ITestOutputHelper _output;

    public LoadTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Restore_warnings_are_warnings_and_the_project_is_scanned()
    {
        // NU1603 (a version not on the feed), NU1608 (outside a dependency's exact range), NU1605 (a downgrade, kept a
        // warning as some solutions do) and NU1510 (a package .NET 10 provides, which will not be pruned).
        var solution = TinySolution.Create("restore-warnings")
            .Package("Clinic.Shared", "1.0.1")
            .Package("Clinic.Core", "1.0.0")
            .Package("Clinic.Core", "2.0.0")
            .Package("Clinic.Plugin", "1.0.0", ("Clinic.Core", "[1.0.0]"))
            .Package("Clinic.Base", "1.0.0")
            .Package("Clinic.Base", "2.0.0")
            .Package("Clinic.Addon", "1.0.0", ("Clinic.Base", "2.0.0"))
            .Package("System.Text.Json", "8.0.0")
            .CSharpProject(
                "Clinic.Api/Clinic.Api.csproj",
                """
                <PackageReference Include="Clinic.Shared" Version="1.0.0" />
                <PackageReference Include="Clinic.Plugin" Version="1.0.0" />
                <PackageReference Include="Clinic.Core" Version="2.0.0" />
                <PackageReference Include="Clinic.Addon" Version="1.0.0" />
                <PackageReference Include="Clinic.Base" Version="1.0.0" />
                <PackageReference Include="System.Text.Json" Version="8.0.0" />
                """,
                "<WarningsAsErrors></WarningsAsErrors>");
        var sarifPath = solution.PathOf("scan.sarif");

        var run = Run(solution.Directory, ".", "--sarif", sarifPath);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.DoesNotContain("Skipped projects", run.StandardOutput);
        Assert.Contains("hipaa-scan Clinic.Api/Clinic.Api.csproj: 1 finding in 1 project (", run.StandardOutput);
        var sarif = Sarif.Load(sarifPath);
        Assert.Equal(new[] { "Clinic.Api/Intake.cs:5 HIPAA001" }, sarif.Results.Select(r => $"{r.Uri}:{r.StartLine} {r.RuleId}").ToArray());
        Assert.True(sarif.Run.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean());

        // Each shown once, as a warning about the project.
        var errors = run.FlatError;
        foreach (var message in new[]
                 {
                     "Clinic.Shared 1.0.0 was not found. Clinic.Shared 1.0.1 was resolved instead",
                     "Detected package version outside of dependency constraint: Clinic.Plugin 1.0.0 requires Clinic.Core (= 1.0.0)",
                     "Detected package downgrade: Clinic.Base from 2.0.0 to 1.0.0",
                     "PackageReference System.Text.Json will not be pruned",
                 })
        {
            Assert.Single(Regex.Matches(errors, "warning: Clinic\\.Api/Clinic\\.Api\\.csproj: [^:]*?" + Regex.Escape(message)));
            Assert.Single(Regex.Matches(errors, Regex.Escape(message)));
        }

        Assert.DoesNotContain("error:", errors);
        solution.Delete();
    }

    [Fact]
    public void Solution_filter_scans_only_the_projects_it_keeps()
    {
        var solution = TinySolution.Create("solution-filter")
            .CSharpProject("src/Clinic.Api/Clinic.Api.csproj")
            .CSharpProject("src/Clinic.Admin/Clinic.Admin.csproj");
        solution.Sln("Clinic.sln", "src/Clinic.Api/Clinic.Api.csproj", "src/Clinic.Admin/Clinic.Admin.csproj");

        // Kept elsewhere than the solution: its solution path is relative to its own folder, its projects to the solution's.
        solution.File("filters/Api.slnf", """
            {
              "solution": {
                "path": "..\\Clinic.sln",
                "projects": [
                  "src\\Clinic.Api\\Clinic.Api.csproj",
                  "src\\Clinic.Gone\\Clinic.Gone.csproj"
                ]
              }
            }
            """);
        var sarifPath = solution.PathOf("scan.sarif");

        var run = Run(solution.Directory, "filters/Api.slnf", "--sarif", sarifPath);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Scanning Api.slnf (1 project)", run.StandardError);
        Assert.Contains("[1/1] Clinic.Api (net10.0): 1 finding", run.StandardError);
        Assert.DoesNotContain("Clinic.Admin", run.StandardError + run.StandardOutput);
        Assert.Equal(new[] { "src/Clinic.Api/Intake.cs:5 HIPAA001" }, Sarif.Load(sarifPath).Results.Select(r => $"{r.Uri}:{r.StartLine} {r.RuleId}").ToArray());
        Assert.Matches(new Regex(@"│ src/Clinic\.Gone/Clinic\.Gone\.csproj\s*│ the solution names this project, but the file does not exist"), run.StandardOutput);
        solution.Delete();
    }

    [Fact]
    public void Project_that_does_not_load_is_skipped_with_the_reason()
    {
        var solution = TinySolution.Create("load-failure")
            .CSharpProject("Clinic.Api/Clinic.Api.csproj")
            .File("Clinic.Broken/Clinic.Broken.csproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework>""");
        var restore = ProcessRunner.Dotnet(solution.Directory, new[] { "restore", "Clinic.Api/Clinic.Api.csproj", "-nodeReuse:false", "-tl:off" }, TimeSpan.FromMinutes(5));
        Assert.True(restore.ExitCode == 0, restore.Describe());

        // Restored by hand: the scanner does not restore, so the project with the broken file reaches the loader.
        var run = Run(solution.Directory, ".", "--no-restore", "--require-complete");

        Assert.Equal(ExitCodes.PartialScan, run.ExitCode);
        Assert.Contains("[1/1] Clinic.Api (net10.0): 1 finding", run.StandardError);
        Assert.Contains("warning: Clinic.Broken/Clinic.Broken.csproj is skipped: does not load: ", run.FlatError);
        Assert.Matches(new Regex(@"│ Clinic\.Broken/Clinic\.Broken\.csproj\s*│ does not load: "), run.StandardOutput);
        solution.Delete();
    }

    [Fact]
    public void Console_locations_are_relative_to_the_current_folder_and_sarif_to_the_source_root()
    {
        // A git work tree whose solution is in a subfolder: the source root is the work tree, the current folder is app/.
        var solution = TinySolution.Create("relative-paths").CSharpProject("app/src/Clinic.Api/Clinic.Api.csproj");
        Directory.CreateDirectory(solution.PathOf(".git"));
        solution.Sln("app/Clinic.sln", "src/Clinic.Api/Clinic.Api.csproj");
        var sarifPath = solution.PathOf("scan.sarif");

        var run = Run(solution.PathOf("app"), ".", "--sarif", sarifPath);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("hipaa-scan Clinic.sln: 1 finding", run.StandardOutput);
        Assert.Matches(new Regex(@"│ src/Clinic\.Api/Intake\.cs:5\s*│"), run.StandardOutput);
        Assert.DoesNotContain("app/src/Clinic.Api/Intake.cs", run.StandardOutput);
        Assert.Equal("app/src/Clinic.Api/Intake.cs", Assert.Single(Sarif.Load(sarifPath).Results).Uri);
        solution.Delete();
    }

    private ProcessResult Run(string directory, params string[] arguments)
    {
        var run = ProcessRunner.HipaaScan(directory, arguments);
        _output.WriteLine(run.Describe());
        Assert.False(run.TimedOut);
        return run;
    }
}
