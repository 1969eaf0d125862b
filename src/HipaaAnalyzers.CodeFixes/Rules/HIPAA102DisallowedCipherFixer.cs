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
/// HIPAA102: rewrites an encryption helper method that uses DES, Triple DES or RC2 to the runtime's field encryption
/// ("HIPAA102.UseFieldEncryption"; see <see cref="FieldEncryptionRewrite"/> for where it is offered); other uses get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA102DisallowedCipherFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA102DisallowedCipherFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.DisallowedCipher + ".UseFieldEncryption";

    private static readonly CryptoFixes Fixes = new(BuildAsync);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.DisallowedCipher);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static async Task<IReadOnlyList<CryptoFix>> BuildAsync(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        await CryptoFixes.One(await FieldEncryptionRewrite.TryCreateAsync(document, root, model, diagnostic, EquivalenceKey, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}
