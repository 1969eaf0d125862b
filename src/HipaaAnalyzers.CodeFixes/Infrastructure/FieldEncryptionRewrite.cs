using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// Rewrites a hand-written encryption helper to the runtime's field encryption (AES-256-GCM): an instance method
/// <c>string Encrypt(string)</c> / <c>byte[] Decrypt(byte[])</c> of a class becomes
/// <c>return _fieldEncryptor.EncryptString(plainText, EncryptionContext.None);</c>, and the class gets a
/// <c>FieldEncryptor</c> from its constructor (dependency injection) unless it already has one.
/// </summary>
/// <remarks>
/// Offered only where the result compiles and keeps working: the class is not static, not partial across files, has
/// no subclasses, at most one constructor and no <c>new</c> of itself anywhere in the solution (it is created by the
/// container, so a new constructor parameter is supplied by <c>AddHipaaEncryption()</c>). Direction comes from the
/// method: it creates an encryptor or a decryptor, or it is named Encrypt / Decrypt.
/// </remarks>
internal static class FieldEncryptionRewrite
{
    public const string FieldEncryptorMetadataName = "HipaaAnalyzers.Runtime.FieldEncryptor";
    public const string EncryptionContextMetadataName = "HipaaAnalyzers.Runtime.EncryptionContext";
    public const string Title = "Use the runtime's field encryption (AES-256-GCM)";

    private const string FieldName = "_fieldEncryptor";
    private const string ParameterName = "fieldEncryptor";

    public static async Task<CryptoFix?> TryCreateAsync(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic,
        string equivalenceKey, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method ||
            method.Parent is not ClassDeclarationSyntax classDeclaration ||
            (method.Body is null && method.ExpressionBody is null) ||
            model.GetDeclaredSymbol(method, cancellationToken) is not { IsStatic: false, IsAsync: false, IsAbstract: false } methodSymbol ||
            methodSymbol.ContainingType is not { TypeKind: TypeKind.Class, IsStatic: false } type ||
            type.DeclaringSyntaxReferences.Length != 1 ||
            CryptoSyntax.Resolve(model.Compilation, FieldEncryptorMetadataName) is not { } fieldEncryptor ||
            CryptoSyntax.Resolve(model.Compilation, EncryptionContextMetadataName) is not { } encryptionContext)
        {
            return null;
        }

