using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// The string constants an algorithm-name argument can take: the constant itself, both sides of <c>??</c>, the arms of
/// <c>?:</c> and of a switch expression, and every value assigned to a local it reads.
/// <c>CryptoConfig.CreateFromName(configured ?? "TripleDES")</c> can create Triple DES.
/// </summary>
internal static class AlgorithmNameValues
{
    private const int MaxDepth = 4;

    public static List<string> Of(IOperation operation)
    {
        var names = new List<string>();
        Collect(operation, names, 0);
        return names;
    }

    private static void Collect(IOperation operation, List<string> names, int depth)
    {
        if (depth > MaxDepth || names.Count > 16)
        {
            return;
        }

        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        if (operation.ConstantValue is { HasValue: true, Value: string text })
        {
            names.Add(text);
            return;
        }

        switch (operation)
        {
            case ICoalesceOperation coalesce:
                Collect(coalesce.Value, names, depth + 1);
                Collect(coalesce.WhenNull, names, depth + 1);
                break;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                Collect(conditional.WhenTrue, names, depth + 1);
                Collect(whenFalse, names, depth + 1);
                break;
            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    Collect(arm.Value, names, depth + 1);
                }

                break;
            case ILocalReferenceOperation local:
                foreach (var value in LocalAssignments.For(local).ValuesOf(local.Local))
                {
                    Collect(value, names, depth + 1);
                }

                break;
        }
    }
}
