using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Tests.Samples;

/// <summary>
/// Runs every analyzer over the sample apps, in process: samples/ClinicApi must get exactly the findings its marker
/// comments name, and samples/ClinicApi.Fixed must get none.
/// </summary>
public sealed class SampleAppTests
{
    /// <summary>Every rule the sample shows firing (all but HIPAA900 and HIPAA901, which report broken configuration files and options).</summary>
    private static readonly string[] SampleRules =
    {
        RuleIds.PhiInLog, RuleIds.PhiObjectLoggedWhole, RuleIds.PhiInExceptionMessage, RuleIds.PhiInTelemetryOrUrl,
        RuleIds.PhiPersistedUnencrypted, RuleIds.FrameworkLoggingCapturesPhi,
        RuleIds.WeakHash, RuleIds.DisallowedCipher, RuleIds.InsecureCipherModeOrPadding, RuleIds.InsufficientKeySize,
        RuleIds.InsecureRandomness, RuleIds.StaticIvOrSalt, RuleIds.WeakKeyDerivation, RuleIds.HomeMadeCryptography,
        RuleIds.WeakenedTransportSecurity, RuleIds.UnauthenticatedEncryption,
        RuleIds.HardCodedKey, RuleIds.HardCodedCredential, RuleIds.KeyInSqlText, RuleIds.KeysStoredBesidePhi, RuleIds.PlaintextPassword,
        RuleIds.PhiEndpointWithoutAuthorization, RuleIds.AnonymousPhiEndpoint, RuleIds.PhiEndpointWithoutPolicy,
        RuleIds.AuthorizationBypass, RuleIds.PhiEndpointWithoutAudit, RuleIds.RuntimeFeatureWithoutRegistration,
    };

    /// <summary>
    /// Lines of samples/ClinicApi where the analyzers are known to be wrong, left out of the exact comparison until
    /// the analyzer is fixed. Each names the file, a piece of the line's code, the rule, and whether the rule is
    /// reported there though the line is compliant or missing though the line leaks. When the analyzer gets it
    /// right, the test fails so the entry is removed.
    /// </summary>
    /// <summary>Lines where the analyzers are known to be wrong; each entry is a bug to fix, and the test fails once it is.</summary>
    private static readonly KnownAnalyzerError[] KnownAnalyzerErrors = System.Array.Empty<KnownAnalyzerError>();

    private readonly ITestOutputHelper _output;

