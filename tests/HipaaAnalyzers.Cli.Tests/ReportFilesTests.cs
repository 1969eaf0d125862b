using System;
using System.Collections.Generic;
using System.IO;
using HipaaAnalyzers.Cli.Reports;
using Spectre.Console;
using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>The report files are checked before the scan and written one independently of the other; exit code precedence.</summary>
public sealed class ReportFilesTests
{
    [Fact]
    public void Check_names_the_option_and_why_the_file_cannot_be_written()
    {
        var directory = TestPaths.NewTempDirectory("report-check");
        var file = Path.Combine(directory, "notes.txt");
        File.WriteAllText(file, "not a folder");

        Assert.Empty(ReportFiles.Check(Path.Combine(directory, "new", "folders", "hipaa.sarif"), Path.Combine(directory, "hipaa.html")));
        Assert.Equal(
            new[] { $"--sarif '{directory}' is a folder; give the report's file name, for example '{Path.Combine(directory, "hipaa.sarif")}'." },
            ReportFiles.Check(directory, null));
        Assert.Equal(
            new[] { $"--html '{Path.Combine(file, "r.html")}' cannot be written: '{file}' is a file, not a folder." },
            ReportFiles.Check(null, Path.Combine(file, "r.html")));
        Assert.Empty(Directory.GetFiles(directory, ".hipaa-scan-*"));
    }

    [Fact]
    public void Sarif_is_written_when_the_html_report_cannot_be()
    {
        var directory = TestPaths.NewTempDirectory("report-html-fails");
        var sarif = Path.Combine(directory, "hipaa.sarif");
        var html = Path.Combine(directory, "taken");
        Directory.CreateDirectory(html);
        var (ui, _, errors) = TestUi();

        var failures = ReportFiles.Write(EmptyResult(directory), sarif, html, ui);

        Assert.True(File.Exists(sarif));
        var failure = Assert.Single(failures);
        Assert.StartsWith($"Cannot write the HTML report to '{html}': ", failure);
        Assert.Contains("Cannot write the HTML report", errors.ToString());
    }

    [Fact]
    public void Html_report_is_written_when_the_sarif_cannot_be()
    {
        var directory = TestPaths.NewTempDirectory("report-sarif-fails");
        var sarif = Path.Combine(directory, "taken");
        Directory.CreateDirectory(sarif);
        var html = Path.Combine(directory, "hipaa.html");
        var (ui, output, _) = TestUi();

        var failures = ReportFiles.Write(EmptyResult(directory), sarif, html, ui);

        Assert.True(File.Exists(html));
        Assert.StartsWith($"Cannot write the SARIF to '{sarif}': ", Assert.Single(failures));
        Assert.Contains("HTML report: " + html, output.ToString());
    }

    [Theory]
    [InlineData(false, false, false, false, ExitCodes.Success)]
    [InlineData(true, false, false, false, ExitCodes.Success)]
    [InlineData(true, true, false, false, ExitCodes.PartialScan)]
    [InlineData(true, true, true, false, ExitCodes.FindingsAtFailOnSeverity)]
    [InlineData(true, true, true, true, ExitCodes.ScanFailed)]
    [InlineData(false, true, false, false, ExitCodes.Success)]
    public void Findings_at_the_fail_on_severity_win_over_a_partial_scan(bool partial, bool requireComplete, bool finding, bool analyzerFailed, int expected)
    {
        var directory = TestPaths.NewTempDirectory("exit-code");
        var result = EmptyResult(directory) with
        {
            Findings = finding ? new[] { new Finding("HIPAA001", FindingLevel.Warning, "PHI", null, null, 1, 1, 1, 1, "Api") } : Array.Empty<Finding>(),
            Problems = analyzerFailed ? new[] { "An analyzer failed" } : Array.Empty<string>(),
            Skipped = partial
                ? new[] { new SkippedProject("Billing", Path.Combine(directory, "Billing.csproj"), SkipKind.RestoreFailed, "does not restore: NU1101") }
                : new[] { new SkippedProject("Web", Path.Combine(directory, "Web.esproj"), SkipKind.NotCSharp, "not C#") },
        };
        var options = new ScanOptions(".", null, null, FindingLevel.Warning, false, false, false, 20, null, requireComplete);

        Assert.Equal(expected, Runner.ExitCode(result, fixFailed: false, reportFailed: false, options));
        Assert.Equal(ExitCodes.InvalidArguments, Runner.ExitCode(result, fixFailed: false, reportFailed: true, options));
    }

    private static ScanResult EmptyResult(string sourceRoot) => new(
        "App.csproj",
        sourceRoot,
        DateTimeOffset.UtcNow,
        TimeSpan.FromSeconds(1),
        HipaaRules.Instance.Rules,
        Array.Empty<ProjectSummary>(),
        Array.Empty<Finding>(),
        Array.Empty<PhiItem>(),
        Array.Empty<EndpointItem>(),
        Array.Empty<string>(),
        Array.Empty<string>(),
        Array.Empty<SkippedProject>(),
        Array.Empty<string>());

    private static (Ui Ui, StringWriter Output, StringWriter Errors) TestUi()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var ui = new Ui(Console(output), Console(errors));
        return (ui, output, errors);

        static IAnsiConsole Console(TextWriter writer)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = 400;
            return console;
        }
    }
}
