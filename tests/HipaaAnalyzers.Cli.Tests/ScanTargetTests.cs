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
        Assert.Contains("is not a .sln, .slnx or .csproj file", error);
    }
}
