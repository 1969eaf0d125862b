using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>HIPAA003: wraps the PHI put into an exception message in <c>Phi.Redact(...)</c> ("HIPAA003.Redact").</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA003PhiInExceptionMessageFixer)), Shared]
public sealed class HIPAA003PhiInExceptionMessageFixer : CodeFixProvider
{
    private static readonly PhiFixes Fixes = PhiFixes.Sanitizers(RuleIds.PhiInExceptionMessage, PhiRuntime.Redact);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiInExceptionMessage);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);
}
