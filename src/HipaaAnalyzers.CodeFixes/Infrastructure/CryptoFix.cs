using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// One edit a cryptography fix makes: the span it rewrites (fixes whose spans overlap are not applied together), the
/// rewrite itself, and optionally a setup shared by every fix in the same place (a field and constructor parameter
/// added once per class, however many methods of the class are fixed).
/// </summary>
internal sealed class CryptoFix
{
    public CryptoFix(string title, string equivalenceKey, TextSpan span, Action<SyntaxEditor> edit, SyntaxNode? setupKey = null, Action<SyntaxEditor>? setup = null)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
        Span = span;
        Edit = edit;
        SetupKey = setupKey;
        Setup = setup;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }

    public TextSpan Span { get; }

    public Action<SyntaxEditor> Edit { get; }

    public SyntaxNode? SetupKey { get; }

    public Action<SyntaxEditor>? Setup { get; }

    /// <summary>Replaces one node, keeping its trivia.</summary>
    public static CryptoFix Replace(string title, string equivalenceKey, SyntaxNode original, SyntaxNode replacement) =>
        new(title, equivalenceKey, original.Span, editor => editor.ReplaceNode(original, replacement.WithTriviaFrom(original)));

    /// <summary>Replaces several nodes of one statement or declaration together; the fix spans all of them.</summary>
    public static CryptoFix Replace(string title, string equivalenceKey, IReadOnlyDictionary<SyntaxNode, SyntaxNode> edits)
    {
        var span = TextSpan.FromBounds(edits.Keys.Min(n => n.SpanStart), edits.Keys.Max(n => n.Span.End));
        return new(title, equivalenceKey, span, editor =>
        {
            foreach (var edit in edits)
            {
                editor.ReplaceNode(edit.Key, edit.Value);
            }
        });
    }
}

/// <summary>Builds the fixes one rule offers for one diagnostic; an empty list when the rule only reports it.</summary>
internal delegate Task<IReadOnlyList<CryptoFix>> CryptoFixBuilder(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);

/// <summary>The code actions and the Fix All of one cryptography rule, both made from the same builder.</summary>
internal sealed class CryptoFixes
{
    private readonly CryptoFixBuilder _build;

    public CryptoFixes(CryptoFixBuilder build)
    {
        _build = build;
        FixAll = FixAllProvider.Create(FixDocumentAsync);
    }

    /// <summary>A rule with at most one fix per diagnostic, built from a <see cref="CryptoFixContext"/>.</summary>
    public CryptoFixes(Func<CryptoFixContext, Diagnostic, CryptoFix?> build)
        : this((document, root, model, diagnostic, cancellationToken) =>
            One(TryBuild(build, new CryptoFixContext(document, root, model, cancellationToken), diagnostic)))
    {
    }

    /// <summary>Document, project and solution scope.</summary>
    public FixAllProvider FixAll { get; }

    public async Task RegisterAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var fix in await _build(document, root, model, diagnostic, context.CancellationToken).ConfigureAwait(false))
            {
                var chosen = fix;
                context.RegisterCodeFix(
                    CodeAction.Create(chosen.Title, ct => ApplyAsync(document, new[] { chosen }, ct), chosen.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private async Task<Document?> FixDocumentAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var cancellationToken = fixAllContext.CancellationToken;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // Outer spans first; a fix whose span overlaps one already taken is left out (the same method rewritten for two
        // diagnostics is taken once).
        var chosen = new List<CryptoFix>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.Length))
        {
            var fixes = await _build(document, root, model, diagnostic, cancellationToken).ConfigureAwait(false);
            var fix = fixes.FirstOrDefault(f => f.EquivalenceKey == fixAllContext.CodeActionEquivalenceKey);
            if (fix is not null && !chosen.Any(c => c.Span.OverlapsWith(fix.Span) || c.Span == fix.Span))
            {
                chosen.Add(fix);
            }
        }

        return chosen.Count == 0 ? document : await ApplyAsync(document, chosen, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> ApplyAsync(Document document, IReadOnlyList<CryptoFix> fixes, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var fix in fixes)
        {
            fix.Edit(editor);
        }

        var setUp = new HashSet<SyntaxNode>();
        foreach (var fix in fixes)
        {
            if (fix.SetupKey is not null && fix.Setup is not null && setUp.Add(fix.SetupKey))
            {
                fix.Setup(editor);
            }
        }

        return editor.GetChangedDocument();
    }

    private static CryptoFix? TryBuild(Func<CryptoFixContext, Diagnostic, CryptoFix?> build, CryptoFixContext context, Diagnostic diagnostic)
    {
        try
        {
            return build(context, diagnostic);
        }
        catch (InvalidOperationException)
        {
            // Speculative binding can refuse some positions; then there is no fix rather than a failure.
            return null;
        }
    }

    public static IReadOnlyList<CryptoFix> None { get; } = Array.Empty<CryptoFix>();

    public static Task<IReadOnlyList<CryptoFix>> NoneAsync { get; } = Task.FromResult(None);

    public static Task<IReadOnlyList<CryptoFix>> One(CryptoFix? fix) =>
        Task.FromResult<IReadOnlyList<CryptoFix>>(fix is null ? None : new[] { fix });
}
