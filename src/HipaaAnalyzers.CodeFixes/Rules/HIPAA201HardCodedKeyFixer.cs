using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA201: gets the key from outside the code ("HIPAA201.ReadKey"). When the runtime library's
/// <c>HipaaAnalyzers.Runtime.HipaaKeys.Get(string)</c> is available, a symmetric key (key bytes or text decoded into
/// them) becomes <c>HipaaKeys.Get("name")</c>, an application key of the key ring; otherwise, and for a private key
/// (a PEM or PKCS#8 blob is no 32-64 byte key), it is read from configuration or the environment.
/// Text that is decoded into a key (<c>Encoding.UTF8.GetBytes("...")</c>, <c>Convert.FromBase64String("...")</c>)
/// keeps its decoding, so the same secret can be moved into the setting as it is; key bytes written in the code
/// (<c>new byte[] { ... }</c>, a field, a local) become <c>Convert.FromBase64String(setting)</c>. No fix is offered for
/// an IV: it must be random for each encryption and travel with the ciphertext (see HIPAA106).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA201HardCodedKeyFixer)), Shared]
public sealed class HIPAA201HardCodedKeyFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.HardCodedKey + ".ReadKey";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HardCodedKey);

    private const string KeyRingVariant = "key ring";

    public override FixAllProvider GetFixAllProvider() => HeldSecrets.FixAll(RewriteAsync, ReadSetting);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic) is not { } target || diagnostic.Properties.GetValueOrDefault(ConfigurationKeys.Property) is not { } key)
            {
                continue;
            }

            var source = SecretSources.Find(model, target.Node);
            var document = context.Document;
            var title = KeyRingType(model.Compilation) is not null && UsesKeyRing(diagnostic)
                ? "Get the key from the key ring: HipaaKeys.Get(\"" + KeyName(key) + "\")"
                : "Read the key from " + source.Describe(key);
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    ct => HeldSecrets.FixAsync(document.Project.Solution, new[] { (document.Id, ImmutableArray.Create(diagnostic)) }, RewriteAsync, ReadSetting, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<(Document, IReadOnlyList<HeldSecrets.Replacement>)> RewriteAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var done = new HashSet<SyntaxNode>();
        var replaced = new List<HeldSecrets.Replacement>();
        var keyRing = KeyRingType(model.Compilation);
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Target(editor.OriginalRoot, diagnostic) is not { } target ||
                diagnostic.Properties.GetValueOrDefault(ConfigurationKeys.Property) is not { } key ||
                !done.Add(target.Node))
            {
                continue;
            }

            if (keyRing is not null && UsesKeyRing(diagnostic))
            {
                // The whole value, decoding included: HipaaKeys.Get returns the key bytes.
                var whole = target.Whole;
                editor.ReplaceNode(whole, KeyRingCall(editor.Generator, model, whole.SpanStart, keyRing, KeyName(key)).WithTriviaFrom(whole));
                replaced.Add(new HeldSecrets.Replacement(whole, key, KeyRingVariant));
                continue;
            }

            var source = SecretSources.Find(model, target.Node);
            var replacement = target.Text
                ? SecretSources.Text(model, target.Node, source, key)
                : SecretSources.Base64Bytes(model, target.Node, source, key);
            editor.ReplaceNode(target.Node, replacement.WithTriviaFrom(target.Node));
            replaced.Add(new HeldSecrets.Replacement(target.Node, key));
        }

        return (editor.GetChangedDocument(), replaced);
    }

    /// <summary>
    /// A field, property or local that held the key and is still read elsewhere: key bytes from the key ring (when the
    /// use did so) or from the setting as base64, key text from the setting.
    /// </summary>
    private static ExpressionSyntax? ReadSetting(Document document, SemanticModel model, SyntaxNode node, ITypeSymbol type, string key, string? variant)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            if (variant == KeyRingVariant && KeyRingType(model.Compilation) is { } keyRing)
            {
                return KeyRingCall(SyntaxGenerator.GetGenerator(document), model, node.SpanStart, keyRing, KeyName(key));
            }

            return SecretSources.Base64Bytes(model, node, SecretSources.Find(model, node), key);
        }

        return type.SpecialType == SpecialType.System_String ? SecretSources.Text(model, node, SecretSources.Find(model, node), key) : null;
    }

    /// <summary>
    /// The runtime's <c>HipaaKeys</c> type when code in this compilation can call its <c>public static byte[] Get(string)</c>;
    /// null otherwise, and then the fix reads configuration or the environment instead.
    /// </summary>
    private static INamedTypeSymbol? KeyRingType(Compilation compilation)
    {
        var type = compilation.GetTypeByMetadataName(KeyRingTypeMetadataName);
        if (type is null || !compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
        {
            return null;
        }

        foreach (var member in type.GetMembers("Get"))
        {
            if (member is IMethodSymbol
                {
                    IsStatic: true,
                    DeclaredAccessibility: Accessibility.Public,
                    IsGenericMethod: false,
                    Parameters.Length: 1,
                    ReturnType: IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte },
                } get &&
                get.Parameters[0] is { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_String })
            {
                return type;
            }
        }

        return null;
    }

    private const string KeyRingTypeMetadataName = "HipaaAnalyzers.Runtime.HipaaKeys";

    /// <summary>
    /// Application keys are 32 to 64 random bytes handed to a sink that takes bytes: symmetric keys. A private key
    /// (PEM, PKCS#8) or a sink that takes text keeps the configuration-based fix.
    /// </summary>
    private static bool UsesKeyRing(Diagnostic diagnostic) =>
        diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedKey.KindProperty) == SecretFixData.HardCodedKey.Key &&
        diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedKey.ShapeProperty) != "text";

    /// <summary>
    /// The key ring name for a configuration key: <c>Jwt:SigningKey</c> becomes <c>jwt-signing-key</c>,
    /// <c>Keys:AesKey</c> becomes <c>aes-key</c>; always a valid key id (A-Z a-z 0-9 . _ -, at most 64 characters).
    /// </summary>
    internal static string KeyName(string configurationKey)
    {
        var text = configurationKey.StartsWith("Keys:", System.StringComparison.Ordinal) ? configurationKey.Substring(5) : configurationKey;
        var name = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_')
            {
                name.Append(c);
            }
            else if (c is >= 'A' and <= 'Z')
            {
                if (name.Length > 0 && name[name.Length - 1] != '-' && i > 0 && !(text[i - 1] is >= 'A' and <= 'Z'))
                {
                    name.Append('-');
                }

                name.Append((char)(c + ('a' - 'A')));
            }
            else if (name.Length > 0 && name[name.Length - 1] != '-')
            {
                name.Append('-');
            }
        }

        var result = name.ToString().Trim('-');
        if (result.Length > 64)
        {
            result = result.Substring(0, 64).TrimEnd('-');
        }

        return result.Length == 0 ? "application-key" : result;
    }

    /// <summary><c>HipaaKeys.Get("name")</c>, with a using added where the short name is free, else fully qualified.</summary>
    private static ExpressionSyntax KeyRingCall(SyntaxGenerator generator, SemanticModel model, int position, INamedTypeSymbol keyRing, string name)
    {
        var free = model.LookupSymbols(position, name: keyRing.Name).All(s => SymbolEqualityComparer.Default.Equals(s, keyRing));
        var type = free
            ? ((ExpressionSyntax)generator.TypeExpression(keyRing)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)
            : SyntaxFactory.ParseExpression("global::" + KeyRingTypeMetadataName).WithAdditionalAnnotations(Simplifier.Annotation);
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, type, SyntaxFactory.IdentifierName("Get")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                    SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name))))))
            .WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>The expression to replace, whether it is text (a string) or key bytes, and the whole value at the sink.</summary>
    private static (ExpressionSyntax Node, bool Text, ExpressionSyntax Whole)? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedKey.KindProperty) == SecretFixData.HardCodedKey.Iv)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax value || value.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not null)
        {
            return null;
        }

        if (diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedKey.ShapeProperty) == "text")
        {
            return (value, true, value);
        }

        // Encoding.UTF8.GetBytes("..."), Convert.FromBase64String("..."), Convert.FromHexString("..."): keep the decoding.
        var inner = value;
        while (inner is ParenthesizedExpressionSyntax parenthesized)
        {
            inner = parenthesized.Expression;
        }

        if (inner is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetBytes" or "FromBase64String" or "FromHexString" },
                ArgumentList.Arguments: { Count: 1 } arguments,
            } && arguments[0].NameColon is null && arguments[0].RefKindKeyword.RawKind == 0 &&
            arguments[0].Expression is not (ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax))
        {
            return (arguments[0].Expression, true, value);
        }

        return (value, false, value);
    }
}
