using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA001: wraps the logged PHI value in <c>Phi.Redact(...)</c> ("HIPAA001.Redact") or, so the same patient can
/// still be followed across log lines, in <c>Phi.Pseudonymize(...)</c> ("HIPAA001.Pseudonymize").
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA001PhiInLogFixer)), Shared]
public sealed class HIPAA001PhiInLogFixer : CodeFixProvider
{
    private static readonly PhiFixes Fixes = PhiFixes.Sanitizers(RuleIds.PhiInLog, PhiRuntime.Redact, PhiRuntime.Pseudonymize);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiInLog);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);
}
