using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>--fix applies every code fix and leaves code that builds; --fix --dry-run prints the diff and writes nothing.</summary>
public sealed class FixTests
{
    private readonly ITestOutputHelper _output;

    public FixTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Dry_run_prints_a_unified_diff_and_changes_no_file()
    {
        var directory = TestPaths.NewTempDirectory("fix-dry-run");
        GeneratedSolution.WriteTo(directory);
        var before = Snapshot(directory);

        var run = ProcessRunner.HipaaScan(directory, GeneratedSolution.SolutionFile, "--fix", "--dry-run");
        _output.WriteLine(run.Describe());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(before, Snapshot(directory));
        var diff = run.StandardOutput;
        Assert.Contains("--- a/src/Clinic.Domain/Patient.cs\n+++ b/src/Clinic.Domain/Patient.cs\n@@ -", diff.ReplaceLineEndings("\n"));
        Assert.Contains("-        Trace.TraceInformation(\"Registered patient with notes \" + patient.Notes); // HIPAA001", diff);
        Assert.Contains("+        Trace.TraceInformation(\"Registered patient with notes \" + Phi.Redact(patient.Notes)); // HIPAA001", diff);
        Assert.Contains("+++ b/src/Clinic.Web/Program.cs", diff);
        Assert.Contains("+using HipaaAnalyzers.Runtime;", diff);
        Assert.Contains("+++ b/tools/Clinic.Reports/Program.cs", diff);
        Assert.Contains("nothing was written", run.StandardError);
        TryDelete(directory);
    }

    [Fact]
    public void Fix_applies_every_fix_writes_the_files_and_the_code_still_builds()
    {
        var directory = TestPaths.NewTempDirectory("fix");
        GeneratedSolution.WriteTo(directory);
        var before = Snapshot(directory);
        var sarifPath = Path.Combine(directory, "after-fix.sarif");

        var run = ProcessRunner.HipaaScan(directory, GeneratedSolution.SolutionFile, "--fix", "--sarif", sarifPath, "--fail-on", "note");
        _output.WriteLine(run.Describe());

        // Every finding of the generated solution has a fix, so none is left and --fail-on note passes.
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(Sarif.Load(sarifPath).Results);
        Assert.Contains("Fixed 7 of 7 findings", run.StandardError);

        var after = Snapshot(directory);
        var changed = before.Keys.Where(k => before[k] != after[k]).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[] { "src/Clinic.Domain/Patient.cs", "src/Clinic.Web/LabOrdersController.cs", "src/Clinic.Web/Program.cs", "tools/Clinic.Reports/Program.cs" },
            changed);
        Assert.Contains("Phi.Redact(patient.Notes)", after["src/Clinic.Domain/Patient.cs"]);
        Assert.Contains("using HipaaAnalyzers.Runtime;", after["src/Clinic.Web/Program.cs"]);
        Assert.Contains("Phi.Redact(chartCode)", after["src/Clinic.Web/Program.cs"]);

        // The fixed copy builds: 0 errors.
        var build = ProcessRunner.Dotnet(
            directory,
            new[] { "build", GeneratedSolution.SolutionFile, "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m", "-clp:Summary" },
            TimeSpan.FromMinutes(5));
        _output.WriteLine(build.Describe());
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.Contains("0 Error(s)", build.StandardOutput);
        Assert.DoesNotContain(": error ", build.StandardOutput);
        TryDelete(directory);
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Split('/').Any(p => p is "bin" or "obj"))
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(directory, f)), StringComparer.Ordinal);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleanup.
        }
    }
}