        // string -> string (EncryptString / DecryptString, base64 text) or byte[] -> byte[] (Encrypt / Decrypt).
        bool isText = methodSymbol.ReturnType.SpecialType == SpecialType.System_String;
        bool isBytes = methodSymbol.ReturnType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 };
        if (!isText && !isBytes)
        {
            return null;
        }

        var data = methodSymbol.Parameters
            .Where(p => p.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(p.Type, methodSymbol.ReturnType) && !IsKeyMaterialName(p.Name))
            .ToList();
        if (data.Count != 1 || Direction(method) is not { } encrypt)
        {
            return null;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        string? member = ExistingMember(type, fieldEncryptor, classDeclaration, model, cancellationToken);
        SyntaxNode? setupKey = null;
        System.Action<SyntaxEditor>? setup = null;
        if (member is null)
        {
            if (!await CanAddConstructorParameterAsync(document, type, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var (name, action) = Injection(generator, classDeclaration, type, fieldEncryptor);
            if (action is null)
            {
                return null;
            }

            member = name;
            setupKey = classDeclaration;
            setup = action;
        }

        var operation = (encrypt ? "Encrypt" : "Decrypt") + (isText ? "String" : string.Empty);
        var call = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(member), SyntaxFactory.IdentifierName(operation)),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
            {
                SyntaxFactory.Argument(SyntaxFactory.IdentifierName(data[0].Name)),
                SyntaxFactory.Argument(CryptoSyntax.StaticMember(generator, encryptionContext, "None")),
            })));

        MethodDeclarationSyntax newMethod = method.ExpressionBody is not null
            ? method.WithExpressionBody(SyntaxFactory.ArrowExpressionClause(call))
            : method.WithBody(SyntaxFactory.Block(SyntaxFactory.ReturnStatement(call)).WithTriviaFrom(method.Body!));
        newMethod = newMethod.WithAdditionalAnnotations(Formatter.Annotation);

        return new CryptoFix(Title, equivalenceKey, method.Span, editor => editor.ReplaceNode(method, newMethod), setupKey, setup);
    }

    /// <summary>True to encrypt, false to decrypt, null when the method does both or neither.</summary>
    private static bool? Direction(MethodDeclarationSyntax method)
    {
        bool encrypts = false, decrypts = false;
        foreach (var name in method.DescendantNodes().OfType<SimpleNameSyntax>())
        {
            switch (name.Identifier.ValueText)
            {
                case "CreateEncryptor" or "EncryptEcb" or "EncryptCbc" or "EncryptCfb" or "TryEncryptEcb" or "TryEncryptCbc" or "TryEncryptCfb":
                    encrypts = true;
                    break;
                case "CreateDecryptor" or "DecryptEcb" or "DecryptCbc" or "DecryptCfb" or "TryDecryptEcb" or "TryDecryptCbc" or "TryDecryptCfb":
                    decrypts = true;
                    break;
            }
        }

        if (encrypts != decrypts)
        {
            return encrypts;
        }

        if (encrypts)
        {
            return null;
        }

        var words = IdentifierWords.Split(method.Identifier.ValueText);
        bool namedEncrypt = words.Contains("encrypt"), namedDecrypt = words.Contains("decrypt");
        return namedEncrypt != namedDecrypt ? namedEncrypt : null;
    }

    private static bool IsKeyMaterialName(string name)
    {
        var words = IdentifierWords.Split(name);
        return words.Any(w => w is "key" or "iv" or "salt" or "password" or "passphrase" or "secret" or "nonce" or "vector");
    }

    /// <summary>An instance field, property or primary constructor parameter of type FieldEncryptor the class already has.</summary>
    private static string? ExistingMember(INamedTypeSymbol type, INamedTypeSymbol fieldEncryptor, ClassDeclarationSyntax declaration,
        SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field && SymbolEqualityComparer.Default.Equals(field.Type, fieldEncryptor) ||
                member is IPropertySymbol { IsStatic: false, IsIndexer: false } property && SymbolEqualityComparer.Default.Equals(property.Type, fieldEncryptor))
            {
                return member.Name;
            }
        }

        if (declaration.ParameterList is { } primary)
        {
            foreach (var parameter in primary.Parameters)
            {
                if (model.GetDeclaredSymbol(parameter, cancellationToken) is { } symbol && SymbolEqualityComparer.Default.Equals(symbol.Type, fieldEncryptor))
                {
                    return symbol.Name;
                }
            }
        }

        return null;
    }

    /// <summary>No code creates the class with <c>new</c> or derives from it, so a constructor parameter breaks nothing.</summary>
    private static async Task<bool> CanAddConstructorParameterAsync(Document document, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        if (type.InstanceConstructors.Length != 1 ||
            type.InstanceConstructors[0].DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax { Initializer.RawKind: (int)SyntaxKind.ThisConstructorInitializer } ||
            type.GetMembers().Any(m => m.Name == FieldName))
        {
            return false;
        }

        var derived = await SymbolFinder.FindDerivedClassesAsync(type, solution, transitive: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (derived.Any())
        {
            return false;
        }

        var references = await SymbolFinder.FindReferencesAsync(type.InstanceConstructors[0], solution, cancellationToken).ConfigureAwait(false);
        return !references.Any(r => r.Locations.Any());
    }

    /// <summary>
    /// How the class receives the encryptor: a parameter added to its primary constructor, or a readonly field set by a
    /// new parameter of its one constructor (added when it has none).
    /// </summary>
    private static (string Name, System.Action<SyntaxEditor>? Setup) Injection(SyntaxGenerator generator, ClassDeclarationSyntax declaration,
        INamedTypeSymbol type, INamedTypeSymbol fieldEncryptor)
    {
        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(ParameterName)).WithType(CryptoSyntax.TypeName(generator, fieldEncryptor));
        if (declaration.ParameterList is { } primary)
        {
            var newList = primary.WithParameters(primary.Parameters.Insert(0, parameter));
            return (ParameterName, editor => editor.ReplaceNode(primary, newList));
        }

        var field = SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(CryptoSyntax.TypeName(generator, fieldEncryptor))
                    .AddVariables(SyntaxFactory.VariableDeclarator(FieldName)))
            .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword), SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var assign = SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(FieldName), SyntaxFactory.IdentifierName(ParameterName)));

        var existing = declaration.Members.OfType<ConstructorDeclarationSyntax>().FirstOrDefault(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword));
        if (existing is null)
        {
            if (!type.InstanceConstructors[0].IsImplicitlyDeclared)
            {
                return (FieldName, null);
            }

            var constructor = SyntaxFactory.ConstructorDeclaration(declaration.Identifier.WithoutTrivia())
                .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PublicKeyword)))
                .WithParameterList(SyntaxFactory.ParameterList(SyntaxFactory.SingletonSeparatedList(parameter)))
                .WithBody(SyntaxFactory.Block(assign))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return (FieldName, editor => editor.InsertMembers(declaration, 0, new SyntaxNode[] { field, constructor }));
        }

        if (existing.Body is null)
        {
            return (FieldName, null);
        }

        var updated = existing
            .WithParameterList(existing.ParameterList.WithParameters(existing.ParameterList.Parameters.Insert(0, parameter)))
            .WithBody(existing.Body.WithStatements(existing.Body.Statements.Insert(0, assign)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (FieldName, editor =>
        {
            editor.ReplaceNode(existing, updated);
            editor.InsertMembers(declaration, 0, new SyntaxNode[] { field });
        });
    }
}
