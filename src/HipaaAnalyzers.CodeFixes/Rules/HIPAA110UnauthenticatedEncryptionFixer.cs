using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA110: an encryption helper method that encrypts without authentication is rewritten to the runtime's field
/// encryption, AES-256-GCM ("HIPAA110.UseFieldEncryption", see <see cref="FieldEncryptionRewrite"/>), where its shape
/// allows; otherwise no fix is offered (the rule page shows encrypt-then-MAC).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA110UnauthenticatedEncryptionFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA110UnauthenticatedEncryptionFixer : CodeFixProvider
{
    public const string FieldEncryptionKey = RuleIds.UnauthenticatedEncryption + ".UseFieldEncryption";

    private static readonly CryptoFixes Fixes = new(BuildAsync);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnauthenticatedEncryption);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static async Task<IReadOnlyList<CryptoFix>> BuildAsync(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        await CryptoFixes.One(await FieldEncryptionRewrite.TryCreateAsync(document, root, model, diagnostic, FieldEncryptionKey, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}
