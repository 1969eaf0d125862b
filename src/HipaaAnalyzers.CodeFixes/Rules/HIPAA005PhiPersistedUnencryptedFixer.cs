using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA005: marks the PHI property <c>[Encrypted]</c> ("HIPAA005.Encrypt"), adding <c>using HipaaAnalyzers.Runtime;</c>.
/// Offered for string properties only: the EF Core integration stores strings as ciphertext and rejects other types
/// at model build, so the fix would trade a warning for a startup error.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA005PhiPersistedUnencryptedFixer)), Shared]
public sealed class HIPAA005PhiPersistedUnencryptedFixer : CodeFixProvider
{
    private const string EncryptedAttributeMetadataName = "HipaaAnalyzers.Runtime.EncryptedAttribute";
    private const string EquivalenceKey = RuleIds.PhiPersistedUnencrypted + ".Encrypt";
    private const string Title = "Encrypt with [Encrypted]";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiPersistedUnencrypted);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        if (await EncryptedAttributeAsync(document, context.CancellationToken).ConfigureAwait(false) is null)
        {
            // Without the runtime the attribute would not compile; the rule page says how to add it.
            return;
        }

        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null || model is null || !IsStringProperty(root, model, diagnostic, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, token => FixAsync(document, ImmutableArray.Create(diagnostic), token), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        context.CodeActionEquivalenceKey == EquivalenceKey
            ? await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false)
            : document;

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var attribute = await EncryptedAttributeAsync(document, cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (attribute is null || root is null)
        {
            return document;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return document;
        }

        var properties = diagnostics
            .Where(d => IsStringProperty(root, model, d, cancellationToken))
            .Select(d => root.FindNode(d.Location.SourceSpan).FirstAncestorOrSelf<PropertyDeclarationSyntax>())
            .OfType<PropertyDeclarationSyntax>()
            .Distinct()
            .ToList();
        if (properties.Count == 0)
        {
            return document;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var name = generator.TypeExpression(attribute).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var fixedRoot = root.ReplaceNodes(properties, (_, property) => generator.AddAttributes(property, generator.Attribute(name)));
        return document.WithSyntaxRoot(fixedRoot);
    }

    private static bool IsStringProperty(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<PropertyDeclarationSyntax>() is { } declaration &&
        model.GetDeclaredSymbol(declaration, cancellationToken) is IPropertySymbol { Type.SpecialType: SpecialType.System_String };

    private static async Task<INamedTypeSymbol?> EncryptedAttributeAsync(Document document, CancellationToken cancellationToken)
    {
        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var attribute = compilation?.GetTypeByMetadataName(EncryptedAttributeMetadataName);
        return attribute is not null && compilation!.IsSymbolAccessibleWithin(attribute, compilation.Assembly) ? attribute : null;
    }
}
