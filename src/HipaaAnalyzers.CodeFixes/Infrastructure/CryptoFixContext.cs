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
    internal CryptoFixContext(Document document, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
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
