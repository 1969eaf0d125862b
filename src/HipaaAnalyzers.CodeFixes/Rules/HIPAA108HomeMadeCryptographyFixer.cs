using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA108: turns a home-made <c>string Encrypt(string)</c> / <c>string Decrypt(string)</c> helper (or the
/// <c>byte[]</c> version) into a call to the runtime's <c>FieldEncryptor</c> ("HIPAA108.FieldEncryptor"):
/// <c>=&gt; _encryptor.EncryptString(text, EncryptionContext.None)</c>. Offered only when the method's type has a
/// <c>FieldEncryptor</c> field or property the method can use; elsewhere the rule reports without a fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA108HomeMadeCryptographyFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA108HomeMadeCryptographyFixer : CodeFixProvider
{
    public const string EquivalenceKey = "HIPAA108.FieldEncryptor";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HomeMadeCryptography);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static CryptoFix? Build(CryptoFixContext context, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(HIPAA108HomeMadeCryptographyAnalyzer.DirectionProperty, out var direction) ||
            context.NodeOf(diagnostic) is not { } node ||
            node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } declaration ||
            declaration.ParameterList.Parameters.Count != 1 ||
            declaration.Modifiers.Any(SyntaxKind.AsyncKeyword) ||
            context.Model.GetDeclaredSymbol(declaration, context.CancellationToken) is not { IsGenericMethod: false, IsAbstract: false } method ||
            method.Parameters[0].RefKind != RefKind.None ||
            context.Type("HipaaAnalyzers.Runtime.FieldEncryptor") is not { } encryptorType ||
            context.Type("HipaaAnalyzers.Runtime.EncryptionContext") is not { } contextType)
        {
            return null;
        }

        // string Encrypt(string) / string Decrypt(string), or the byte[] pair.
        var parameterType = method.Parameters[0].Type;
        string call;
        if (parameterType.SpecialType == SpecialType.System_String && method.ReturnType.SpecialType == SpecialType.System_String)
        {
            call = direction == "Decrypt" ? "DecryptString" : "EncryptString";
        }
        else if (IsByteArray(parameterType) && IsByteArray(method.ReturnType))
        {
            call = direction == "Decrypt" ? "Decrypt" : "Encrypt";
        }
        else
        {
            return null;
        }

        if (Encryptor(method, encryptorType) is not { } member)
        {
            return null;
        }

        var receiver = member.IsStatic
            ? context.Generator.MemberAccessExpression(context.TypeName(member.ContainingType), member.Name)
            : SyntaxFactory.IdentifierName(member.Name);
        var invocation = (ExpressionSyntax)context.Generator.InvocationExpression(
            context.Generator.MemberAccessExpression(receiver, call),
            SyntaxFactory.IdentifierName(method.Parameters[0].Name),
            context.Generator.MemberAccessExpression(context.TypeName(contextType), "None"));

        if (!context.Binds(declaration.Body?.SpanStart ?? declaration.ExpressionBody!.SpanStart, invocation, method.ReturnType))
        {
            return null;
        }

        var replacement = declaration
            .WithBody(null)
            .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(invocation))
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return CryptoFix.Replace("Use the runtime's FieldEncryptor", EquivalenceKey, declaration, replacement);
    }

    private static bool IsByteArray(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };

    /// <summary>A FieldEncryptor field or property of the method's type (or a base type) the method can use.</summary>
    private static ISymbol? Encryptor(IMethodSymbol method, INamedTypeSymbol encryptorType)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsImplicitlyDeclared: false } field => field.Type,
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } property => property.Type,
                    _ => null,
                };
                if (memberType is null || !SymbolEqualityComparer.Default.Equals(memberType, encryptorType) ||
                    method.IsStatic && !member.IsStatic ||
                    !SymbolEqualityComparer.Default.Equals(type, method.ContainingType) && member.DeclaredAccessibility == Accessibility.Private)
                {
                    continue;
                }

                return member;
            }
        }

        return null;
    }
}
