using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// HIPAA104: writes the configured minimum in place of a small key size literal (<c>RSA.Create(1024)</c> becomes
/// <c>RSA.Create(2048)</c>) and <c>ECCurve.NamedCurves.nistP256</c> in place of a small curve ("HIPAA104.UseMinimum").
/// DSA gets no fix: moving to ECDSA or RSA changes the signature format for everyone who verifies it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA104InsufficientKeySizeFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA104InsufficientKeySizeFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.InsufficientKeySize + ".UseMinimum";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InsufficientKeySize);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static Task<IReadOnlyList<CryptoFix>> Build(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(CryptoProperties.Kind, out var kind) ||
            !diagnostic.Properties.TryGetValue(CryptoProperties.Replacement, out var replacement) || replacement is null)
        {
            return CryptoFixes.NoneAsync;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (kind == CryptoProperties.SizeKind)
        {
            if (node is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal ||
                !int.TryParse(replacement, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return CryptoFixes.NoneAsync;
            }

            var newLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(size)).WithTriviaFrom(literal);
            return CryptoFixes.One(new CryptoFix($"Use a {replacement}-bit key", EquivalenceKey, literal.Span, editor => editor.ReplaceNode(literal, newLiteral)));
        }

        if (kind == CryptoProperties.CurveKind && node is ExpressionSyntax curve &&
            CryptoSyntax.Resolve(model.Compilation, "System.Security.Cryptography.ECCurve") is { } ecCurve)
        {
            var generator = SyntaxGenerator.GetGenerator(document);
            var newCurve = SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                CryptoSyntax.StaticMember(generator, ecCurve, "NamedCurves"),
                SyntaxFactory.IdentifierName(replacement)).WithTriviaFrom(curve);
            return CryptoFixes.One(new CryptoFix($"Use ECCurve.NamedCurves.{replacement}", EquivalenceKey, curve.Span, editor => editor.ReplaceNode(curve, newCurve)));
        }

        return CryptoFixes.NoneAsync;
    }
}
