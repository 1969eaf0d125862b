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

    private static void Analyze(SymbolAnalysisContext context, PhiCompilationContext phi, EntityModel entities)
    {
        var property = (IPropertySymbol)context.Symbol;

        // Cheap checks first: only settable scalar properties of classes can be stored columns.
        if (property.IsStatic || property.IsIndexer || property.IsImplicitlyDeclared || property.SetMethod is null ||
            property.ContainingType is not { } owner || !PhiModel.IsScalarData(property.Type) ||
            property.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration ||
            HasAttribute(property, "EncryptedAttribute") || HasAttribute(property, "NotMappedAttribute"))
        {
            return;
        }

        var model = phi.GetModel(context.Options, declaration.SyntaxTree);
        if (model.ClassifySymbol(property) is not { } reason)
        {
            return;
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
        if (reason.IdentifiesPerson && !StoredForAPatient(property, owner, model, entities, context.CancellationToken))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.PhiPersistedUnencrypted,
            property.Locations[0],
            reason.What,
            reason.Why,
            storedBy));
    }

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
