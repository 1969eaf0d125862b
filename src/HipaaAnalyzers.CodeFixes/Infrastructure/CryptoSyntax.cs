using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>Syntax helpers shared by the cryptography fixes.</summary>
internal static class CryptoSyntax
{
    /// <summary>
    /// A type by metadata name, usable from this compilation, or null (then no fix is offered: the fixed code would
    /// not compile).
    /// </summary>
    public static INamedTypeSymbol? Resolve(Compilation compilation, string metadataName)
    {
        var type = compilation.GetTypeByMetadataName(metadataName);
        return type is not null && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly) ? type : null;
    }

    /// <summary>The type as an expression, annotated so cleanup shortens it and adds the using it needs.</summary>
    public static ExpressionSyntax TypeExpression(SyntaxGenerator generator, ITypeSymbol type) =>
        ((ExpressionSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>The type as a type name, annotated the same way.</summary>
    public static TypeSyntax TypeName(SyntaxGenerator generator, ITypeSymbol type) =>
        ((TypeSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary><c>Type.Member</c> with the type annotated for cleanup.</summary>
    public static ExpressionSyntax StaticMember(SyntaxGenerator generator, ITypeSymbol type, string member) =>
        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeExpression(generator, type), SyntaxFactory.IdentifierName(member));

    /// <summary>
    /// The statement or initializer element to delete when an override is removed: the expression statement
    /// <c>x.P = v;</c> / <c>x.P += v;</c>, or the element <c>P = v</c> of an object initializer. Null otherwise.
    /// </summary>
    public static SyntaxNode? RemovableAssignment(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is AssignmentExpressionSyntax assignment)
            {
                if (assignment.Parent is ExpressionStatementSyntax statement && statement.Expression == assignment &&
                    statement.Parent is BlockSyntax or SwitchSectionSyntax)
                {
                    return statement;
                }

                if (assignment.Parent is InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ObjectInitializerExpression })
                {
                    return assignment;
                }

                return null;
            }

            if (current is StatementSyntax or LambdaExpressionSyntax && current != node)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The outermost parenthesized expression around <paramref name="expression"/>, or itself.</summary>
    public static ExpressionSyntax WalkUpParentheses(ExpressionSyntax expression)
    {
        while (expression.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized;
        }

        return expression;
    }
}
