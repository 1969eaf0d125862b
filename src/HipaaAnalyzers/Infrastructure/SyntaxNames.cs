using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>Names read from syntax alone, for the per-file indexes that find candidates before anything is bound.</summary>
internal static class SyntaxNames
{
    /// <summary>
    /// The last name an expression or type names: <c>Map</c> of <c>app.Map</c>, <c>?.Map</c> or <c>Map</c>, <c>List</c>
    /// of <c>List&lt;T&gt;</c>, <c>Type</c> of <c>Ns.Type</c> or <c>global::Type</c>; null for anything else.
    /// </summary>
    public static string? Last(SyntaxNode expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };
}
