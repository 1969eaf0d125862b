using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Flow;

/// <summary>Where a hard-coded value came from: what the diagnostic says, the named symbol that holds it, its text.</summary>
internal sealed class HardCodedValue
{
    public HardCodedValue(string description, ISymbol? symbol, string? text)
    {
        Description = description;
        Symbol = symbol;
        Text = text;
    }

    /// <summary>"a string literal", "the constant 'JwtKey'", "the static readonly field 'Key'" ...</summary>
    public string Description { get; }

    /// <summary>The field, property or local that holds the value, when it came through one.</summary>
    public ISymbol? Symbol { get; }

    /// <summary>The string the value is made from, when one is known (for example the text of a PEM block).</summary>
    public string? Text { get; }

    public HardCodedValue Through(ISymbol symbol, string description) => new(description, Symbol ?? symbol, Text);
}

/// <summary>
/// Decides whether a value is fixed by the source code: literals, constants, readonly fields and get-only properties with
/// a hard-coded initializer, locals assigned one, byte array literals, and the encodings and conversions that turn
/// text into key bytes (<c>Encoding.*.GetBytes</c>, <c>Convert.FromBase64String</c>, <c>Convert.FromHexString</c>,
/// <c>"..."u8</c>, hashing a literal). Values from parameters, configuration, calls and random sources are not.
/// </summary>
internal static class HardCodedValues
{
    public static HardCodedValue? Find(IOperation? value) => Find(value, 0, new FlowBudget());

