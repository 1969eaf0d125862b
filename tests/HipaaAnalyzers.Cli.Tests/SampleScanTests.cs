using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>hipaa-scan on samples/ClinicApi: exit code, console summary, and the SARIF log's structure and results.</summary>
[Collection(SampleScanCollection.Name)]
public sealed class SampleScanTests
{
    private static readonly string[] RuleIds =
    {
        "HIPAA001", "HIPAA002", "HIPAA003", "HIPAA004", "HIPAA005", "HIPAA006", "HIPAA101", "HIPAA102", "HIPAA103", "HIPAA104", "HIPAA105", "HIPAA106", "HIPAA107", "HIPAA108", "HIPAA109", "HIPAA110", "HIPAA201", "HIPAA202", "HIPAA203", "HIPAA204", "HIPAA205", "HIPAA301", "HIPAA302", "HIPAA303", "HIPAA304", "HIPAA401", "HIPAA900", "HIPAA901", "HIPAA902",
    };

    private readonly SampleScanFixture _scan;

    public SampleScanTests(SampleScanFixture scan, ITestOutputHelper output)
    {
        _scan = scan;
        output.WriteLine(scan.Result.Describe());
        output.WriteLine("SARIF: " + scan.SarifPath);
        output.WriteLine("HTML: " + scan.HtmlPath);
    }

    [Fact]
    public void Exits_with_1_when_findings_reach_the_fail_on_severity()
    {
        Assert.False(_scan.Result.TimedOut, _scan.Result.Describe());
        Assert.Equal(1, _scan.Result.ExitCode);
    }

    [Fact]
    public void Console_shows_a_summary_by_rule_and_severity_and_the_top_findings_with_file_and_line()
    {
        var output = _scan.Result.StandardOutput;
        Assert.Contains("Findings by rule and severity", output);
        foreach (var id in RuleIds)
        {
            Assert.Contains(id, output);
        }

        Assert.Matches(new Regex(@"samples/ClinicApi/Patients/PatientEndpoints\.cs:38"), output);
        Assert.Matches(new Regex(@"PHI inventory: \d+ members treated as PHI"), output);
        Assert.Matches(new Regex(@"Endpoints: \d+ \(\d+ handle PHI\)"), output);

        // Progress per project goes to standard error, so standard output stays a report.
        Assert.Contains("[1/1] ClinicApi", _scan.Result.StandardError);
    }

