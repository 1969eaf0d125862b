using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Persistence;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA005: marks the PHI property <c>[Encrypted]</c> ("HIPAA005.Encrypt"), adding <c>using HipaaAnalyzers.Runtime;</c>.
/// Offered for the types the EF Core integration encrypts (string, byte[], DateOnly, DateTime, DateTimeOffset, TimeOnly,
/// int, long, short, decimal, double, bool, Guid, enums and their nullable forms), and not on an entity whose key the
/// database generates (an integer key by EF Core's conventions, or one marked
/// <c>[DatabaseGenerated(DatabaseGeneratedOption.Identity)]</c>): each ciphertext is bound to its row's key, which such
/// an entity does not have before the insert, so the integration refuses the model and the fix would trade a warning for
/// a startup error. The rule page says how to give the entity a key the application generates.
/// </summary>
/// <remarks>
/// A property of an entity declared in another project is reported on the DbSet that stores it; the fix then edits the
/// entity's own document in that project, found through the solution, and is offered only when the solution has that
/// source and that project references the runtime.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA005PhiPersistedUnencryptedFixer)), Shared]
public sealed class HIPAA005PhiPersistedUnencryptedFixer : CodeFixProvider
{
    private const string EncryptedAttributeMetadataName = "HipaaAnalyzers.Runtime.EncryptedAttribute";
    private const string EquivalenceKey = RuleIds.PhiPersistedUnencrypted + ".Encrypt";
    private const string Title = "Encrypt with [Encrypted]";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiPersistedUnencrypted);

    public override FixAllProvider GetFixAllProvider() => EncryptAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await FindTargetAsync(document.Project.Solution, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target)
            {
                continue;
            }

            // The entity's own document: this one, or one of another project of the solution.
            var action = target.Document.Id == document.Id
                ? CodeAction.Create(Title, token => FixAsync(document, ImmutableArray.Create(diagnostic), token), EquivalenceKey)
                : CodeAction.Create(Title, token => FixSolutionAsync(document.Project.Solution, ImmutableArray.Create(diagnostic), token), EquivalenceKey);
            context.RegisterCodeFix(action, diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var fixedSolution = await FixSolutionAsync(document.Project.Solution, diagnostics, cancellationToken).ConfigureAwait(false);
        return fixedSolution.GetDocument(document.Id) ?? document;
    }

    /// <summary>Adds <c>[Encrypted]</c> to the property of each diagnostic, in whichever document of the solution declares it.</summary>
    private static async Task<Solution> FixSolutionAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var byDocument = new Dictionary<DocumentId, HashSet<PropertyDeclarationSyntax>>();
        foreach (var diagnostic in diagnostics)
        {
            if (await FindTargetAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false) is { } target)
            {
                if (!byDocument.TryGetValue(target.Document.Id, out var declarations))
                {
                    byDocument[target.Document.Id] = declarations = new HashSet<PropertyDeclarationSyntax>();
                }

                declarations.Add(target.Declaration);
            }
        }

        var fixedSolution = solution;
        foreach (var entry in byDocument)
        {
            var document = solution.GetDocument(entry.Key)!;
            var attribute = await EncryptedAttributeAsync(document, cancellationToken).ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (attribute is null || root is null)
            {
                continue;
            }

            // The declarations again from this root, in case they were read from another instance of the same tree.
            var properties = entry.Value
                .Select(d => root.FindNode(d.Span).FirstAncestorOrSelf<PropertyDeclarationSyntax>())
                .OfType<PropertyDeclarationSyntax>()
                .Distinct()
                .ToList();
            var generator = SyntaxGenerator.GetGenerator(document);
            var name = generator.TypeExpression(attribute).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            var fixedRoot = root.ReplaceNodes(properties, (_, property) => generator.AddAttributes(property, generator.Attribute(name)));
            fixedSolution = fixedSolution.WithDocumentSyntaxRoot(entry.Key, fixedRoot);
        }

        return fixedSolution;
    }

    /// <summary>
    /// The declaration the fix edits, when it can: a string property, in a project that references the runtime. For a
    /// diagnostic on the property itself, its declaration; for one on a DbSet about another project's entity, the
    /// property's source definition in the solution (none for a compiled package).
    /// </summary>
    private static async Task<Target?> FindTargetAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree is not { } tree || solution.GetDocument(tree) is not { } reported)
        {
            return null;
        }

        PropertyDeclarationSyntax? declaration;
        Document? document;
        if (diagnostic.Properties.TryGetValue(EntityProperties.PropertyId, out var id) && id is not null)
        {
            diagnostic.Properties.TryGetValue(EntityProperties.Assembly, out var assembly);
            var compilation = await reported.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            var property = compilation is null
                ? null
                : DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation)
                    .OfType<IPropertySymbol>()
                    .FirstOrDefault(p => assembly is null || p.ContainingAssembly?.Name == assembly);
            if (property is null ||
                await SymbolFinder.FindSourceDefinitionAsync(property, solution, cancellationToken).ConfigureAwait(false) is not IPropertySymbol source ||
                !CanEncrypt(source) ||
                source.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference ||
                solution.GetDocument(reference.SyntaxTree) is not { } declaring)
            {
                return null;
            }

            document = declaring;
            declaration = await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) as PropertyDeclarationSyntax;
        }
        else
        {
            var root = await reported.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await reported.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            document = reported;
            declaration = root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<PropertyDeclarationSyntax>();
            if (declaration is null || model?.GetDeclaredSymbol(declaration, cancellationToken) is not IPropertySymbol property || !CanEncrypt(property))
            {
                return null;
            }
        }

        // Without the runtime in the entity's project the attribute would not compile; the rule page says how to add it.
        return declaration is not null && await EncryptedAttributeAsync(document, cancellationToken).ConfigureAwait(false) is not null
            ? new Target(document, declaration)
            : null;
    }

    /// <summary>A property of a type the EF Core integration encrypts, on an entity whose key exists before the insert.</summary>
    private static bool CanEncrypt(IPropertySymbol property) =>
        IsEncryptableType(property.Type) && property.ContainingType is { } entity && !HasDatabaseGeneratedKey(entity);

    internal static bool IsEncryptableType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return true;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Int16:
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Double:
            case SpecialType.System_Boolean:
            case SpecialType.System_DateTime:
                return true;
        }

        return type.TypeKind == TypeKind.Enum ||
               type is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true }, Name: "DateOnly" or "TimeOnly" or "DateTimeOffset" or "Guid" };
    }

    /// <summary>
    /// Whether EF Core lets the database generate the entity's key: a key (<c>[Key]</c>, or by convention <c>Id</c> or
    /// <c>{Entity}Id</c>) of an integer type not marked <c>[DatabaseGenerated(DatabaseGeneratedOption.None)]</c>, or any
    /// key marked <c>DatabaseGeneratedOption.Identity</c> or <c>Computed</c>. Keys configured in <c>OnModelCreating</c>
    /// are not seen, so a key made application-generated there still gets no fix (the rule page says so).
    /// </summary>
    internal static bool HasDatabaseGeneratedKey(INamedTypeSymbol entity)
    {
        IPropertySymbol? key = null;
        for (var type = entity; type is not null && key is null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IPropertySymbol property && property.GetAttributes().Any(a => a.AttributeClass?.Name == "KeyAttribute"))
                {
                    key = property;
                    break;
                }
            }
        }

        if (key is null)
        {
            for (var type = entity; type is not null && key is null; type = type.BaseType)
            {
                key = type.GetMembers("Id").OfType<IPropertySymbol>().FirstOrDefault() ??
                      type.GetMembers(entity.Name + "Id").OfType<IPropertySymbol>().FirstOrDefault();
            }
        }

        if (key is null)
        {
            return false;
        }

        foreach (var attribute in key.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "DatabaseGeneratedAttribute" && attribute.ConstructorArguments.Length == 1 &&
                attribute.ConstructorArguments[0].Value is int option)
            {
                // DatabaseGeneratedOption: None = 0, Identity = 1, Computed = 2.
                return option != 0;
            }
        }

        var keyType = key.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : key.Type;
        return keyType.SpecialType is SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 or
            SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Byte;
    }

    private static async Task<INamedTypeSymbol?> EncryptedAttributeAsync(Document document, CancellationToken cancellationToken)
    {
        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var attribute = compilation?.GetTypeByMetadataName(EncryptedAttributeMetadataName);
        return attribute is not null && compilation!.IsSymbolAccessibleWithin(attribute, compilation.Assembly) ? attribute : null;
    }

    private sealed class Target
    {
        public Target(Document document, PropertyDeclarationSyntax declaration)
        {
            Document = document;
            Declaration = declaration;
        }

        public Document Document { get; }

        public PropertyDeclarationSyntax Declaration { get; }
    }

    /// <summary>
    /// Fix All in a document, project or solution: the diagnostics of the scope, each property marked in the document
    /// that declares it, which for another project's entity is not one of the scope's own documents.
    /// </summary>
    private sealed class EncryptAllProvider : FixAllProvider
    {
        public static readonly EncryptAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != EquivalenceKey)
            {
                return null;
            }

            if (await FixAllScopes.DiagnosticsAsync(fixAllContext).ConfigureAwait(false) is not { } diagnostics)
            {
                return null;
            }

            var solution = fixAllContext.Solution;
            return CodeAction.Create(Title, token => FixSolutionAsync(solution, diagnostics, token), EquivalenceKey);
        }
    }
}
