using System;
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
/// HIPAA109: removes the override ("HIPAA109.RemoveOverride"). A certificate callback, protocol or
/// <c>RequireHttpsMetadata = false</c> assignment is deleted (statement or object initializer element); a weak protocol
/// combined with '|' is dropped from the combination; a weak protocol or accept-all callback passed as an argument
/// becomes the system default (<c>SslProtocols.None</c>, <c>SecurityProtocolType.SystemDefault</c>, <c>null</c>); an
/// <c>http://</c> literal becomes <c>https://</c> when it has no explicit port.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA109WeakenedTransportSecurityFixer)), Shared]
public sealed class HIPAA109WeakenedTransportSecurityFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.WeakenedTransportSecurity + ".RemoveOverride";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.WeakenedTransportSecurity);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static Task<IReadOnlyList<CryptoFix>> Build(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(CryptoProperties.Kind, out var kind))
        {
            return CryptoFixes.NoneAsync;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        return CryptoFixes.One(kind switch
        {
            CryptoProperties.HttpKind => FixHttp(node),
            CryptoProperties.ProtocolKind => FixProtocol(document, model, node, cancellationToken),
            CryptoProperties.CallbackKind => FixCallback(node),
            CryptoProperties.HttpsMetadataKind => Remove(node, "Remove RequireHttpsMetadata = false"),
            _ => null,
        });
    }

    private static CryptoFix? Remove(SyntaxNode node, string title) =>
        CryptoSyntax.RemovableAssignment(node) is { } removable
            ? new CryptoFix(title, EquivalenceKey, removable.Span, editor => editor.RemoveNode(removable, SyntaxRemoveOptions.KeepNoTrivia))
            : null;

    private static CryptoFix? FixCallback(SyntaxNode node)
    {
        if (node is not ExpressionSyntax expression)
        {
            return null;
        }

        var value = CryptoSyntax.WalkUpParentheses(expression);
        if (value.Parent is AssignmentExpressionSyntax assignment && assignment.Right == value)
        {
            return Remove(assignment, "Remove the certificate validation override");
        }

        // new SslStream(stream, false, (s, c, ch, e) => true): null is the default validation.
        if (value.Parent is ArgumentSyntax)
        {
            var nullLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression).WithTriviaFrom(value);
            return new CryptoFix("Use the default certificate validation", EquivalenceKey, value.Span, editor => editor.ReplaceNode(value, nullLiteral));
        }

        return null;
    }

    private static CryptoFix? FixProtocol(Document document, SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is not ExpressionSyntax flag)
        {
            return null;
        }

        var value = CryptoSyntax.WalkUpParentheses(flag);

        // SslProtocols.Tls | SslProtocols.Tls12 -> SslProtocols.Tls12
        if (value.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression } or)
        {
            var other = or.Left == value ? or.Right : or.Left;
            var kept = other.WithTriviaFrom(or);
            return new CryptoFix("Remove the weak protocol", EquivalenceKey, or.Span, editor => editor.ReplaceNode(or, kept));
        }

        if (value.Parent is AssignmentExpressionSyntax assignment && assignment.Right == value)
        {
            return Remove(assignment, "Remove the protocol override");
        }

        if (value.Parent is ArgumentSyntax && model.GetTypeInfo(value, cancellationToken).Type is INamedTypeSymbol enumType)
        {
            var member = enumType.Name == "SslProtocols" ? "None" : enumType.Name == "SecurityProtocolType" ? "SystemDefault" : null;
            if (member is null || enumType.GetMembers(member).IsEmpty)
            {
                return null;
            }

            var generator = SyntaxGenerator.GetGenerator(document);
            var systemDefault = CryptoSyntax.StaticMember(generator, enumType, member).WithTriviaFrom(value);
            return new CryptoFix("Use the operating system's default protocols", EquivalenceKey, value.Span, editor => editor.ReplaceNode(value, systemDefault));
        }

        return null;
    }

    /// <summary>"http://" becomes "https://" in the literal or the first text part of an interpolated string.</summary>
    private static CryptoFix? FixHttp(SyntaxNode node)
    {
        switch (node)
        {
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal
                when literal.Token.IsKind(SyntaxKind.StringLiteralToken) &&
                     literal.Token.ValueText.StartsWith("http://", StringComparison.OrdinalIgnoreCase) &&
                     !HttpAddress.HasPort(literal.Token.ValueText):
            {
                var text = literal.Token.Text;
                int index = text.IndexOf("http://", StringComparison.OrdinalIgnoreCase);
                if (index < 0)
                {
                    return null;
                }

                var newText = text.Substring(0, index) + "https://" + text.Substring(index + "http://".Length);
                var newValue = "https://" + literal.Token.ValueText.Substring("http://".Length);
                var token = SyntaxFactory.Literal(literal.Token.LeadingTrivia, newText, newValue, literal.Token.TrailingTrivia);
                var newLiteral = literal.WithToken(token);
                return new CryptoFix("Use https://", EquivalenceKey, literal.Span, editor => editor.ReplaceNode(literal, newLiteral));
            }

            case InterpolatedStringExpressionSyntax interpolated
                when interpolated.Contents.Count > 0 && interpolated.Contents[0] is InterpolatedStringTextSyntax first &&
                     first.TextToken.ValueText.StartsWith("http://", StringComparison.OrdinalIgnoreCase) &&
                     !HttpAddress.HasPort(first.TextToken.ValueText):
            {
                var oldToken = first.TextToken;
                var newText = "https://" + oldToken.Text.Substring("http://".Length);
                var newValue = "https://" + oldToken.ValueText.Substring("http://".Length);
                var token = SyntaxFactory.Token(oldToken.LeadingTrivia, SyntaxKind.InterpolatedStringTextToken, newText, newValue, oldToken.TrailingTrivia);
                var newFirst = first.WithTextToken(token);
                return new CryptoFix("Use https://", EquivalenceKey, interpolated.Span, editor => editor.ReplaceNode(first, newFirst));
            }

            default:
                return null;
        }
    }
}
