using System.Collections.Generic;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Flow;

/// <summary>The budget of one value-flow query: how deep or how many steps it goes, and how many symbols it may follow.</summary>
internal sealed class FlowBudget
{
    /// <summary>At most this many steps back from the value asked about.</summary>
    public const int MaxDepth = 12;

    /// <summary>
    /// At most this many steps forward (<see cref="ForwardFlow"/>): each use of the value, and each read of a symbol
    /// holding it, is one step. A forward query fans out instead of going down one chain, so it counts steps, not depth.
    /// </summary>
    public const int MaxSteps = 400;

    /// <summary>At most this many locals, parameters, fields, properties and methods are followed for one value.</summary>
    public const int MaxSymbols = 64;

    private HashSet<ISymbol>? _visited;
    private int _steps;

    /// <summary>Whether the query may take one more step forward; false once <see cref="MaxSteps"/> are taken.</summary>
    public bool Step() => ++_steps <= MaxSteps;

    /// <summary>Whether the query may follow <paramref name="symbol"/>: not yet followed, and within the budget.</summary>
    public bool Enter(ISymbol symbol)
    {
        _visited ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        return _visited.Count < MaxSymbols && _visited.Add(symbol);
    }
}

/// <summary>
/// The one place that knows how values move, for the cryptography and secrets rules: one step back from a value to the
/// values it can be. A local reads what is assigned to it in its body (<see cref="LocalAssignments"/>, which also records
/// array element writes and collection adds) and can reach the read over the control-flow graph
/// (<see cref="ReachingAssignments"/>); a parameter what the compilation's callers pass
/// (<see cref="ProgramIndex"/>); a field what is written into it, or its initializer when it is read-only; a get-only
/// property its initializer or expression body; a call of a method of this compilation what the method returns; an
/// element or item, the array or collection it is read from; <c>??</c>, <c>?:</c> and switch expressions, each branch.
/// Every query has a <see cref="FlowBudget"/>, so its cost is bounded whatever the code.
/// </summary>
internal static class ValueFlow
{
    /// <summary>The values <paramref name="value"/> can be, one step back; empty when it is not a read the engine follows.</summary>
    public static IEnumerable<IOperation> Back(IOperation value, FlowBudget budget)
    {
        switch (value)
        {
            case IConversionOperation conversion:
                return One(conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return One(parenthesized.Operand);
            case ILocalReferenceOperation local:
                return local.Local.RefKind == RefKind.None && budget.Enter(local.Local)
                    ? ReachingAssignments.Filter(local, LocalAssignments.For(local).ValuesOf(local.Local))
                    : None;
            case IParameterReferenceOperation parameter:
                return parameter.Parameter.RefKind == RefKind.None && parameter.SemanticModel?.Compilation is { } compilation &&
                       budget.Enter(parameter.Parameter)
                    ? ProgramIndex.For(compilation).ArgumentsFor(parameter.Parameter, System.Threading.CancellationToken.None)
                    : None;
            case IFieldReferenceOperation { Field: { IsConst: false } field } reference when !field.DeclaringSyntaxReferences.IsEmpty:
                if (!budget.Enter(field))
                {
                    return None;
                }

                if (field.IsReadOnly)
                {
                    return Initializers(reference, field);
                }

                return reference.SemanticModel?.Compilation is { } fieldCompilation
                    ? ProgramIndex.For(fieldCompilation).WrittenValues(field, System.Threading.CancellationToken.None)
                    : None;
            case IPropertyReferenceOperation { Property: { SetMethod: null, IsIndexer: false } property } propertyReference
                when !property.DeclaringSyntaxReferences.IsEmpty:
                return budget.Enter(property) ? Initializers(propertyReference, property) : None;
            case IArrayElementReferenceOperation element:
                // data = dataArray[2]: an element of an array the code filled.
                return One(element.ArrayReference);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } items }:
                // data = dataList[2], dataDictionary["key"]: an item of a collection the code filled.
                return One(items);
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: IPropertyReferenceOperation { Property.Name: "First" or "Last", Instance: { } linked } }:
                return One(linked);
            case IInvocationOperation invocation:
                return FromInvocation(invocation, budget);
            case ICoalesceOperation coalesce:
                return new[] { coalesce.Value, coalesce.WhenNull };
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return new[] { conditional.WhenTrue, whenFalse };
            case ISwitchExpressionOperation switchExpression:
                var arms = new List<IOperation>(switchExpression.Arms.Length);
                foreach (var arm in switchExpression.Arms)
                {
                    arms.Add(arm.Value);
                }

