using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA101: replaces MD5, SHA-1 and RIPEMD-160 with SHA-256 and HMAC-MD5 / HMAC-SHA1 with HMAC-SHA256
/// ("HIPAA101.UseSha256"): <c>MD5.Create()</c> becomes <c>SHA256.Create()</c>, <c>new HMACMD5(key)</c> becomes
/// <c>new HMACSHA256(key)</c>, <c>HashAlgorithmName.SHA1</c> becomes <c>HashAlgorithmName.SHA256</c>, and a variable
/// declared as <c>MD5</c> is declared as <c>SHA256</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA101WeakHashFixer)), Shared]
public sealed class HIPAA101WeakHashFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.WeakHash + ".UseSha256";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.WeakHash);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static Task<IReadOnlyList<CryptoFix>> Build(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (!diagnostic.Properties.TryGetValue(CryptoProperties.Algorithm, out var algorithm) || algorithm is null)
        {
            return CryptoFixes.NoneAsync;
        }

        bool isHmac = algorithm.StartsWith("HMAC", System.StringComparison.Ordinal);
        var replacement = CryptoSyntax.Resolve(model.Compilation, isHmac ? "System.Security.Cryptography.HMACSHA256" : "System.Security.Cryptography.SHA256");
        if (replacement is null)
        {
            return CryptoFixes.NoneAsync;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var title = isHmac ? "Use HMACSHA256" : "Use SHA-256";
        switch (node)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation:
                return CryptoFixes.One(FixInvocation(model, generator, invocation, access, replacement, title, cancellationToken));
            case ObjectCreationExpressionSyntax creation:
                return CryptoFixes.One(FixCreation(model, generator, creation, replacement, isHmac, title, cancellationToken));
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "MD5" or "SHA1" } algorithmName:
                return CryptoFixes.One(FixAlgorithmName(model, generator, algorithmName, cancellationToken));
            default:
                return CryptoFixes.NoneAsync;
        }
    }

    private static CryptoFix? FixInvocation(SemanticModel model, SyntaxGenerator generator, InvocationExpressionSyntax invocation,
        MemberAccessExpressionSyntax access, INamedTypeSymbol replacement, string title, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        switch (method.Name)
        {
            case "Create" when invocation.ArgumentList.Arguments.Count == 0:
            case "HashData" or "HashDataAsync" when method.Parameters.All(p => p.Name != "destination"):
                if (model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is not INamedTypeSymbol ||
                    !replacement.GetMembers(method.Name).OfType<IMethodSymbol>().Any(m => SameParameters(m, method)))
                {
                    return null;
                }

                var newInvocation = invocation.WithExpression(access.WithExpression(CryptoSyntax.TypeExpression(generator, replacement).WithTriviaFrom(access.Expression)));
                return WithDeclaredType(model, generator, invocation, newInvocation, replacement, title, cancellationToken);
            case "Create" or "CreateFromName":
                // HashAlgorithm.Create("MD5") -> "SHA256"; a cast to the weak type would then fail at run time.
                if (CryptoAlgorithms.WeakHashOf(method.ContainingType) is not null ||
                    invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is not LiteralExpressionSyntax literal ||
                    invocation.Parent is CastExpressionSyntax || invocation.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AsExpression })
                {
                    return null;
                }

                var name = replacement.Name == "HMACSHA256" ? "HMACSHA256" : "SHA256";
                var newLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)).WithTriviaFrom(literal);
                return new CryptoFix(title, EquivalenceKey, invocation.Span, editor => editor.ReplaceNode(literal, newLiteral));
            default:
                return null;
        }
    }

    private static bool SameParameters(IMethodSymbol a, IMethodSymbol b) =>
        a.Parameters.Length == b.Parameters.Length &&
        a.Parameters.Zip(b.Parameters, (x, y) => SymbolEqualityComparer.Default.Equals(x.Type, y.Type)).All(same => same);

    private static CryptoFix? FixCreation(SemanticModel model, SyntaxGenerator generator, ObjectCreationExpressionSyntax creation,
        INamedTypeSymbol replacement, bool isHmac, string title, CancellationToken cancellationToken)
    {
        if (creation.Initializer is not null || model.GetSymbolInfo(creation, cancellationToken).Symbol is not IMethodSymbol constructor)
        {
            return null;
        }

        ExpressionSyntax newExpression;
        if (isHmac)
        {
            // new HMACMD5() / new HMACMD5(key) -> new HMACSHA256(...); HMACSHA1(key, useManagedSha1) has no counterpart.
            if (constructor.Parameters.Length > 1 ||
                !replacement.InstanceConstructors.Any(c => SameParameters(c, constructor)))
            {
                return null;
            }

            newExpression = creation.WithType(CryptoSyntax.TypeName(generator, replacement).WithTriviaFrom(creation.Type));
        }
        else
        {
            // new MD5CryptoServiceProvider() -> SHA256.Create()
            if (constructor.Parameters.Length != 0)
            {
                return null;
            }

            newExpression = SyntaxFactory.InvocationExpression(CryptoSyntax.StaticMember(generator, replacement, "Create")).WithTriviaFrom(creation);
        }

        return WithDeclaredType(model, generator, creation, newExpression, replacement, title, cancellationToken);
    }

    private static CryptoFix? FixAlgorithmName(SemanticModel model, SyntaxGenerator generator, MemberAccessExpressionSyntax algorithmName, CancellationToken cancellationToken)
    {
        // Verifying existing signatures needs the hash they were made with: not rewritten.
        if (algorithmName.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } call &&
            model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { Name: "VerifyData" or "VerifyHash" })
        {
            return null;
        }

        var newName = algorithmName.WithName(SyntaxFactory.IdentifierName("SHA256").WithTriviaFrom(algorithmName.Name));
        return new CryptoFix("Use SHA-256", EquivalenceKey, algorithmName.Span, editor => editor.ReplaceNode(algorithmName, newName));
    }

    /// <summary>
    /// Replaces <paramref name="original"/>; when the value goes into a variable, field or property declared with the
    /// weak type (<c>MD5 md5 = MD5.Create();</c>), the declaration's type becomes the replacement type as well. Any
    /// other target typed with the weak type (a parameter, a return type) gets no fix.
    /// </summary>
    private static CryptoFix? WithDeclaredType(SemanticModel model, SyntaxGenerator generator, ExpressionSyntax original, ExpressionSyntax replacement,
        INamedTypeSymbol newType, string title, CancellationToken cancellationToken)
    {
        var info = model.GetTypeInfo(original, cancellationToken);
        var converted = info.ConvertedType;
        var outer = CryptoSyntax.WalkUpParentheses(original);
        bool simple =
            CryptoAlgorithms.WeakHashOf(info.Type) is null ||                      // MD5.HashData(data) is a byte[]
            converted is null || converted.TypeKind == TypeKind.Error || IsAssignableFrom(converted, newType) ||
            outer.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type.IsVar: true } } } ||
            outer.Parent is MemberAccessExpressionSyntax access && access.Expression == outer &&     // MD5.Create().ComputeHash(data)
                model.GetSymbolInfo(access, cancellationToken).Symbol?.ContainingType is { } declaring && IsAssignableFrom(declaring, newType);
        var rename = RenameLocal(model, original, newType, cancellationToken);
        if (simple)
        {
            return new CryptoFix(title, EquivalenceKey, original.Span, editor =>
            {
                editor.ReplaceNode(original, replacement);
                rename?.Invoke(editor);
            });
        }

        if (DeclaredTypeSyntax(model, original, cancellationToken) is not { } typeSyntax)
        {
            return null;
        }

        var newTypeSyntax = CryptoSyntax.TypeName(generator, newType).WithTriviaFrom(typeSyntax);
        return new CryptoFix(title, EquivalenceKey, original.Span, editor =>
            {
                editor.ReplaceNode(original, replacement);
                rename?.Invoke(editor);
            },
            typeSyntax, editor => editor.ReplaceNode(typeSyntax, newTypeSyntax));
    }

    private static readonly string[] WeakNames = { "hmacmd5", "hmacsha1", "ripemd160", "md5", "sha1" };

    /// <summary>
    /// <c>using var md5 = MD5.Create();</c> becomes <c>using var sha256 = SHA256.Create();</c>: a local named after the
    /// old algorithm is renamed with its uses, unless the new name is taken in its scope.
    /// </summary>
    private static Action<SyntaxEditor>? RenameLocal(SemanticModel model, ExpressionSyntax original, INamedTypeSymbol newType, CancellationToken cancellationToken)
    {
        if (CryptoSyntax.WalkUpParentheses(original).Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } ||
            declarator.Parent?.Parent is not (LocalDeclarationStatementSyntax or UsingStatementSyntax or ForStatementSyntax) ||
            model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local ||
            NewName(local.Name, newType.Name) is not { } newName)
        {
            return null;
        }

        SyntaxNode scope = declarator.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or
            PropertyDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) ?? declarator.SyntaxTree.GetRoot(cancellationToken);
        if (!model.LookupSymbols(declarator.SpanStart, name: newName).IsEmpty ||
            scope.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == newName))
        {
            return null;
        }

        var uses = scope.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Where(id => id.Identifier.ValueText == local.Name &&
                         SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id, cancellationToken).Symbol, local))
            .ToList();
        return editor =>
        {
            editor.ReplaceNode(declarator, (current, _) =>
            {
                var currentDeclarator = (VariableDeclaratorSyntax)current;
                return currentDeclarator.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(currentDeclarator.Identifier));
            });
            foreach (var use in uses)
            {
                editor.ReplaceNode(use, SyntaxFactory.IdentifierName(newName).WithTriviaFrom(use));
            }
        };
    }

    /// <summary>"md5" gives "sha256", "md5Hasher" "sha256Hasher", "hashSha1" "hashSha256", "HMACSHA1" "HMACSHA256"; null when the name does not say the algorithm.</summary>
    internal static string? NewName(string name, string newAlgorithm)
    {
        foreach (var weak in WeakNames)
        {
            var at = name.IndexOf(weak, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                continue;
            }

            var found = name.Substring(at, weak.Length);
            var lower = newAlgorithm.ToLowerInvariant();
            string written;
            if (found == found.ToLowerInvariant())
            {
                written = lower;
            }
            else if (found == found.ToUpperInvariant())
            {
                written = newAlgorithm;
            }
            else
            {
                // Md5 -> Sha256, HmacMd5 -> HmacSha256, hmacSha1 -> hmacSha256
                written = lower.StartsWith("hmac", StringComparison.Ordinal) ? "HmacSha256" : "Sha256";
                if (char.IsLower(found[0]))
                {
                    written = char.ToLowerInvariant(written[0]) + written.Substring(1);
                }
            }

            return name.Substring(0, at) + written + name.Substring(at + weak.Length);
        }

        return null;
    }

    private static bool IsAssignableFrom(ITypeSymbol target, ITypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, target))
            {
                return true;
            }
        }

        return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, target));
    }

    /// <summary>The written type of the single variable, field or property that receives <paramref name="value"/>, in this document.</summary>
    private static TypeSyntax? DeclaredTypeSyntax(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        var parent = CryptoSyntax.WalkUpParentheses(value).Parent;
        switch (parent)
        {
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Type: { IsVar: false } type } } }:
                return type;
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                return property.Type;
            case AssignmentExpressionSyntax assignment when assignment.Right == CryptoSyntax.WalkUpParentheses(value) && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                var symbol = model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol;
                var declaration = symbol?.DeclaringSyntaxReferences.Length == 1 ? symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) : null;
                if (declaration is null || declaration.SyntaxTree != value.SyntaxTree)
                {
                    return null;
                }

                return declaration switch
                {
                    VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Type: { IsVar: false } type } } => type,
                    PropertyDeclarationSyntax property => property.Type,
                    _ => null,
                };
            default:
                return null;
        }
    }
}
