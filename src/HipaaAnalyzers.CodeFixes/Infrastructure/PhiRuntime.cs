using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>The sanitizers of the runtime library (<c>HipaaAnalyzers.Runtime.Phi</c>) that the fixes call.</summary>
internal static class PhiRuntime
{
    public const string PhiTypeMetadataName = "HipaaAnalyzers.Runtime.Phi";
    public const string Redact = "Redact";
    public const string Pseudonymize = "Pseudonymize";

    /// <summary>
    /// The runtime's <c>Phi</c> type when code in this compilation can call it; null otherwise, and then no fix is
    /// offered, because the fixed code would not compile.
    /// </summary>
    public static INamedTypeSymbol? Resolve(Compilation compilation)
    {
        var phi = compilation.GetTypeByMetadataName(PhiTypeMetadataName);
        return phi is not null && compilation.IsSymbolAccessibleWithin(phi, compilation.Assembly) ? phi : null;
    }

    /// <summary>Whether <paramref name="phi"/> has <c>public static string Method(object? value)</c>; a team's own copy may lack one.</summary>
    public static bool Has(INamedTypeSymbol phi, string method)
    {
        foreach (var member in phi.GetMembers(method))
        {
            if (member is IMethodSymbol
                {
                    IsStatic: true,
                    DeclaredAccessibility: Accessibility.Public,
                    IsGenericMethod: false,
                    ReturnType.SpecialType: SpecialType.System_String,
                    Parameters.Length: 1,
                } candidate &&
                candidate.Parameters[0] is { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Object })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>global::HipaaAnalyzers.Runtime.Phi.Method(value)</c>, annotated so code action cleanup shortens it to
    /// <c>Phi.Method(value)</c> and adds <c>using HipaaAnalyzers.Runtime;</c> where needed. The call takes over the
    /// value's leading and trailing trivia. <paramref name="model"/> and <paramref name="position"/> say where the
    /// call goes, which decides whether the short name <c>Phi</c> is free there.
    /// </summary>
    public static ExpressionSyntax Call(
        SyntaxGenerator generator, SemanticModel model, int position, INamedTypeSymbol phi, string method, ExpressionSyntax value)
    {
        ExpressionSyntax type;
        if (IsShortNameFree(model, position, phi))
        {
            // TypeExpression attaches the symbol annotation the import adder reads to know which namespace to import.
            type = ((ExpressionSyntax)generator.TypeExpression(phi))
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        }
        else
        {
            // Shaped as the parser would read it, since it stays qualified; the simplifier still drops 'global::'.
            type = SyntaxFactory.ParseExpression("global::" + PhiTypeMetadataName).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        var call = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                type,
                SyntaxFactory.IdentifierName(method)),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(value.WithoutTrivia()))));
        return call.WithTriviaFrom(value).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>
    /// False when something else called <c>Phi</c> (a field, a local, another type or namespace) is in scope: a using
    /// would not make the short name usable there, so the call keeps its namespace and no using is added.
    /// </summary>
    private static bool IsShortNameFree(SemanticModel model, int position, INamedTypeSymbol phi)
    {
        foreach (var symbol in model.LookupSymbols(position, name: phi.Name))
        {
            if (!SymbolEqualityComparer.Default.Equals(symbol, phi))
            {
                return false;
            }
        }

        return true;
    }
}
