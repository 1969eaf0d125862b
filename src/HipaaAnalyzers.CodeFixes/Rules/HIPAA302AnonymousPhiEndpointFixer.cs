using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA302: removes the anonymous overrides of the endpoint that are written in this file ("HIPAA302.RemoveAllowAnonymous"):
/// an <c>[AllowAnonymous]</c> attribute (its list when it is alone, the <c>#if DEBUG</c> block around it when nothing
/// else is in it), a <c>.AllowAnonymous()</c> call, a <c>.WithMetadata(new AllowAnonymousAttribute())</c> call, or the
/// same text in an <c>#if</c> region this build leaves out.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA302AnonymousPhiEndpointFixer)), Shared]
public sealed class HIPAA302AnonymousPhiEndpointFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIds.AnonymousPhiEndpoint + ".RemoveAllowAnonymous";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.AnonymousPhiEndpoint);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Removals(root, text, new[] { diagnostic }).Count == 0)
            {
                continue;
            }

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Remove the anonymous access",
                    cancellationToken => ApplyAsync(document, new[] { diagnostic }, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document?> FixDocumentAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        fixAllContext.CodeActionEquivalenceKey == EquivalenceKey
            ? await ApplyAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false)
            : document;

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var removals = Removals(root, text, diagnostics);
        return removals.Count == 0 ? document : document.WithText(text.WithChanges(removals.Select(span => new TextChange(span, string.Empty))));
    }

    /// <summary>The spans to delete for the anonymous overrides in this file, without duplicates or overlaps.</summary>
    private static List<TextSpan> Removals(SyntaxNode root, SourceText text, IEnumerable<Diagnostic> diagnostics)
    {
        var spans = new List<TextSpan>();
        foreach (var diagnostic in diagnostics)
        {
            foreach (var location in diagnostic.AdditionalLocations)
            {
                if (location.SourceTree == root.SyntaxTree && Removal(root, text, location.SourceSpan) is { } span &&
                    !spans.Any(s => s.OverlapsWith(span) || s == span))
                {
                    spans.Add(span);
                }
            }
        }

        return spans.OrderBy(s => s.Start).ToList();
    }

    private static TextSpan? Removal(SyntaxNode root, SourceText text, TextSpan span)
    {
        var trivia = root.FindTrivia(span.Start, findInsideTrivia: true);
        if (trivia.IsKind(SyntaxKind.DisabledTextTrivia))
        {
            var rest = trivia.ToString().Remove(span.Start - trivia.SpanStart, span.Length);
            return string.IsNullOrWhiteSpace(rest)
                ? WithDirectiveBlock(text, WholeLines(text, trivia.Span))
                : WholeLinesIfBlank(text, span);
        }

        for (var node = root.FindNode(span, getInnermostNodeForTie: true); node is not null && node.Span == span; node = node.Parent)
        {
            if (RemovalOf(text, node) is { } removal)
            {
                return removal;
            }
        }

        return null;
    }

    private static TextSpan? RemovalOf(SourceText text, SyntaxNode node)
    {
        switch (node)
        {
            case AttributeSyntax { Parent: AttributeListSyntax list } attribute:
                if (list.Attributes.Count == 1)
                {
                    return WithDirectiveBlock(text, WholeLinesIfBlank(text, list.Span));
                }

                var index = list.Attributes.IndexOf(attribute);
                var separator = index < list.Attributes.SeparatorCount ? list.Attributes.GetSeparator(index) : list.Attributes.GetSeparator(index - 1);
                return index < list.Attributes.SeparatorCount
                    ? TextSpan.FromBounds(attribute.SpanStart, list.Attributes[index + 1].SpanStart)
                    : TextSpan.FromBounds(separator.SpanStart, attribute.Span.End);

            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
                when node.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax metadata } } &&
                     metadata.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WithMetadata" }:
                return RemoveCall(text, metadata);

            case InvocationExpressionSyntax invocation:
                return RemoveCall(text, invocation);

            default:
                return null;
        }
    }

    /// <summary>
    /// <c>x.AllowAnonymous()</c> becomes <c>x</c>; a statement that is only <c>group.AllowAnonymous();</c> goes
    /// whole. Nothing when the call is a lambda's result, which would leave an expression that is not a statement.
    /// </summary>
    private static TextSpan? RemoveCall(SourceText text, InvocationExpressionSyntax invocation)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return null;
        }

        if (invocation.Parent is ExpressionStatementSyntax statement)
        {
            return access.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or ThisExpressionSyntax }
                ? WholeLinesIfBlank(text, statement.Span)
                : TextSpan.FromBounds(access.Expression.Span.End, invocation.Span.End);
        }

        return invocation.Parent is LambdaExpressionSyntax ? null : TextSpan.FromBounds(access.Expression.Span.End, invocation.Span.End);
    }

    /// <summary>The lines of <paramref name="span"/> with their line breaks.</summary>
    private static TextSpan WholeLines(SourceText text, TextSpan span)
    {
        var first = text.Lines.GetLineFromPosition(span.Start);
        var last = text.Lines.GetLineFromPosition(span.Length == 0 ? span.Start : span.End - 1);
        return TextSpan.FromBounds(first.Start, last.EndIncludingLineBreak);
    }

    /// <summary>Whole lines when nothing but <paramref name="span"/> is on them, otherwise the span.</summary>
    private static TextSpan WholeLinesIfBlank(SourceText text, TextSpan span)
    {
        var lines = WholeLines(text, span);
        var before = text.ToString(TextSpan.FromBounds(lines.Start, span.Start));
        var after = text.ToString(TextSpan.FromBounds(span.End, lines.End));
        return string.IsNullOrWhiteSpace(before) && string.IsNullOrWhiteSpace(after) ? lines : span;
    }

    /// <summary>Widens whole lines to the <c>#if</c> and <c>#endif</c> lines around them, when those lines hold nothing else.</summary>
    private static TextSpan WithDirectiveBlock(SourceText text, TextSpan lines)
    {
        var first = text.Lines.GetLineFromPosition(lines.Start).LineNumber;
        var last = text.Lines.GetLineFromPosition(lines.End == lines.Start ? lines.Start : lines.End - 1).LineNumber;
        if (first == 0 || last + 1 >= text.Lines.Count || text.Lines[first].Start != lines.Start)
        {
            return lines;
        }

        var opening = text.Lines[first - 1].ToString().Trim();
        var closing = text.Lines[last + 1].ToString().Trim();
        return opening.StartsWith("#if", System.StringComparison.Ordinal) && closing.StartsWith("#endif", System.StringComparison.Ordinal)
            ? TextSpan.FromBounds(text.Lines[first - 1].Start, text.Lines[last + 1].EndIncludingLineBreak)
            : lines;
    }
}
