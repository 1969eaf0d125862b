using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>What the cryptography fixes of one document need: its root, semantic model and a syntax generator.</summary>
internal sealed class CryptoFixContext
{
    private CryptoFixContext(Document document, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Generator = SyntaxGenerator.GetGenerator(document);
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }
    public SyntaxNode Root { get; }
    public SemanticModel Model { get; }
    public SyntaxGenerator Generator { get; }
    public CancellationToken CancellationToken { get; }

    public static async Task<CryptoFixContext?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return root is null || model is null ? null : new CryptoFixContext(document, root, model, cancellationToken);
    }

    /// <summary>The node the diagnostic points at, when it is in this document.</summary>
    public SyntaxNode? NodeOf(Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != Root.SyntaxTree ||
            !Root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node is ArgumentSyntax argument ? argument.Expression : node;
    }

    /// <summary>A type the compilation can use here, or null.</summary>
    public INamedTypeSymbol? Type(string metadataName)
    {
        var type = Model.Compilation.GetTypeByMetadataName(metadataName);
        return type is not null && Model.Compilation.IsSymbolAccessibleWithin(type, Model.Compilation.Assembly) ? type : null;
    }

    /// <summary>
    /// The type's name, annotated so code action cleanup shortens it and adds its using where needed
    /// (<c>RandomNumberGenerator</c> plus <c>using System.Security.Cryptography;</c>).
    /// </summary>
    public ExpressionSyntax TypeName(INamedTypeSymbol type) =>
        ((ExpressionSyntax)Generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary><c>Type.Member(arguments)</c>, the type name annotated for simplification.</summary>
    public InvocationExpressionSyntax Call(INamedTypeSymbol type, string member, params SyntaxNode[] arguments) =>
        (InvocationExpressionSyntax)Generator.InvocationExpression(Generator.MemberAccessExpression(TypeName(type), member), arguments);

    /// <summary>Whether <paramref name="expression"/>, put at <paramref name="position"/>, binds to a method returning <paramref name="expectedType"/>.</summary>
    public bool Binds(int position, ExpressionSyntax expression, ITypeSymbol? expectedType)
    {
        var symbol = Model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Symbol;
        if (symbol is not IMethodSymbol)
        {
            return false;
        }

        if (expectedType is null)
        {
            return true;
        }

        var type = Model.GetSpeculativeTypeInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Type;
        return SymbolEqualityComparer.Default.Equals(type, expectedType);
    }
}

/// <summary>One way to fix one diagnostic: nodes of the document and what replaces each.</summary>
internal sealed class CryptoFix
{
    public CryptoFix(string title, string equivalenceKey, IReadOnlyDictionary<SyntaxNode, SyntaxNode> edits)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
        Edits = edits;
    }

    public string Title { get; }
    public string EquivalenceKey { get; }
    public IReadOnlyDictionary<SyntaxNode, SyntaxNode> Edits { get; }

    public static CryptoFix Replace(string title, string equivalenceKey, SyntaxNode original, SyntaxNode replacement) =>
        new(title, equivalenceKey, new Dictionary<SyntaxNode, SyntaxNode> { [original] = replacement.WithTriviaFrom(original) });
}

/// <summary>Builds the fix of one diagnostic, or null when none compiles.</summary>
internal delegate CryptoFix? CryptoFixBuilder(CryptoFixContext context, Diagnostic diagnostic);

/// <summary>
/// The code action and the Fix All of one cryptography rule, both from the same <see cref="CryptoFixBuilder"/>.
/// Fix All edits each document once with every fix of the chosen kind, skipping fixes whose nodes overlap one
/// already taken, so cleanup adds each using a single time.
/// </summary>
internal sealed class CryptoFixes
{
    private readonly CryptoFixBuilder _build;

    public CryptoFixes(CryptoFixBuilder build)
    {
        _build = build;
        FixAll = FixAllProvider.Create(FixDocumentAsync);
    }

    public FixAllProvider FixAll { get; }

    public async Task RegisterAsync(CodeFixContext context)
    {
        if (await CryptoFixContext.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false) is not { } fix)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Build(fix, diagnostic) is { } option)
            {
                var document = fix.Document;
                var root = fix.Root;
                context.RegisterCodeFix(
                    CodeAction.Create(option.Title, _ => Task.FromResult(document.WithSyntaxRoot(Apply(root, option.Edits))), option.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private CryptoFix? Build(CryptoFixContext context, Diagnostic diagnostic)
    {
        try
        {
            return _build(context, diagnostic);
        }
        catch (System.InvalidOperationException)
        {
            // Speculative binding can refuse some positions; then there is no fix rather than a failure.
            return null;
        }
    }

    private static SyntaxNode Apply(SyntaxNode root, IReadOnlyDictionary<SyntaxNode, SyntaxNode> edits) =>
        root.ReplaceNodes(edits.Keys, (original, _) => edits[original]);

    private async Task<Document?> FixDocumentAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (await CryptoFixContext.CreateAsync(document, fixAllContext.CancellationToken).ConfigureAwait(false) is not { } context)
        {
            return document;
        }

        var edits = new Dictionary<SyntaxNode, SyntaxNode>();
        var edited = new List<TextSpan>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.Length))
        {
            var chosen = Build(context, diagnostic);
            if (chosen is null || chosen.EquivalenceKey != fixAllContext.CodeActionEquivalenceKey)
            {
                continue;
            }

            // The same edit from two diagnostics (one local used twice) is made once; other overlaps are skipped.
            if (chosen.Edits.Keys.All(node => edits.ContainsKey(node)))
            {
                continue;
            }

            if (chosen.Edits.Keys.Any(node => edited.Any(span => span.OverlapsWith(node.Span))))
            {
                continue;
            }

            foreach (var edit in chosen.Edits)
            {
                edits.Add(edit.Key, edit.Value);
                edited.Add(edit.Key.Span);
            }
        }

        return edits.Count == 0 ? document : document.WithSyntaxRoot(Apply(context.Root, edits));
    }
}
