using System.Collections.Generic;
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
/// HIPAA107: strengthens the key derivation ("HIPAA107.StrongKeyDerivation").
/// <c>new Rfc2898DeriveBytes(p, s[, n[, h]]).GetBytes(k)</c> and <c>new PasswordDeriveBytes(p, s).GetBytes(k)</c>
/// become <c>Rfc2898DeriveBytes.Pbkdf2(p, s, 600_000, HashAlgorithmName.SHA256, k)</c>; other
/// <c>Rfc2898DeriveBytes</c> constructions get the count and <c>HashAlgorithmName.SHA256</c> arguments; the
/// one-shots (<c>Rfc2898DeriveBytes.Pbkdf2</c>, <c>KeyDerivation.Pbkdf2</c>) get a higher count and a SHA-256 PRF.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA107WeakKeyDerivationFixer)), Shared]
public sealed class HIPAA107WeakKeyDerivationFixer : CodeFixProvider
{
    public const string EquivalenceKey = "HIPAA107.StrongKeyDerivation";
    private const string Title = "Use PBKDF2 with SHA-256 and enough iterations";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.WeakKeyDerivation);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static CryptoFix? Build(CryptoFixContext context, Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(HIPAA107WeakKeyDerivationAnalyzer.ApiProperty, out var api) ||
            !properties.TryGetValue(HIPAA107WeakKeyDerivationAnalyzer.IterationsProperty, out var iterationsText) ||
            !int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return null;
        }

        bool raise = properties.ContainsKey(HIPAA107WeakKeyDerivationAnalyzer.RaiseIterationsProperty);
        bool switchPrf = properties.ContainsKey(HIPAA107WeakKeyDerivationAnalyzer.PrfProperty);
        var node = context.NodeOf(diagnostic);
        var count = Count(iterations);
        switch (api)
        {
            case "Rfc2898DeriveBytes" or "PasswordDeriveBytes" when node is BaseObjectCreationExpressionSyntax creation:
                return OneShot(context, creation, count) ??
                       (api == "Rfc2898DeriveBytes" ? Constructor(context, creation, count, raise, switchPrf) : null);
            case "Pbkdf2" or "KeyDerivation" when node is InvocationExpressionSyntax invocation:
                return Arguments(context, invocation, count, raise, switchPrf, api == "KeyDerivation");
            default:
                return null;
        }
    }

    /// <summary>600000 as <c>600_000</c>.</summary>
    private static LiteralExpressionSyntax Count(int value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        var text = digits;
        if (digits.Length > 4)
        {
            text = "";
            for (int i = 0; i < digits.Length; i++)
            {
                if (i > 0 && (digits.Length - i) % 3 == 0)
                {
                    text += "_";
                }

                text += digits[i];
            }
        }

        return SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(text, value));
    }

    /// <summary>new X(p, s, ...).GetBytes(k) as Rfc2898DeriveBytes.Pbkdf2(p, s, count, SHA256, k), when the salt is a byte array.</summary>
    private static CryptoFix? OneShot(CryptoFixContext context, BaseObjectCreationExpressionSyntax creation, LiteralExpressionSyntax count)
    {
        if (creation.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetBytes", Parent: InvocationExpressionSyntax getBytes } ||
            getBytes.ArgumentList.Arguments.Count != 1 || creation.ArgumentList is not { } list ||
            context.Model.GetSymbolInfo(creation, context.CancellationToken).Symbol is not IMethodSymbol constructor ||
            context.Type("System.Security.Cryptography.Rfc2898DeriveBytes") is not { } rfc ||
            context.Type("System.Security.Cryptography.HashAlgorithmName") is not { } hashName)
        {
            return null;
        }

        ExpressionSyntax? password = null, salt = null;
        foreach (var argument in list.Arguments)
        {
            if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) ||
                context.Model.GetOperation(argument, context.CancellationToken) is not Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter: { } parameter })
            {
                return null;
            }

            switch (parameter.Name)
            {
                case "password":
                case "strPassword":
                    password = argument.Expression;
                    break;
                case "salt":
                case "rgbSalt":
                    salt = argument.Expression;
                    break;
                case "iterations":
                case "hashAlgorithm":
                    break;
                default:
                    // saltSize, strHashName, cspParams ...: no one-shot says the same.
                    return null;
            }
        }

        if (password is null || salt is null || constructor.ContainingType.Name == "PasswordDeriveBytes" && list.Arguments.Count != 2)
        {
            return null;
        }

        var call = context.Call(rfc, "Pbkdf2", password, salt, count,
            context.Generator.MemberAccessExpression(context.TypeName(hashName), "SHA256"), getBytes.ArgumentList.Arguments[0].Expression);
        var byteArray = context.Model.Compilation.CreateArrayTypeSymbol(context.Model.Compilation.GetSpecialType(SpecialType.System_Byte));
        return context.Binds(getBytes.SpanStart, call, byteArray) ? CryptoFix.Replace(Title, EquivalenceKey, getBytes, call) : null;
    }

    /// <summary>new Rfc2898DeriveBytes(p, s) as new Rfc2898DeriveBytes(p, s, count, HashAlgorithmName.SHA256).</summary>
    private static CryptoFix? Constructor(CryptoFixContext context, BaseObjectCreationExpressionSyntax creation, LiteralExpressionSyntax count, bool raise, bool switchPrf)
    {
        if (creation.ArgumentList is not { } list || context.Type("System.Security.Cryptography.HashAlgorithmName") is not { } hashName)
        {
            return null;
        }

        var arguments = new List<ArgumentSyntax>();
        ArgumentSyntax? iterations = null, hash = null;
        foreach (var argument in list.Arguments)
        {
            if (argument.NameColon is not null ||
                context.Model.GetOperation(argument, context.CancellationToken) is not Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter: { } parameter })
            {
                return null;
            }

            if (parameter.Name == "iterations")
            {
                iterations = argument;
            }
            else if (parameter.Name == "hashAlgorithm")
            {
                hash = argument;
            }
            else
            {
                arguments.Add(argument);
            }
        }

        if (arguments.Count != 2)
        {
            return null;
        }

        arguments.Add(iterations is not null && !raise ? iterations : SyntaxFactory.Argument(count));
        arguments.Add(hash is not null && !switchPrf
            ? hash
            : SyntaxFactory.Argument((ExpressionSyntax)context.Generator.MemberAccessExpression(context.TypeName(hashName), "SHA256")));
        var replacement = creation.WithArgumentList(list.WithArguments(SyntaxFactory.SeparatedList(arguments)));
        var symbol = context.Model.GetSpeculativeSymbolInfo(creation.SpanStart, replacement, SpeculativeBindingOption.BindAsExpression).Symbol;
        return symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? CryptoFix.Replace(Title, EquivalenceKey, creation, replacement) : null;
    }

    /// <summary>Raises the count argument and switches the PRF argument of a one-shot call.</summary>
    private static CryptoFix? Arguments(CryptoFixContext context, InvocationExpressionSyntax invocation, LiteralExpressionSyntax count, bool raise, bool switchPrf, bool keyDerivation)
    {
        var edits = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (context.Model.GetOperation(argument, context.CancellationToken) is not Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter: { } parameter })
            {
                continue;
            }

            if (raise && parameter.Name is "iterations" or "iterationCount")
            {
                edits[argument.Expression] = count.WithTriviaFrom(argument.Expression);
            }
            else if (switchPrf && parameter.Name is "hashAlgorithm" or "prf")
            {
                if (parameter.Type is not INamedTypeSymbol prfType)
                {
                    return null;
                }

                var member = keyDerivation ? "HMACSHA256" : "SHA256";
                edits[argument.Expression] = ((ExpressionSyntax)context.Generator.MemberAccessExpression(context.TypeName(prfType), member)).WithTriviaFrom(argument.Expression);
            }
        }

        return edits.Count == 0 ? null : CryptoFix.Replace(Title, EquivalenceKey, edits);
    }
}