                return arms;
            case IArrayCreationOperation { Initializer: { } initializer }:
                return initializer.ElementValues;
            case IArrayInitializerOperation initializer:
                return initializer.ElementValues;
            default:
                return None;
        }
    }

    /// <summary>
    /// Every constant <paramref name="value"/> can be (a number, a string, an enum value), following <see cref="Back"/>:
    /// <c>CreateFromName(name)</c> where a caller passes "MD5", <c>new RSACryptoServiceProvider(bits)</c> where
    /// <c>bits = 1024</c> in a branch. At most <paramref name="max"/> constants; null constants are left out.
    /// </summary>
    public static List<object> Constants(IOperation value, int max = 16)
    {
        var constants = new List<object>();
        Collect(value, constants, max, new FlowBudget(), 0);
        return constants;
    }

    /// <summary>The <see cref="int"/> constants <paramref name="value"/> can be (also from short and in-range long constants).</summary>
    public static List<int> Integers(IOperation value)
    {
        var integers = new List<int>();
        foreach (var constant in Constants(value))
        {
            switch (constant)
            {
                case int i:
                    integers.Add(i);
                    break;
                case short s:
                    integers.Add(s);
                    break;
                case long l when l is >= int.MinValue and <= int.MaxValue:
                    integers.Add((int)l);
                    break;
            }
        }

        return integers;
    }

    /// <summary>The <see cref="string"/> constants <paramref name="value"/> can be.</summary>
    public static List<string> Strings(IOperation value)
    {
        var strings = new List<string>();
        foreach (var constant in Constants(value))
        {
            if (constant is string text)
            {
                strings.Add(text);
            }
        }

        return strings;
    }

    private static void Collect(IOperation value, List<object> constants, int max, FlowBudget budget, int depth)
    {
        if (constants.Count >= max || depth > FlowBudget.MaxDepth)
        {
            return;
        }

        if (value.ConstantValue is { HasValue: true } constant)
        {
            if (constant.Value is not null && !constants.Contains(constant.Value))
            {
                constants.Add(constant.Value);
            }

            return;
        }

        ISymbol? member = value switch
        {
            IFieldReferenceOperation { Field: { IsReadOnly: true } field } => field,
            IPropertyReferenceOperation { Property: { SetMethod: null, IsIndexer: false } property } => property,
            _ => null,
        };
        if (member is not null)
        {
            // A literal initializer in another file, read from its syntax (an analyzer may not bind another file).
            foreach (var initializer in InitializerSyntax(member))
            {
                if (initializer.SyntaxTree != value.Syntax.SyntaxTree && LiteralValue(initializer) is { } literal && !constants.Contains(literal))
                {
                    constants.Add(literal);
                }
            }
        }

        foreach (var source in Back(value, budget))
        {
            Collect(source, constants, max, budget, depth + 1);
        }
    }

    /// <summary>The value of a literal as written: "MD5", 1000, -1.</summary>
    private static object? LiteralValue(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => literal.Token.Value,
        PrefixUnaryExpressionSyntax { OperatorToken.ValueText: "-", Operand: LiteralExpressionSyntax { Token.Value: int number } } => -number,
        _ => null,
    };

    private static IEnumerable<IOperation> FromInvocation(IInvocationOperation invocation, FlowBudget budget)
    {
        var method = invocation.TargetMethod;
        if (method.ContainingType is { } type)
        {
            switch (method.Name)
            {
                case "First" or "Last" or "Single" or "ElementAt" or "FirstOrDefault" or "LastOrDefault" or "SingleOrDefault" or "ElementAtOrDefault"
                    when method.IsExtensionMethod && TypeNames.Is(type, "System.Linq.Enumerable") && invocation.Arguments.Length >= 1:
                    // An item of a collection the code filled: dataList.First().
                    return One(invocation.Arguments[0].Value);
                case "Peek" or "Dequeue" or "Pop" or "GetValueOrDefault" when invocation.Instance is not null:
                    return One(invocation.Instance);
            }
        }

        // A method of this compilation: what its body returns (data = BadSource()).
        return !method.DeclaringSyntaxReferences.IsEmpty && invocation.SemanticModel?.Compilation is { } compilation &&
               budget.Enter(method.OriginalDefinition)
            ? ProgramIndex.For(compilation).ReturnedValues(method, System.Threading.CancellationToken.None)
            : None;
    }

    /// <summary>
    /// The initializer (or expression body) of a field or property, when it is in the file being analyzed: an analyzer may
    /// not ask for another file's semantic model. <see cref="InitializerSyntax"/> gives the syntax of the others.
    /// </summary>
    private static IEnumerable<IOperation> Initializers(IOperation reference, ISymbol member)
    {
        if (reference.SemanticModel is not { } model)
        {
            yield break;
        }

        foreach (var initializer in InitializerSyntax(member))
        {
            if (model.SyntaxTree == initializer.SyntaxTree && model.GetOperation(initializer) is { } operation)
            {
                yield return operation;
            }
        }
    }

    /// <summary>The initializer of a field, or the initializer or expression body of a property, as written.</summary>
    public static IEnumerable<ExpressionSyntax> InitializerSyntax(ISymbol member)
    {
        foreach (var declaration in member.DeclaringSyntaxReferences)
        {
            switch (declaration.GetSyntax())
            {
                case VariableDeclaratorSyntax { Initializer.Value: { } initializer }:
                    yield return initializer;
                    break;
                case PropertyDeclarationSyntax property when (property.ExpressionBody?.Expression ?? property.Initializer?.Value) is { } body:
                    yield return body;
                    break;
            }
        }
    }

    private static IOperation[] One(IOperation operation) => new[] { operation };

    private static readonly IOperation[] None = System.Array.Empty<IOperation>();
}
