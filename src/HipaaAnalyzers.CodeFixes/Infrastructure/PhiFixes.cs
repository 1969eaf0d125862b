using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>Adds the fixes one rule offers for one diagnostic whose target can be replaced.</summary>
internal delegate void PhiFixBuilder(PhiFixContext context, Diagnostic diagnostic, FixTarget target, List<PhiFix> fixes);

/// <summary>
/// The code actions and the Fix All of one rule, both built from the same <see cref="PhiFixBuilder"/>.
/// </summary>
/// <remarks>
/// Fix All edits each document once, with every fix of the chosen variant, so code action cleanup adds
/// <c>using HipaaAnalyzers.Runtime;</c> a single time. The batch fixer instead merges the text changes of separate fixes
/// and rejects a third identical insertion of the using, which leaves all but two fixes per file for a second run.
/// </remarks>
internal sealed class PhiFixes
{
    private readonly PhiFixBuilder _build;

    private readonly bool _toSinkValue;

    public PhiFixes(PhiFixBuilder build)
        : this(build, toSinkValue: false)
    {
    }

    private PhiFixes(PhiFixBuilder build, bool toSinkValue)
    {
        _build = build;
        _toSinkValue = toSinkValue;
        FixAll = FixAllProvider.Create(FixDocumentAsync);
    }

    /// <summary>Document, project and solution scope.</summary>
    public FixAllProvider FixAll { get; }

    /// <summary>
    /// One fix per sanitizer, for example "Redact with Phi.Redact" (key "HIPAA003.Redact"), around the value that
    /// reaches the sink (see <see cref="PhiFixContext.FindTarget(Diagnostic, bool)"/>).
    /// </summary>
    public static PhiFixes Sanitizers(string ruleId, params string[] sanitizers) =>
        new(
            (context, _, target, fixes) =>
            {
                foreach (var sanitizer in sanitizers)
                {
                    context.AddSanitizer(fixes, target, ruleId, sanitizer);
                }
            },
            toSinkValue: true);

    public async Task RegisterAsync(CodeFixContext context)
    {
        if (await PhiFixContext.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false) is not { } fix)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var option in Build(fix, diagnostic))
            {
                var document = fix.Document;
                var root = fix.Root;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        option.Title,
                        _ => Task.FromResult(document.WithSyntaxRoot(PhiFix.Apply(root, option.Edits))),
                        option.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private List<PhiFix> Build(PhiFixContext context, Diagnostic diagnostic)
    {
        var fixes = new List<PhiFix>();
        if (context.FindTarget(diagnostic, _toSinkValue) is { } target)
        {
            _build(context, diagnostic, target, fixes);
        }

        return fixes;
    }

    private async Task<Document?> FixDocumentAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (await PhiFixContext.CreateAsync(document, fixAllContext.CancellationToken).ConfigureAwait(false) is not { } context)
        {
            return document;
        }

        // Outer spans first: a value wrapped whole needs no fix inside it, and overlapping edits cannot both apply.
        var edits = new Dictionary<SyntaxNode, SyntaxNode>();
        var edited = new List<TextSpan>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.Length))
        {
            var chosen = Build(context, diagnostic).FirstOrDefault(f => f.EquivalenceKey == fixAllContext.CodeActionEquivalenceKey);
            if (chosen is null || chosen.Edits.Keys.Any(node => edited.Any(span => span.OverlapsWith(node.Span))))
            {
                continue;
            }

            foreach (var edit in chosen.Edits)
            {
                edits.Add(edit.Key, edit.Value);
                edited.Add(edit.Key.Span);
            }
        }

        return edits.Count == 0 ? document : document.WithSyntaxRoot(PhiFix.Apply(context.Root, edits));
    }
}
