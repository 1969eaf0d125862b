using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// HIPAA106: generates fresh random bytes with <c>RandomNumberGenerator.GetBytes(n)</c>
/// ("HIPAA106.RandomBytes"), in place of the flagged value, or in the initializer of the local that holds it so
/// code that stores the IV with the ciphertext keeps storing the new one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA106StaticIvOrSaltFixer)), Shared]
public sealed class HIPAA106StaticIvOrSaltFixer : CodeFixProvider
{
    public const string EquivalenceKey = "HIPAA106.RandomBytes";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.StaticIvOrSalt);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static CryptoFix? Build(CryptoFixContext context, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(HIPAA106StaticIvOrSaltAnalyzer.FixTargetProperty, out var target) ||
            !diagnostic.Properties.TryGetValue(HIPAA106StaticIvOrSaltAnalyzer.LengthProperty, out var lengthText) ||
            target == HIPAA106StaticIvOrSaltAnalyzer.FixNone ||
            !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0 ||
            context.Type("System.Security.Cryptography.RandomNumberGenerator") is not { } rng ||
            context.NodeOf(diagnostic) is not ExpressionSyntax expression)
        {
            return null;
        }

        var byteArray = context.Model.Compilation.CreateArrayTypeSymbol(context.Model.Compilation.GetSpecialType(SpecialType.System_Byte));
        var bytes = context.Call(rng, "GetBytes",
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(length)));
        if (!context.Binds(expression.SpanStart, bytes, byteArray))
        {
            return null;
        }

        const string title = "Use fresh random bytes from RandomNumberGenerator";
        if (target == HIPAA106StaticIvOrSaltAnalyzer.FixInitializer)
        {
            if (context.Model.GetSymbolInfo(expression, context.CancellationToken).Symbol is not ILocalSymbol local ||
                local.DeclaringSyntaxReferences.Length != 1 ||
                local.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } ||
                initializer.SyntaxTree != context.Root.SyntaxTree ||
                !context.Model.Compilation.ClassifyConversion(byteArray, local.Type).IsImplicit)
            {
                return null;
            }

            var node = context.Root.FindNode(initializer.Span, getInnermostNodeForTie: true);
            return node is ExpressionSyntax current && current.Span == initializer.Span
                ? CryptoFix.Replace(title, EquivalenceKey, current, bytes)
                : null;
        }

        // The value itself: it must accept a byte[] where it stands.
        var wanted = context.Model.GetTypeInfo(expression, context.CancellationToken).ConvertedType;
        if (wanted is null || !context.Model.Compilation.ClassifyConversion(byteArray, wanted).IsImplicit)
        {
            return null;
        }

        return CryptoFix.Replace(title, EquivalenceKey, expression, bytes);
    }
}
