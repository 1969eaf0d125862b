using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// The expression a diagnostic points at (the PHI value, or the whole value handed to a sink), once it is known that
/// it may be replaced by another value.
/// </summary>
internal sealed class FixTarget
{
    private FixTarget(ExpressionSyntax expression, ITypeSymbol type, TypeInfo typeInfo)
    {
        Expression = expression;
        Type = type;
        TypeInfo = typeInfo;
    }

    public ExpressionSyntax Expression { get; }

    /// <summary>The expression's own type (not the type it is converted to).</summary>
    public ITypeSymbol Type { get; }

    public TypeInfo TypeInfo { get; }

    /// <summary>
    /// The expression at <paramref name="span"/>, or null when it is not a value that a call can take and stand in
    /// for: attribute arguments (constants only), <c>ref</c>/<c>out</c>/<c>in</c> arguments, assignment targets,
    /// type names, method groups, lambdas and ref structs.
    /// </summary>
    public static FixTarget? Find(SyntaxNode root, SemanticModel model, TextSpan span, CancellationToken cancellationToken)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax expression || expression.Span != span || !IsValuePosition(expression))
        {
            return null;
        }

        var symbol = model.GetSymbolInfo(expression, cancellationToken).Symbol;
        if (symbol is INamespaceOrTypeSymbol)
        {
            return null;
        }

        var typeInfo = model.GetTypeInfo(expression, cancellationToken);
        var type = typeInfo.Type;
        if (type is null || type.SpecialType == SpecialType.System_Void || type.IsRefLikeType ||
            type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error or TypeKind.Delegate)
        {
            return null;
        }

        return new FixTarget(expression, type, typeInfo);
    }

    /// <summary>
    /// Whether <paramref name="replacement"/>, of type <paramref name="replacementType"/>, still compiles where the
    /// expression stands: in an interpolation hole anything does; elsewhere the value must convert to what the
    /// context wants, or, as an argument or a receiver, the call must still bind to a method that returns the same type.
    /// </summary>
    public bool Accepts(SemanticModel model, ExpressionSyntax replacement, ITypeSymbol replacementType, CancellationToken cancellationToken)
    {
        if (Expression.Parent is InterpolationSyntax interpolation && interpolation.Expression == Expression)
        {
            return true;
        }

        if (TypeInfo.ConvertedType is { TypeKind: not TypeKind.Error } wanted &&
            model.Compilation.ClassifyConversion(replacementType, wanted).IsImplicit)
        {
            return true;
        }

        // Console.WriteLine(initial): WriteLine(char) becomes WriteLine(string); patient.ToString() stays a string.
        if (EnclosingCall(Expression) is { } call)
        {
            var originalType = model.GetTypeInfo(call, cancellationToken).Type;
            var rewritten = call.ReplaceNode(Expression, replacement);
            var symbol = model.GetSpeculativeSymbolInfo(call.SpanStart, rewritten, SpeculativeBindingOption.BindAsExpression).Symbol;
            var type = model.GetSpeculativeTypeInfo(call.SpanStart, rewritten, SpeculativeBindingOption.BindAsExpression).Type;
            return symbol is IMethodSymbol && SymbolEqualityComparer.Default.Equals(type, originalType);
        }

        return false;
    }

    /// <summary>The call the expression is an argument or the receiver of.</summary>
    private static ExpressionSyntax? EnclosingCall(ExpressionSyntax expression) => expression.Parent switch
    {
        ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ExpressionSyntax call and (InvocationExpressionSyntax or ObjectCreationExpressionSyntax) } } =>
            call,
        MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access when access.Expression == expression =>
            invocation,
        _ => null,
    };

    private static bool IsValuePosition(ExpressionSyntax expression)
    {
        // Attribute arguments must stay constants.
        for (var node = expression.Parent; node is not null; node = node.Parent)
        {
            if (node is AttributeArgumentSyntax)
            {
                return false;
            }

            if (node is StatementSyntax or MemberDeclarationSyntax)
            {
                break;
            }
        }

        switch (expression.Parent)
        {
            case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None):
            case RefExpressionSyntax:
            case AssignmentExpressionSyntax assignment when assignment.Left == expression:
                return false;
        }

        return expression is not (AnonymousFunctionExpressionSyntax or DeclarationExpressionSyntax or ThrowExpressionSyntax);
    }
}
