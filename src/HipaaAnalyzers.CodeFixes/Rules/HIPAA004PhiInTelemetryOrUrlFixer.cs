using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA004: wraps the PHI that reaches a trace or metric tag, a URL or a header in <c>Phi.Redact(...)</c>
/// ("HIPAA004.Redact").
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA004PhiInTelemetryOrUrlFixer)), Shared]
public sealed class HIPAA004PhiInTelemetryOrUrlFixer : CodeFixProvider
{
    private static readonly PhiFixes Fixes = PhiFixes.Sanitizers(RuleIds.PhiInTelemetryOrUrl, PhiRuntime.Redact);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiInTelemetryOrUrl);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);
}
