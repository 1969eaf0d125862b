using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// Applies one endpoint fix to the editor of an <see cref="EndpointFixContext"/>; false when it cannot (the target is
/// gone, or the types the fixed code names are not available), and then no fix is offered.
/// </summary>
internal delegate bool EndpointFix(EndpointFixContext context, Diagnostic diagnostic);

/// <summary>The code action and the Fix All of one endpoint rule; Fix All edits each document once, with every fix in it.</summary>
internal sealed class EndpointFixes
{
    private readonly Func<Diagnostic, string> _title;
    private readonly string _equivalenceKey;
    private readonly EndpointFix _fix;

    public EndpointFixes(Func<Diagnostic, string> title, string equivalenceKey, EndpointFix fix)
    {
        _title = title;
        _equivalenceKey = equivalenceKey;
        _fix = fix;
        FixAll = FixAllProvider.Create(FixDocumentAsync);
    }

    public FixAllProvider FixAll { get; }

    public async Task RegisterAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            // A trial run decides whether the fix is offered.
            var trial = await EndpointFixContext.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
            if (trial is null || !_fix(trial, diagnostic))
            {
                continue;
            }

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    _title(diagnostic),
                    async cancellationToken =>
                    {
                        var fix = await EndpointFixContext.CreateAsync(document, cancellationToken).ConfigureAwait(false);
                        return fix is not null && _fix(fix, diagnostic) ? fix.GetChangedDocument() : document;
                    },
                    _equivalenceKey),
                diagnostic);
        }
    }

    private async Task<Document?> FixDocumentAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (fixAllContext.CodeActionEquivalenceKey != _equivalenceKey ||
            await EndpointFixContext.CreateAsync(document, fixAllContext.CancellationToken).ConfigureAwait(false) is not { } context)
        {
            return document;
        }

        bool any = false;
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            any |= _fix(context, diagnostic);
        }

        return any ? context.GetChangedDocument() : document;
    }
}
