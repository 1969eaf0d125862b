using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Persistence;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA005: a PHI property of an entity that an Entity Framework Core DbContext stores, without <c>[Encrypted]</c> or an
/// encrypting value converter. Reported on the property, from a symbol action, so it shows in the file being edited.
/// A property of an entity declared in another project of the team's (a Domain project) has no declaration in this
/// compilation: it is reported where this compilation stores it, on the DbSet property, the <c>Entity&lt;T&gt;()</c> call
/// or the configuration class, from a symbol action on the DbContext or configuration class that holds that place.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA005PhiPersistedUnencryptedAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiPersistedUnencrypted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var phi = PhiCompilationContext.For(start.Compilation);
            var entities = EntityModel.For(start.Compilation);
            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, phi, entities), SymbolKind.Property);
            start.RegisterSymbolAction(symbolContext => AnalyzeOtherProjectEntities(symbolContext, phi, entities), SymbolKind.NamedType);
        });
    }

    private static bool StoredForAPatient(IPropertySymbol property, INamedTypeSymbol owner, PhiModel model, EntityModel entities, System.Threading.CancellationToken cancellationToken)
    {
        var storing = entities.StoringTypes(owner, cancellationToken);
        if (storing.IsEmpty)
        {
            return true;
        }

        foreach (var type in storing)
        {
            if (model.ClassifyMemberOf(property, type) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A weak name of an owned value object (<c>Address.Street</c>) is stored in its owner's rows: PHI when the owner is a
    /// patient (<c>Patient.HomeAddress</c>), not when it is a clinic or a doctor.
    /// </summary>
    private static PhiReason? ThroughOwner(IPropertySymbol property, INamedTypeSymbol owner, PhiModel model, EntityModel entities, System.Threading.CancellationToken cancellationToken)
    {
        // Only a name the heuristics judge can be PHI through its owner; most properties are not, and never need the model.
        if (!model.MayBePhiThroughPerson(property))
        {
            return null;
        }

        foreach (var ownerProperty in entities.OwnersOf(owner, cancellationToken))
        {
            if (model.ClassifyThroughPerson(property, ownerProperty) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    private static void Analyze(SymbolAnalysisContext context, PhiCompilationContext phi, EntityModel entities)
    {
        var property = (IPropertySymbol)context.Symbol;

        // Cheap checks first: only settable scalar properties of classes can be stored columns.
        if (!MayBeStoredColumn(property, otherProject: false) || property.ContainingType is not { } owner ||
            property.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration)
        {
            return;
        }

        var model = phi.GetModel(context.Options, declaration.SyntaxTree);
        var reason = model.ClassifySymbol(property);
        bool throughOwner = false;
        if (reason is null)
        {
            reason = ThroughOwner(property, owner, model, entities, context.CancellationToken);
            throughOwner = reason is not null;
            if (reason is null)
            {
                return;
            }
        }

        // Only now the compilation's EF Core model: most properties never get here.
        if (entities.FindStoringContext(owner, context.CancellationToken) is not { } storedBy ||
            entities.IsIgnored(property, context.CancellationToken) ||
            entities.IsEncryptedByConfiguration(property, context.CancellationToken))
        {
            return;
        }

        // A name or birth date declared in a Person base class is stored for each entity that derives from it: PHI in a
        // Patient's row, workforce data in a Doctor's.
        if (reason.IdentifiesPerson && !throughOwner && !StoredForAPatient(property, owner, model, entities, context.CancellationToken))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.PhiPersistedUnencrypted,
            property.Locations[0],
            reason.What,
            reason.Why,
            storedBy,
            string.Empty));
    }

    /// <summary>
    /// A DbContext or configuration class of this compilation: the PHI columns of entities declared in other projects
    /// that it stores, each reported once, on the place the entity model chose for it (see <see cref="EntityModel.FirstPlacement"/>).
    /// </summary>
    private static void AnalyzeOtherProjectEntities(SymbolAnalysisContext context, PhiCompilationContext phi, EntityModel entities)
    {
        var owner = (INamedTypeSymbol)context.Symbol;
        var types = entities.OtherProjectTypesPlacedIn(owner, context.CancellationToken);
        if (types.IsEmpty || owner.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree is not { } tree)
        {
            return;
        }

        var model = phi.GetModel(context.Options, tree);
        foreach (var type in types)
        {
            foreach (var member in type.GetMembers())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (member is not IPropertySymbol property || !MayBeStoredColumn(property, otherProject: true) ||
                    model.ClassifySymbol(property) is not { } reason ||
                    entities.IsIgnored(property, context.CancellationToken) ||
                    entities.IsEncryptedByConfiguration(property, context.CancellationToken))
                {
                    continue;
                }

                // As for this compilation's entities: a name in a Person base class is reported for the patients it is stored as.
                var storing = entities.StoringTypes(type, context.CancellationToken);
                var placement = entities.FirstPlacement(
                    reason.IdentifiesPerson ? storing.Where(t => model.ClassifyMemberOf(property, t) is not null) : storing,
                    context.CancellationToken);
                if (placement is null || !SymbolEqualityComparer.Default.Equals(placement.Owner, owner.OriginalDefinition))
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(EntityProperties.PropertyId, DocumentationCommentId.CreateDeclarationId(property))
                    .Add(EntityProperties.Assembly, property.ContainingAssembly?.Name);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.PhiPersistedUnencrypted,
                    placement.Location,
                    properties,
                    reason.What,
                    reason.Why,
                    placement.Context,
                    " (declared in " + DeclaredIn(property) + ")"));
            }
        }
    }

    /// <summary>
    /// A settable scalar instance property not marked [Encrypted] or [NotMapped]: what can be a plaintext column. A
    /// property of an entity declared in another project is judged by what that project's reference assembly shows,
    /// so the IDE and hipaa-scan (which see its source) agree with the build: a setter that is not private, or an
    /// auto-property, whose private setter (<c>{ get; private set; }</c>, which EF Core maps) a reference assembly
    /// leaves out. A computed property (<c>FullName =&gt; ...</c>) is no column.
    /// </summary>
    private static bool MayBeStoredColumn(IPropertySymbol property, bool otherProject) =>
        !property.IsStatic && !property.IsIndexer && !property.IsImplicitlyDeclared &&
        (otherProject
            ? property.SetMethod is { DeclaredAccessibility: not Accessibility.Private } || CodeOrigin.IsAutoProperty(property)
            : property.SetMethod is not null) &&
        PhiModel.IsScalarData(property.Type) &&
        !HasAttribute(property, "EncryptedAttribute") && !HasAttribute(property, "NotMappedAttribute");

    /// <summary>
    /// The project (assembly) that declares the property: "Clinic.Domain". Not its file, which only the IDE and the
    /// scanner could name; a build sees the project as a compiled reference, and both must say the same.
    /// </summary>
    private static string DeclaredIn(IPropertySymbol property) => property.ContainingAssembly?.Name ?? "another assembly";

    /// <summary>By simple name, so a team's own <c>EncryptedAttribute</c> counts like the runtime's.</summary>
    private static bool HasAttribute(IPropertySymbol property, string name)
    {
        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == name)
            {
                return true;
            }
        }

        // An override is stored like the property it overrides, so a mark on the base counts.
        return property.OverriddenProperty is { } overridden && HasAttribute(overridden, name);
    }
}
