using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA105: replaces the System.Random call with RandomNumberGenerator ("HIPAA105.RandomNumberGenerator"):
/// <c>rng.NextBytes(buffer)</c> becomes <c>RandomNumberGenerator.Fill(buffer)</c>, <c>rng.Next(a, b)</c>
/// <c>RandomNumberGenerator.GetInt32(a, b)</c>, <c>rng.Next(n)</c> <c>GetInt32(n)</c>, <c>rng.Next()</c>
/// <c>GetInt32(int.MaxValue)</c> and <c>rng.GetItems(choices, n)</c> <c>RandomNumberGenerator.GetItems(choices, n)</c>.
/// NextInt64, NextDouble and NextSingle have no counterpart and get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA105InsecureRandomnessFixer)), Shared]
public sealed class HIPAA105InsecureRandomnessFixer : CodeFixProvider
{
    public const string EquivalenceKey = "HIPAA105.RandomNumberGenerator";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InsecureRandomness);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static CryptoFix? Build(CryptoFixContext context, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(HIPAA105InsecureRandomnessAnalyzer.RandomCallProperty, out var name) ||
            context.NodeOf(diagnostic) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax } invocation ||
            context.Type("System.Security.Cryptography.RandomNumberGenerator") is not { } rng ||
            context.Model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        foreach (var argument in arguments)
        {
            if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                return null;
            }
        }

        InvocationExpressionSyntax replacement;
        switch (name)
        {
            case "NextBytes" when arguments.Count == 1:
                replacement = context.Call(rng, "Fill", arguments[0].Expression);
                break;
            case "Next" when arguments.Count == 0:
                replacement = context.Call(rng, "GetInt32",
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                        SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.IntKeyword)), SyntaxFactory.IdentifierName("MaxValue")));
                break;
            case "Next" when arguments.Count == 1:
                replacement = context.Call(rng, "GetInt32", arguments[0].Expression);
                break;
            case "Next" when arguments.Count == 2:
                replacement = context.Call(rng, "GetInt32", arguments[0].Expression, arguments[1].Expression);
                break;
            case "GetItems" when arguments.Count == 2 && method.TypeArguments.Length == 1:
                // Spelled out: T is not inferred from an array for the ReadOnlySpan<T> parameter.
                var getItems = context.Generator.GenericName("GetItems", context.Generator.TypeExpression(method.TypeArguments[0]));
                replacement = (InvocationExpressionSyntax)context.Generator.InvocationExpression(
                    context.Generator.MemberAccessExpression(context.TypeName(rng), getItems), arguments[0].Expression, arguments[1].Expression);
                break;
            default:
                return null;
        }

        if (!context.Binds(invocation.SpanStart, replacement, method.ReturnsVoid ? null : method.ReturnType))
        {
            return null;
        }

        return CryptoFix.Replace("Use RandomNumberGenerator", EquivalenceKey, invocation, replacement);
    }
}
