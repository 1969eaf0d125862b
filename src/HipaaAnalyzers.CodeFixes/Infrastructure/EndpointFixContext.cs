using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// What the endpoint fixes of one document need: the editor all the fixes of a Fix All share, the semantic model, and
/// the ASP.NET Core and runtime types the fixed code uses, resolved by metadata name.
/// </summary>
internal sealed class EndpointFixContext
{
    public const string AuthorizeAttributeName = "Microsoft.AspNetCore.Authorization.AuthorizeAttribute";
    public const string AuditAttributeName = "HipaaAnalyzers.Runtime.AspNetCore.AuditPhiAccessAttribute";
    public const string AuditExtensionsName = "HipaaAnalyzers.Runtime.AspNetCore.AuditPhiAccessEndpointConventionBuilderExtensions";
    public const string AuditActionName = "HipaaAnalyzers.Runtime.Audit.AuditAction";
    public const string AuthorizationExtensionsName = "Microsoft.AspNetCore.Builder.AuthorizationEndpointConventionBuilderExtensions";

    private readonly HashSet<SyntaxNode> _done = new();
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);

    private EndpointFixContext(Document document, SyntaxNode root, SemanticModel model, DocumentEditor editor, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Editor = editor;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }
    public SyntaxNode Root { get; }
    public SemanticModel Model { get; }
    public DocumentEditor Editor { get; }
    public CancellationToken CancellationToken { get; }
    public SyntaxGenerator Generator => Editor.Generator;

    public static async Task<EndpointFixContext?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        return new EndpointFixContext(document, root, model, editor, cancellationToken);
    }

    /// <summary>A type the fixed code names, when code in this compilation can use it.</summary>
    public INamedTypeSymbol? Type(string metadataName)
    {
        var type = Model.Compilation.GetTypeByMetadataName(metadataName);
        return type is not null && Model.Compilation.IsSymbolAccessibleWithin(type, Model.Compilation.Assembly) ? type : null;
    }

    /// <summary>True the first time a node is edited: Fix All meets the same class or group once per diagnostic.</summary>
    public bool TryClaim(SyntaxNode node) => _done.Add(node);

    /// <summary>What the diagnostic points at: a Map call, an action (its name) or a class (its name).</summary>
    public SyntaxNode? FindTarget(Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != Root.SyntaxTree)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        var node = Root.FindNode(span, getInnermostNodeForTie: true);
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case InvocationExpressionSyntax invocation when invocation.Span == span:
                    return invocation;
                case MethodDeclarationSyntax method when method.Identifier.Span == span:
                    return method;
                case TypeDeclarationSyntax type when type.Identifier.Span == span:
                    return type;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>global::Namespace.Type</c> as a name, annotated so code action cleanup shortens it (attribute names lose their
    /// <c>Attribute</c> suffix); the namespace's using is added when the type is not in scope at <paramref name="position"/>.
    /// </summary>
    public NameSyntax TypeName(INamedTypeSymbol type, int position)
    {
        // The using is added by this class, in the file's own line breaks, rather than by the import adder.
        if (!Model.LookupNamespacesAndTypes(position, name: type.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, type)))
        {
            RequireNamespace(type.ContainingNamespace.ToDisplayString());
        }

        return ((NameSyntax)Generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary><c>[Authorize(Policy = "view:patients")]</c>.</summary>
    public AttributeListSyntax AuthorizeAttribute(INamedTypeSymbol authorize, string policy, int position) =>
        SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(
                TypeName(authorize, position),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(PolicyArgument(policy))))));

    /// <summary><c>Policy = "view:patients"</c>.</summary>
    public static AttributeArgumentSyntax PolicyArgument(string policy) =>
        SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("Policy")), null,
            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(policy)));

    /// <summary>The file's line break.</summary>
    private SyntaxTrivia NewLine =>
        Root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } newLine
            ? newLine
            : SyntaxFactory.CarriageReturnLineFeed;

    /// <summary>Adds an attribute list above a method or class, keeping its indentation.</summary>
    public void AddAttribute(MemberDeclarationSyntax declaration, AttributeListSyntax attribute) =>
        Editor.ReplaceNode(declaration, (current, _) =>
        {
            var member = (MemberDeclarationSyntax)current;
            var leading = member.GetLeadingTrivia();
            var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
                ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
                : SyntaxFactory.TriviaList();
            if (member.AttributeLists.Count == 0)
            {
                // The new list takes over the member's leading trivia (comments, directives); the member keeps the indentation.
                var list = attribute.WithLeadingTrivia(leading).WithTrailingTrivia(NewLine);
                return member.WithoutLeadingTrivia().WithLeadingTrivia(indentation).WithAttributeLists(SyntaxFactory.SingletonList(list));
            }

            var last = member.AttributeLists[member.AttributeLists.Count - 1];
            var added = attribute.WithLeadingTrivia(indentation).WithTrailingTrivia(last.GetTrailingTrivia());
            return member.WithAttributeLists(member.AttributeLists.Add(added));
        });

    /// <summary>Appends <c>.Method(arguments)</c> to a Map call: <c>app.MapGet(...).RequireAuthorization("view:patients")</c>.</summary>
    public void AppendCall(InvocationExpressionSyntax mapCall, string method, params ExpressionSyntax[] arguments) =>
        Editor.ReplaceNode(mapCall, (current, _) =>
        {
            var call = (InvocationExpressionSyntax)current;
            return SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression, call.WithoutTrailingTrivia(), SyntaxFactory.IdentifierName(method)),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(SyntaxFactory.Argument))))
                .WithTrailingTrivia(call.GetTrailingTrivia());
        });

    /// <summary>Whether the extension method <paramref name="method"/> can be called on <paramref name="receiver"/> here without a new using.</summary>
    public bool IsExtensionInScope(ExpressionSyntax receiver, string method)
    {
        var type = Model.GetTypeInfo(receiver, CancellationToken).Type;
        return type is not null &&
               Model.LookupSymbols(receiver.SpanStart, type, method, includeReducedExtensionMethods: true).Any(s => s is IMethodSymbol { ReducedFrom: not null });
    }

    /// <summary>Adds <c>using <paramref name="ns"/>;</c> to the file when the fixes are applied.</summary>
    public void RequireNamespace(string ns) => _namespaces.Add(ns);

    public Document GetChangedDocument()
    {
        var root = Editor.GetChangedRoot();
        if (root is CompilationUnitSyntax unit && _namespaces.Count > 0)
        {
            foreach (var ns in _namespaces.OrderBy(n => n, StringComparer.Ordinal))
            {
                unit = AddUsing(unit, ns);
            }

            root = unit;
        }

        return Document.WithSyntaxRoot(root);
    }

    /// <summary>Inserts the using in order (System namespaces first, then alphabetical), unless the file has it.</summary>
    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string ns)
    {
        if (unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == ns))
        {
            return unit;
        }

        // The file's own line break, taken from a using it has.
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).WithTrailingTrivia(
            unit.Usings.Count > 0 ? unit.Usings[unit.Usings.Count - 1].GetTrailingTrivia() : SyntaxFactory.TriviaList(SyntaxFactory.ElasticCarriageReturnLineFeed));
        var index = 0;
        for (; index < unit.Usings.Count; index++)
        {
            var existing = unit.Usings[index];
            if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None) || !existing.GlobalKeyword.IsKind(SyntaxKind.None))
            {
                continue;
            }

            if (Compare(existing.Name?.ToString() ?? string.Empty, ns) > 0)
            {
                break;
            }
        }

        if (unit.Usings.Count == 0)
        {
            return unit.WithUsings(SyntaxFactory.SingletonList(directive)).WithLeadingTrivia(unit.GetLeadingTrivia());
        }

        if (index == 0)
        {
            // The first using carries the file's leading trivia (a header comment): the new one takes it over.
            var first = unit.Usings[0];
            var usings = unit.Usings.Replace(first, first.WithoutLeadingTrivia()).Insert(0, directive.WithLeadingTrivia(first.GetLeadingTrivia()));
            return unit.WithUsings(usings);
        }

        return unit.WithUsings(unit.Usings.Insert(index, directive));
    }

    private static int Compare(string a, string b)
    {
        bool aSystem = a == "System" || a.StartsWith("System.", StringComparison.Ordinal);
        bool bSystem = b == "System" || b.StartsWith("System.", StringComparison.Ordinal);
        if (aSystem != bSystem)
        {
            return aSystem ? -1 : 1;
        }

        return string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