    private static HardCodedValue? Find(IOperation? value, int depth, FlowBudget budget)
    {
        if (value is null || depth > FlowBudget.MaxDepth)
        {
            return null;
        }

        value = CryptoSymbols.SkipConversions(value);
        if (value.ConstantValue.HasValue)
        {
            return FromConstant(value);
        }

        switch (value)
        {
            case ILocalReferenceOperation local:
                return FromSources(local, depth, budget, local.Local);
            case IParameterReferenceOperation:
            case IArrayElementReferenceOperation:
            case IPropertyReferenceOperation { Property.IsIndexer: true }:
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: IPropertyReferenceOperation { Property.Name: "First" or "Last" } }:
                // A parameter (what callers pass), an element or item of an array or collection the code filled.
                return FromSources(value, depth, budget, null);
            case IFieldReferenceOperation field:
                return FromField(field, depth, budget);
            case IPropertyReferenceOperation property:
                return FromProperty(property, depth, budget);
            case IInvocationOperation invocation:
                return FromInvocation(invocation, depth, budget);
            case IArrayCreationOperation { Initializer: { ElementValues.Length: > 0 } arrayInitializer }:
                return FromArrayInitializer(arrayInitializer);
            case IArrayInitializerOperation { ElementValues.Length: > 0 } initializer:
                // byte[] Key = { 1, 2, 3 }: the initializer of a field declaration on its own.
                return FromArrayInitializer(initializer);
            case IUtf8StringOperation utf8 when utf8.Value.Length > 0:
                return new HardCodedValue("a UTF-8 string literal", null, utf8.Value);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when add.Type?.SpecialType == SpecialType.System_String:
                var left = Find(add.LeftOperand, depth + 1, budget);
                var right = left is null ? null : Find(add.RightOperand, depth + 1, budget);
                return left is null || right is null ? null : new HardCodedValue("a concatenation of literals", left.Symbol ?? right.Symbol, left.Text + right.Text);
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation hole && Find(hole.Expression, depth + 1, budget) is null)
                    {
                        return null;
                    }
                }

                return new HardCodedValue("an interpolated string of literals", null, null);
            case ICoalesceOperation coalesce:
                return Find(coalesce.WhenNull, depth + 1, budget) is { } fallback
                    ? new HardCodedValue("a hard-coded fallback (" + fallback.Description + ")", fallback.Symbol, fallback.Text)
                    : null;
            case IConditionalOperation conditional:
                return Find(conditional.WhenTrue, depth + 1, budget) ?? Find(conditional.WhenFalse, depth + 1, budget);
            default:
                // C# 12 collection expressions are not described by IOperation in Roslyn 4.8.
                return value.Syntax is CollectionExpressionSyntax collection ? FromSyntax(collection) : null;
        }
    }

    private static HardCodedValue? FromArrayInitializer(IArrayInitializerOperation initializer)
    {
        foreach (var element in initializer.ElementValues)
        {
            if (!CryptoSymbols.SkipConversions(element).ConstantValue.HasValue)
            {
                return null;
            }
        }

        return new HardCodedValue("a byte array literal", null, null);
    }

    private static HardCodedValue? FromConstant(IOperation value)
    {
        var constant = value.ConstantValue.Value;
        if (constant is null || constant is string { Length: 0 } || constant is string s && string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        var text = constant as string;
        switch (value)
        {
            case IFieldReferenceOperation field:
                return new HardCodedValue("the constant '" + field.Field.Name + "'", field.Field, text);
            case ILocalReferenceOperation local:
                return new HardCodedValue("the constant '" + local.Local.Name + "'", local.Local, text);
            case ILiteralOperation:
                return new HardCodedValue(text is null ? "a literal" : "a string literal", null, text);
            default:
                return new HardCodedValue("a constant expression", null, text);
        }
    }

    /// <summary>The first hard-coded value among the values <paramref name="value"/> can be one step back (<see cref="ValueFlow.Back"/>).</summary>
    private static HardCodedValue? FromSources(IOperation value, int depth, FlowBudget budget, ISymbol? holder)
    {
        foreach (var source in ValueFlow.Back(value, budget))
        {
            if (Find(source, depth + 1, budget) is { } found)
            {
                return holder is not null && found.Symbol is null ? found.Through(holder, found.Description) : found;
            }
        }

        return null;
    }

    private static HardCodedValue? FromField(IFieldReferenceOperation reference, int depth, FlowBudget budget)
    {
        var field = reference.Field;
        if (!field.IsReadOnly)
        {
            // A field the code assigns: any value written into it (static dataBad = "...").
            return field.IsConst ? null : FromSources(reference, depth, budget, field);
        }

        if (!budget.Enter(field))
        {
            return null;
        }

        foreach (var initializer in ValueFlow.InitializerSyntax(field))
        {
            if (FromInitializer(reference, initializer, depth, budget) is { } found)
            {
                var what = (field.IsStatic ? "the static readonly field '" : "the readonly field '") + field.Name + "'";
                return new HardCodedValue(what, field, found.Text);
            }
        }

        return null;
    }

    private static HardCodedValue? FromProperty(IPropertyReferenceOperation reference, int depth, FlowBudget budget)
    {
        var property = reference.Property;
        if (property.SetMethod is not null || property.IsIndexer || !budget.Enter(property))
        {
            return null;
        }

        foreach (var body in ValueFlow.InitializerSyntax(property))
        {
            if (FromInitializer(reference, body, depth, budget) is { } found)
            {
                return new HardCodedValue("the property '" + property.Name + "'", property, found.Text);
            }
        }

        return null;
    }

    /// <summary>
    /// The initializer of a field or property: through the semantic model when it is in the file being analyzed,
    /// judged by its syntax otherwise (an analyzer may not ask for another file's semantic model).
    /// </summary>
    private static HardCodedValue? FromInitializer(IOperation reference, ExpressionSyntax initializer, int depth, FlowBudget budget)
    {
        if (reference.SemanticModel is { } model && model.SyntaxTree == initializer.SyntaxTree)
        {
            return Find(model.GetOperation(initializer), depth + 1, budget);
        }

        return FromSyntax(initializer);
    }

    /// <summary>
    /// A call whose result is fixed when what it is made from is. Not <see cref="ForwardFlow.CarriesValue"/>, on purpose:
    /// that list says a result depends on an input, this one that the result is fixed, so it names the one input each
    /// call is made from (or needs every argument fixed), and hashing a literal counts here.
    /// </summary>
    private static HardCodedValue? FromInvocation(IInvocationOperation invocation, int depth, FlowBudget budget)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return null;
        }

        IOperation? source = null;
        switch (method.Name)
        {
            case "GetBytes" when !method.IsStatic && TypeNames.DerivesFrom(type, "System.Text.Encoding") && invocation.Arguments.Length >= 1:
            case "FromBase64String" or "FromHexString" or "FromBase64CharArray" or "ToBase64String" or "ToHexString"
                when TypeNames.Is(type, "System.Convert") && invocation.Arguments.Length >= 1:
            case "HashData" or "ComputeHash" when IsHashType(type) && invocation.Arguments.Length >= 1:
                source = invocation.Arguments[0].Value;
                break;
            // A whole copy or view has the receiver's value (ForwardFlow.RootSymbol follows only views: it asks where writes go).
            case "ToArray" or "AsSpan" or "AsMemory" or "ToCharArray" when invocation.Instance is not null && invocation.Arguments.Length == 0:
                source = invocation.Instance;
                break;
            case "Concat" or "Format" or "Join" when type.SpecialType == SpecialType.System_String:
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
                    {
                        foreach (var item in items.ElementValues)
                        {
                            if (Find(item, depth + 1, budget) is null)
                            {
                                return null;
                            }
                        }
                    }
                    else if (argument.ArgumentKind != ArgumentKind.DefaultValue && Find(argument.Value, depth + 1, budget) is null)
                    {
                        return null;
                    }
                }

                return new HardCodedValue("a string built from literals", null, null);
        }

        if (source is not null)
        {
            return Find(source, depth + 1, budget);
        }

        // An item of a collection (dataList.First()), or what a method of this compilation returns (data = BadSource()).
        return FromSources(invocation, depth, budget, null);
    }

    /// <summary>A judgement from syntax alone, for initializers in other files: literals and the same conversions.</summary>
    private static HardCodedValue? FromSyntax(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return FromSyntax(parenthesized.Expression);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                return string.IsNullOrWhiteSpace(literal.Token.ValueText) ? null : new HardCodedValue("a string literal", null, literal.Token.ValueText);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.Utf8StringLiteralExpression):
                return new HardCodedValue("a UTF-8 string literal", null, literal.Token.ValueText);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                return FromSyntax(binary.Left) is { } l && FromSyntax(binary.Right) is { } r
                    ? new HardCodedValue("a concatenation of literals", null, l.Text + r.Text)
                    : null;
            case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
                when invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetBytes" or "FromBase64String" or "FromHexString" or "HashData" }:
                return FromSyntax(invocation.ArgumentList.Arguments[0].Expression);
            case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToArray" } access }:
                return FromSyntax(access.Expression);
            case ArrayCreationExpressionSyntax { Initializer: { } initializer }:
                return AllLiterals(initializer.Expressions) ? new HardCodedValue("a byte array literal", null, null) : null;
            case InitializerExpressionSyntax arrayInitializer when arrayInitializer.IsKind(SyntaxKind.ArrayInitializerExpression):
                return AllLiterals(arrayInitializer.Expressions) ? new HardCodedValue("a byte array literal", null, null) : null;
            case ImplicitArrayCreationExpressionSyntax { Initializer: { } initializer }:
                return AllLiterals(initializer.Expressions) ? new HardCodedValue("a byte array literal", null, null) : null;
            case CollectionExpressionSyntax collection:
                var elements = new List<ExpressionSyntax>();
                foreach (var element in collection.Elements)
                {
                    if (element is not ExpressionElementSyntax { Expression: { } item })
                    {
                        return null;
                    }

                    elements.Add(item);
                }

                return elements.Count > 0 && AllLiterals(elements) ? new HardCodedValue("a byte array literal", null, null) : null;
            default:
                return null;
        }
    }

    private static bool AllLiterals(IEnumerable<ExpressionSyntax> expressions)
    {
        bool any = false;
        foreach (var expression in expressions)
        {
            var e = expression;
            while (e is CastExpressionSyntax cast)
            {
                e = cast.Expression;
            }

            if (e is not LiteralExpressionSyntax)
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static bool IsHashType(INamedTypeSymbol type) =>
        TypeNames.DerivesFrom(type, "System.Security.Cryptography.HashAlgorithm") && !TypeNames.DerivesFrom(type, "System.Security.Cryptography.KeyedHashAlgorithm");
}