    public SampleAppTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task ClinicApi_reports_each_phi_rule_exactly_on_the_marked_lines()
    {
        var app = await SampleApp.LoadAsync("ClinicApi");
        AssertCompilesAndAnalyzesCleanly(app);
        Summarize(app);

        Assert.DoesNotContain(app.AnalyzerDiagnostics, d => d.Id == RuleIds.InvalidOption);
        foreach (var rule in SampleRules)
        {
            Assert.True(app.RuleDiagnostics.Any(d => d.Id == rule), $"{rule} is not reported anywhere in samples/ClinicApi.");
        }

        Assert.Contains(app.Markers, m => m.IsCompliant);
        Assert.Contains(app.Markers, m => !m.IsCompliant);

        var problems = new List<string>();
        var usedKnownErrors = new HashSet<KnownAnalyzerError>();
        var byLine = app.Markers.ToLookup(m => (m.Path, m.Line));

        // Every diagnostic lands on a line whose marker names its rule.
        foreach (var diagnostic in app.RuleDiagnostics)
        {
            var span = diagnostic.Location.GetLineSpan();
            var expected = byLine[(span.Path, span.StartLinePosition.Line)].SelectMany(m => m.ExpectedRules).ToHashSet();
            if (expected.Contains(diagnostic.Id))
            {
                continue;
            }

            var code = app.LineText(span.Path, span.StartLinePosition.Line);
            if (Known(app, span.Path, code, diagnostic.Id, reportedOnCompliantLine: true) is { } known)
            {
                usedKnownErrors.Add(known);
                continue;
            }

            var what = byLine[(span.Path, span.StartLinePosition.Line)].Any(m => m.IsCompliant)
                ? "a line marked compliant"
                : "a line not marked " + diagnostic.Id;
            problems.Add($"{app.Where(diagnostic.Location)}: {diagnostic.Id} reported on {what}: {code}\n    {Message(diagnostic)}");
        }

        // Every rule a marker names is reported on that line.
        foreach (var marker in app.Markers)
        {
            foreach (var rule in marker.ExpectedRules.OrderBy(r => r, StringComparer.Ordinal))
            {
                var reported = app.RuleDiagnostics.Any(d =>
                    d.Id == rule &&
                    d.Location.GetLineSpan() is var span && span.Path == marker.Path && span.StartLinePosition.Line == marker.Line);
                if (reported)
                {
                    continue;
                }

                if (Known(app, marker.Path, marker.Code, rule, reportedOnCompliantLine: false) is { } known)
                {
                    usedKnownErrors.Add(known);
                    continue;
                }

                problems.Add($"{app.RelativePath(marker.Path)}:{marker.Line + 1}: {rule} expected but not reported: {marker.Code}");
            }
        }

        foreach (var stale in KnownAnalyzerErrors.Where(k => !usedKnownErrors.Contains(k)))
        {
            problems.Add($"{stale.File}: {stale.Rule} on '{stale.Code}' is no longer a known analyzer error (fixed, or the line changed): " +
                         $"update {nameof(KnownAnalyzerErrors)}.");
        }

        Assert.True(problems.Count == 0, "samples/ClinicApi does not match its markers:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task ClinicApi_Fixed_has_no_findings()
    {
        var app = await SampleApp.LoadAsync("ClinicApi.Fixed");
        AssertCompilesAndAnalyzesCleanly(app);
        Summarize(app);

        var findings = app.RuleDiagnostics.ToList();
        Assert.True(findings.Count == 0, "samples/ClinicApi.Fixed must have no HipaaAnalyzers findings:\n" + string.Join("\n",
            findings.Select(d => $"{app.Where(d.Location)}: {d.Id}: {Message(d)}")));
    }

    private static void AssertCompilesAndAnalyzesCleanly(SampleApp app)
    {
        var errors = app.CompilerErrors.ToList();
        Assert.True(errors.Count == 0, $"samples/{app.Name} does not compile:\n" + string.Join("\n",
            errors.Select(d => $"{app.Where(d.Location)}: {d.Id}: {Message(d)}")));

        Assert.True(app.AnalyzerExceptions.Count == 0, "An analyzer threw:\n" + string.Join("\n", app.AnalyzerExceptions));
        var crashes = app.AnalyzerDiagnostics.Where(d => d.Id == "AD0001").ToList();
        Assert.True(crashes.Count == 0, "An analyzer threw (AD0001):\n" + string.Join("\n", crashes.Select(Message)));
    }

    private static KnownAnalyzerError? Known(SampleApp app, string path, string code, string rule, bool reportedOnCompliantLine) =>
        KnownAnalyzerErrors.FirstOrDefault(k =>
            k.Rule == rule &&
            k.ReportedOnCompliantLine == reportedOnCompliantLine &&
            app.RelativePath(path) == k.File &&
            code.Contains(k.Code, StringComparison.Ordinal));

    private void Summarize(SampleApp app)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"samples/{app.Name}: {app.Compilation.SyntaxTrees.Count()} files, " +
            $"{app.Markers.Count(m => !m.IsCompliant)} lines marked with rules, {app.Markers.Count(m => m.IsCompliant)} marked compliant");
        foreach (var group in app.RuleDiagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {group.Count()}");
        }

        var ordered = app.RuleDiagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal);
        foreach (var diagnostic in ordered)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {app.Where(diagnostic.Location)} {diagnostic.Id}: {Message(diagnostic)}");
        }

        _output.WriteLine(text.ToString());
    }

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>A known analyzer error on one line of samples/ClinicApi; see <see cref="KnownAnalyzerErrors"/>.</summary>
    private sealed record KnownAnalyzerError(string File, string Code, string Rule, bool ReportedOnCompliantLine);
}
