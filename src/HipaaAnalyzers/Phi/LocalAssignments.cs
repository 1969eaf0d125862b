using System.Collections.Generic;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// Every value written into each local of one method body: initializers, assignments, the items appended to a local
/// StringBuilder or collection, and the collection a foreach variable walks. Built once per body, on first use.
/// </summary>
internal sealed class LocalAssignments : SymbolIndex<ILocalSymbol>
{
    private static readonly BodyCache.Slot<LocalAssignments> Slot = BodyCache.NewSlot<LocalAssignments>();

    private LocalAssignments(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            Record(operation);
        }
    }

    public static LocalAssignments For(IOperation anyOperationInBody) =>
        BodyCache.For(anyOperationInBody).Get(Slot, root => new LocalAssignments(root));

    public IReadOnlyList<IOperation> ValuesOf(ILocalSymbol local) => Of(local);

    private void Record(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                Add(declarator.Symbol, initializer.Value);
                break;
            case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                Add(target.Local, assignment.Value);
                break;
            case IAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } } indexerAssignment
                when Unwrap(instance) is ILocalReferenceOperation indexed:
                Add(indexed.Local, indexerAssignment.Value);
                break;
            case IAssignmentOperation { Target: IArrayElementReferenceOperation { ArrayReference: { } array } } elementAssignment
                when Unwrap(array) is ILocalReferenceOperation arrayLocal:
                // items[2] = value: what the array holds.
                Add(arrayLocal.Local, elementAssignment.Value);
                break;
            case IInvocationOperation { Instance: { } receiver } invocation
                when IsAccumulatingCall(invocation.TargetMethod) && AccumulatorOf(receiver) is { } accumulator:
                // dictionary.Add(key, value), list.Insert(index, value): the key or index is not what the collection holds.
                bool keyed = invocation.Arguments.Length == 2 && invocation.TargetMethod.Name is "Add" or "TryAdd" or "Insert";
                for (int i = keyed ? 1 : 0; i < invocation.Arguments.Length; i++)
                {
                    Add(accumulator, invocation.Arguments[i].Value);
                }

                break;
            case IForEachLoopOperation loop:
                foreach (var local in loop.Locals)
                {
                    Add(local, loop.Collection);
                }

                break;
            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol patternLocal } pattern
                when pattern.Parent is IIsPatternOperation isPattern:
                Add(patternLocal, isPattern.Value);
                break;
        }
    }

    /// <summary>The local a call appends to, also through fluent chains: sb.Append(a).Append(b).</summary>
    private static ILocalSymbol? AccumulatorOf(IOperation receiver)
    {
        var current = Unwrap(receiver);
        while (current is IInvocationOperation { Instance: { } inner } chained && IsAccumulatingCall(chained.TargetMethod))
        {
            current = Unwrap(inner);
        }

        return (current as ILocalReferenceOperation)?.Local;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>Calls that put their arguments into the receiver: StringBuilder.Append, List.Add, Queue.Enqueue ...</summary>
    private static bool IsAccumulatingCall(IMethodSymbol method)
    {
        switch (method.Name)
        {
            case "Append":
            case "AppendLine":
            case "AppendFormat":
            case "AppendJoin":
            case "Insert":
            case "Add":
            case "AddRange":
            case "AddFirst":
            case "AddLast":
            case "TryAdd":
            case "Push":
            case "Enqueue":
            case "Write":
            case "WriteLine":
                return !method.IsStatic;
            default:
                return false;
        }
    }
}