    [Fact]
    public void Sarif_is_version_2_1_0_with_the_schema_and_every_rule_with_its_help_uri()
    {
        var sarif = Sarif.Load(_scan.SarifPath);
        Assert.Equal("2.1.0", sarif.Root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", sarif.Root.GetProperty("$schema").GetString());
        Assert.Single(sarif.Root.GetProperty("runs").EnumerateArray());

        var driver = sarif.Run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("hipaa-scan", driver.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(driver.GetProperty("version").GetString()));

        Assert.Equal(RuleIds, sarif.Rules.Select(r => r.GetProperty("id").GetString()).ToArray());
        foreach (var rule in sarif.Rules)
        {
            var id = rule.GetProperty("id").GetString();
            Assert.Equal(
                $"https://github.com/hipaa-analyzers/hipaa-analyzers/blob/main/docs/rules/{id}.md",
                rule.GetProperty("helpUri").GetString());
            Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, "docs", "rules", id + ".md")), $"{id} has no rule page.");
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("fullDescription").GetProperty("text").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("name").GetString()));
            Assert.Equal("warning", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        }

        var baseIds = sarif.Run.GetProperty("originalUriBaseIds");
        var root = new Uri(baseIds.GetProperty("%SRCROOT%").GetProperty("uri").GetString()!);
        Assert.Equal(Path.GetFullPath(TestPaths.RepositoryRoot).TrimEnd('/') + "/", root.LocalPath);
    }

    [Theory]
    [InlineData("HIPAA001", true, "yes")]
    [InlineData("HIPAA102", true, "partly")]
    [InlineData("HIPAA204", false, "no")]
    public void Sarif_and_html_say_whether_a_rule_has_a_code_fix_as_the_rule_tables_do(string id, bool hasCodeFix, string codeFix)
    {
        var properties = Sarif.Load(_scan.SarifPath).Rules.Single(r => r.GetProperty("id").GetString() == id).GetProperty("properties");
        Assert.Equal(hasCodeFix, properties.GetProperty("hasCodeFix").GetBoolean());
        Assert.Equal(codeFix, properties.GetProperty("codeFix").GetString());

        // The rule's row in the HTML report's rule table ends with its code fix cell.
        var html = File.ReadAllText(_scan.HtmlPath);
        var table = html.IndexOf("id=\"rule-table\"", StringComparison.Ordinal);
        Assert.True(table >= 0, "The HTML report has no rule table.");
        var row = Regex.Match(html.Substring(table), $@"<tr><td><a href=""[^""]*/{id}\.md""[^>]*>{id}</a></td>.*?</tr>");
        Assert.True(row.Success, $"The HTML report has no rule table row for {id}.");
        Assert.EndsWith($"<td>{codeFix}</td></tr>", row.Value);
    }

    [Theory]
    [InlineData("HIPAA001", "security,phi,privacy", "7.5")]
    [InlineData("HIPAA101", "security,cryptography", "7.0")]
    [InlineData("HIPAA202", "security,secrets", "8.0")]
    [InlineData("HIPAA301", "security,access-control", "8.0")]
    [InlineData("HIPAA401", "security,audit", "5.0")]
    [InlineData("HIPAA900", "configuration", null)]
    public void Sarif_tags_every_security_rule_with_its_family_and_a_security_severity(string id, string tags, string? severity)
    {
        var properties = Sarif.Load(_scan.SarifPath).Rules.Single(r => r.GetProperty("id").GetString() == id).GetProperty("properties");
        Assert.Equal("hipaa," + tags, string.Join(",", properties.GetProperty("tags").EnumerateArray().Select(t => t.GetString())));
        if (severity is null)
        {
            Assert.False(properties.TryGetProperty("security-severity", out _));
        }
        else
        {
            Assert.Equal(severity, properties.GetProperty("security-severity").GetString());
        }
    }

    [Fact]
    public void Sarif_results_are_exactly_the_lines_the_sample_marks_with_their_rule()
    {
        var sarif = Sarif.Load(_scan.SarifPath);
        Assert.NotEmpty(sarif.Results);
        foreach (var result in sarif.Results)
        {
            Assert.Contains(result.RuleId, RuleIds);
            Assert.Equal(result.RuleId, sarif.Rules[result.RuleIndex].GetProperty("id").GetString());
            Assert.Equal("warning", result.Level);
            Assert.Equal("%SRCROOT%", result.UriBaseId);
            Assert.StartsWith("samples/ClinicApi/", result.Uri);
            Assert.False(Path.IsPathRooted(result.Uri));
            Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, result.Uri)), result.Uri);
            Assert.Equal("ClinicApi", result.Project);
            Assert.False(string.IsNullOrWhiteSpace(result.Message));
        }

        var expected = Markers.Read(TestPaths.Sample("ClinicApi"), TestPaths.RepositoryRoot)
            .Select(m => $"{m.RelativePath}:{m.Line} {m.RuleId}")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var actual = sarif.Results
            .Select(r => $"{r.Uri}:{r.StartLine} {r.RuleId}")
            .Distinct()
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, actual);
        foreach (var rule in RuleIds.Where(id => id is not ("HIPAA900" or "HIPAA901")))
        {
            Assert.Contains(sarif.Results, r => r.RuleId == rule);
        }
    }

    [Fact]
    public void Html_report_is_one_self_contained_file_with_both_inventories()
    {
        var html = File.ReadAllText(_scan.HtmlPath);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(new Regex(@"<(script|img|iframe|link)[^>]+(src|href)=""(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Security-Policy", html);
        Assert.Contains("id=\"phi-table\"", html);
        Assert.Contains("<code>Patient.Ssn</code>", html);
        Assert.Contains("name: social security number", html);
        Assert.Contains("id=\"endpoint-table\"", html);
        Assert.Contains("<code>/patients/search</code>", html);
        Assert.Contains("<code>/products/{sku}</code>", html);
    }
}
