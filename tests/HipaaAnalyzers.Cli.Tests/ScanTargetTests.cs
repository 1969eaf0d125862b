using System.IO;
using System.Linq;
using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

public sealed class ScanTargetTests
{
    [Fact]
    public void Sln_lists_its_csharp_projects_not_solution_folders()
    {
        var directory = TestPaths.NewTempDirectory("sln");
        Directory.CreateDirectory(Path.Combine(directory, "src", "A"));
        Directory.CreateDirectory(Path.Combine(directory, "tests", "B"));
        File.WriteAllText(Path.Combine(directory, "src", "A", "A.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "tests", "B", "B.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "All.sln"), """

            Microsoft Visual Studio Solution File, Format Version 12.00
            Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "src", "src", "{827E0CD3-B72D-47B6-A68D-7590B98EB39B}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "A", "src\A\A.csproj", "{D125F927-B195-4743-BF83-18330574E6F4}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "B", "tests\B\B.csproj", "{E91D957B-2177-4EA6-A46A-E25C01B2C3DF}"
            EndProject
            """);

        var target = ScanTarget.Resolve(directory, out var error);

        Assert.True(target is not null, error);
        Assert.Equal(Path.Combine(directory, "All.sln"), target!.SolutionPath);
        Assert.Equal(new[] { "A.csproj", "B.csproj" }, target.ProjectPaths.Select(Path.GetFileName).ToArray());
        Assert.Equal(new[] { Path.Combine(directory, "All.sln") }, target.RestoreTargets);
    }

    [Fact]
    public void Folder_with_two_solutions_asks_for_one()
    {
        var directory = TestPaths.NewTempDirectory("two-solutions");
        File.WriteAllText(Path.Combine(directory, "One.sln"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "Two.slnx"), "<Solution />");

        Assert.Null(ScanTarget.Resolve(directory, out var error));
        Assert.Contains("several solutions (One.sln, Two.slnx)", error);
    }

    [Fact]
    public void Folder_without_solution_scans_the_projects_below_it_but_not_build_output()
    {
        var directory = TestPaths.NewTempDirectory("projects");
        foreach (var path in new[] { "src/A/A.csproj", "src/B/B.csproj", "src/A/obj/Stale.csproj", "node_modules/x/X.csproj" })
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, "<Project />");
        }

        var target = ScanTarget.Resolve(directory, out _);

        Assert.NotNull(target);
        Assert.Null(target!.SolutionPath);
        Assert.Equal(new[] { "A.csproj", "B.csproj" }, target.ProjectPaths.Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void Other_files_are_not_scan_targets()
    {
        var directory = TestPaths.NewTempDirectory("file");
        var file = Path.Combine(directory, "readme.md");
        File.WriteAllText(file, "#");
        Assert.Null(ScanTarget.Resolve(file, out var error));
        Assert.Contains("is not a .sln, .slnx, .slnf or .csproj file", error);
    }

    [Fact]
    public void Sln_entries_that_are_missing_or_not_csharp_are_skipped_with_the_reason()
    {
        var directory = TestPaths.NewTempDirectory("sln-entries");
        Directory.CreateDirectory(Path.Combine(directory, "src", "A"));
        Directory.CreateDirectory(Path.Combine(directory, "web"));
        File.WriteAllText(Path.Combine(directory, "src", "A", "A.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "web", "Web.esproj"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "All.sln"), """

            Microsoft Visual Studio Solution File, Format Version 12.00
            Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "src", "src", "{827E0CD3-B72D-47B6-A68D-7590B98EB39B}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "A", "src\A\A.csproj", "{D125F927-B195-4743-BF83-18330574E6F4}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Gone", "src\Gone\Gone.csproj", "{E91D957B-2177-4EA6-A46A-E25C01B2C3DF}"
            EndProject
            Project("{54A90642-561A-4BB1-A94E-469ADEE60C69}") = "Web", "web\Web.esproj", "{F91D957B-2177-4EA6-A46A-E25C01B2C3DF}"
            EndProject
            Project("{D954291E-2A0B-460D-934E-DC6B0785DB48}") = "Shared", "src\Shared\Shared.shproj", "{091D957B-2177-4EA6-A46A-E25C01B2C3DF}"
            EndProject
            """);

        var target = ScanTarget.Resolve(directory, out var error);

        Assert.True(target is not null, error);
        Assert.Equal(new[] { "A.csproj" }, target!.ProjectPaths.Select(Path.GetFileName).ToArray());
        Assert.Equal(
            new[]
            {
                "Gone Missing the solution names this project, but the file does not exist",
                "Web NotCSharp a JavaScript or TypeScript project (.esproj); hipaa-scan analyzes C# only",
                "Shared NotCSharp a shared project (.shproj): its files are scanned with the C# projects that import them",
            },
            target.Skipped.Select(s => $"{s.Name} {s.Kind} {s.Reason}").ToArray());
        Assert.Equal(new[] { true, false, false }, target.Skipped.Select(s => s.MakesScanPartial).ToArray());
    }

    [Fact]
    public void Sln_with_no_csharp_project_that_exists_is_not_a_target()
    {
        var directory = TestPaths.NewTempDirectory("sln-all-missing");
        File.WriteAllText(Path.Combine(directory, "All.slnx"), """<Solution><Project Path="src/Gone/Gone.csproj" /></Solution>""");

        Assert.Null(ScanTarget.Resolve(directory, out var error));
        Assert.Contains("names no C# project that exists; missing: ", error);
    }

    [Fact]
    public void Slnf_keeps_the_projects_it_names_relative_to_the_solution()
    {
        var directory = TestPaths.NewTempDirectory("slnf");
        foreach (var project in new[] { "src/A/A.csproj", "src/B/B.csproj" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, project))!);
            File.WriteAllText(Path.Combine(directory, project), "<Project />");
        }

        File.WriteAllText(Path.Combine(directory, "All.slnx"), """<Solution><Project Path="src/A/A.csproj" /><Project Path="src/B/B.csproj" /></Solution>""");
        Directory.CreateDirectory(Path.Combine(directory, "filters"));
        var filter = Path.Combine(directory, "filters", "OnlyA.slnf");
        File.WriteAllText(filter, """
            {
              // Visual Studio writes '' and keeps the filter next to the solution; this one is not.
              "solution": { "path": "..\\All.slnx", "projects": [ "src\\A\\A.csproj", "src\\Gone\\Gone.csproj", ] }
            }
            """);

        var target = ScanTarget.Resolve(filter, out var error);

        Assert.True(target is not null, error);
        Assert.Equal(filter, target!.SolutionPath);
        Assert.Equal(Path.Combine(directory, "All.slnx"), target.SolutionFile);
        Assert.Equal(new[] { Path.Combine(directory, "src", "A", "A.csproj") }, target.ProjectPaths);
        Assert.Equal(new[] { "Gone" }, target.Skipped.Select(s => s.Name).ToArray());
        Assert.Equal(new[] { filter }, target.RestoreTargets);
    }

    [Fact]
    public void Slnf_naming_a_solution_that_does_not_exist_is_not_a_target()
    {
        var directory = TestPaths.NewTempDirectory("slnf-no-solution");
        var filter = Path.Combine(directory, "Api.slnf");
        File.WriteAllText(filter, """{ "solution": { "path": "Missing.sln", "projects": [] } }""");

        Assert.Null(ScanTarget.Resolve(filter, out var error));
        Assert.Contains("names a solution that does not exist", error);
    }
}
