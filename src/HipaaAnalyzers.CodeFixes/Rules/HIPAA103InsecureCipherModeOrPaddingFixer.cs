using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA103: ECB in an encryption helper method is rewritten to the runtime's field encryption
/// ("HIPAA103.UseFieldEncryption", see <see cref="FieldEncryptionRewrite"/>); RSA PKCS#1 v1.5 padding becomes OAEP
/// ("HIPAA103.UseOaep"): <c>RSAEncryptionPadding.Pkcs1</c> becomes <c>OaepSHA256</c>, except on
/// RSACryptoServiceProvider, whose Windows provider supports OAEP only with SHA-1, where it becomes <c>OaepSHA1</c> and
/// <c>Encrypt(data, false)</c> becomes <c>Encrypt(data, true)</c>. ECB where the rewrite does not apply gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA103InsecureCipherModeOrPaddingFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA103InsecureCipherModeOrPaddingFixer : CodeFixProvider
{
    public const string FieldEncryptionKey = RuleIds.InsecureCipherModeOrPadding + ".UseFieldEncryption";
    public const string OaepKey = RuleIds.InsecureCipherModeOrPadding + ".UseOaep";

    private static readonly CryptoFixes Fixes = new(BuildAsync);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InsecureCipherModeOrPadding);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static async Task<IReadOnlyList<CryptoFix>> BuildAsync(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(CryptoProperties.Kind, out var kind);
        if (kind == CryptoProperties.RsaPaddingKind)
        {
            return await CryptoFixes.One(FixPadding(document, root, model, diagnostic, cancellationToken)).ConfigureAwait(false);
        }

        return await CryptoFixes.One(await FieldEncryptionRewrite.TryCreateAsync(document, root, model, diagnostic, FieldEncryptionKey, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static CryptoFix? FixPadding(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        bool onCryptoServiceProvider = IsOnCryptoServiceProvider(model, node, cancellationToken);
        switch (node)
        {
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.FalseLiteralExpression } literal:
            {
                // RSACryptoServiceProvider.Encrypt(data, fOAEP: false) -> true (OAEP with SHA-1, what CAPI supports).
                var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(literal);
                return new CryptoFix("Use OAEP padding", OaepKey, literal.Span, editor => editor.ReplaceNode(literal, replacement));
            }

            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Pkcs1" } padding
                when CryptoSyntax.Resolve(model.Compilation, "System.Security.Cryptography.RSAEncryptionPadding") is { } paddingType:
            {
                var member = onCryptoServiceProvider ? "OaepSHA1" : "OaepSHA256";
                var generator = SyntaxGenerator.GetGenerator(document);
                var replacement = CryptoSyntax.StaticMember(generator, paddingType, member).WithTriviaFrom(padding);
                return new CryptoFix("Use RSAEncryptionPadding." + member, OaepKey, padding.Span, editor => editor.ReplaceNode(padding, replacement));
            }

            default:
                return null;
        }
    }

    /// <summary>Whether the padding is passed to a method called on an RSACryptoServiceProvider.</summary>
    private static bool IsOnCryptoServiceProvider(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } } })
        {
            for (var type = model.GetTypeInfo(access.Expression, cancellationToken).Type; type is not null; type = type.BaseType)
            {
                if (type.Name == "RSACryptoServiceProvider")
                {
                    return true;
                }
            }
        }

        return false;
    }
}
