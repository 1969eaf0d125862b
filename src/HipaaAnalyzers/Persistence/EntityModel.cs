using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Persistence;

/// <summary>
/// The Entity Framework Core entities of one compilation: types a <c>DbContext</c> stores (through <c>DbSet&lt;T&gt;</c>,
/// <c>modelBuilder.Entity&lt;T&gt;()</c>, <c>IEntityTypeConfiguration&lt;T&gt;</c>), the owned and related types reached
/// from them through navigations, and what the fluent configuration says about their properties (ignored, encrypted).
/// </summary>
/// <remarks>
/// Built once per compilation, on first use, from the declarations of the DbContext and configuration types and the
/// operation trees of their configuration methods only; rules then ask about one property at a time, so the IDE can
/// report on the property's own line whatever file the DbContext lives in.
/// </remarks>
internal sealed class EntityModel
{
    private const string DbContextMetadataName = "Microsoft.EntityFrameworkCore.DbContext";
    private const string EntityConfigurationMetadataName = "Microsoft.EntityFrameworkCore.IEntityTypeConfiguration`1";
    private const string EfNamespace = "Microsoft.EntityFrameworkCore";

    /// <summary>Navigations are followed a few levels deep (Patient → Address → Country) and no further.</summary>
    private const int MaxNavigationDepth = 4;

    private static readonly ConditionalWeakTable<Compilation, EntityModel> Cache = new();

    private readonly Compilation _compilation;
    private readonly object _gate = new();
    private Snapshot? _snapshot;

    private EntityModel(Compilation compilation) => _compilation = compilation;

    public static EntityModel For(Compilation compilation) => Cache.GetValue(compilation, c => new EntityModel(c));

    /// <summary>The DbContext that stores <paramref name="type"/> (or a type derived from it), or null when none does.</summary>
    public string? FindStoringContext(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        GetSnapshot(cancellationToken).Entities.TryGetValue(type.OriginalDefinition, out var context) ? context : null;

    /// <summary>
    /// The stored types whose rows hold the columns declared in <paramref name="type"/>: the type itself when it is an
    /// entity, related or owned type of its own, and the stored types that inherit from it (a <c>Person</c> base class is
    /// stored as the <c>Doctor</c> and <c>Patient</c> that derive from it).
    /// </summary>
    public ImmutableArray<INamedTypeSymbol> StoringTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var snapshot = GetSnapshot(cancellationToken);
        var result = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var pending = new Stack<INamedTypeSymbol>();
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        pending.Push(type.OriginalDefinition);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            if (snapshot.StoredInOwnRight.Contains(current))
            {
                result.Add(current);
            }

            if (snapshot.Inheritors.TryGetValue(current, out var derived))
            {
                foreach (var d in derived)
                {
                    pending.Push(d);
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The fluent configuration ignores the property (<c>Ignore(x =&gt; x.P)</c>).</summary>
    public bool IsIgnored(IPropertySymbol property, CancellationToken cancellationToken) =>
        GetSnapshot(cancellationToken).Ignored.Contains(property.OriginalDefinition);

    /// <summary>
    /// The fluent configuration encrypts the property: a call named like encryption on its property builder
    /// (<c>.IsEncrypted()</c>, <c>.UseEncryption()</c>) or a conversion whose converter is named like one
    /// (<c>.HasConversion&lt;EncryptedStringConverter&gt;()</c>, <c>.HasConversion(new AesEncryptingConverter(...))</c>).
    /// </summary>
    public bool IsEncryptedByConfiguration(IPropertySymbol property, CancellationToken cancellationToken) =>
        GetSnapshot(cancellationToken).Encrypted.Contains(property.OriginalDefinition);

    private Snapshot GetSnapshot(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _snapshot) is { } ready)
        {
            return ready;
        }

        // Built under a lock so concurrent rules do not each walk the configuration; a cancelled build is not cached.
        lock (_gate)
        {
            return _snapshot ??= Build(cancellationToken);
        }
    }

    private Snapshot Build(CancellationToken cancellationToken)
    {
        var dbContext = _compilation.GetTypeByMetadataName(DbContextMetadataName);
        if (dbContext is null)
        {
            return Snapshot.Empty;
        }

        var configurationInterface = _compilation.GetTypeByMetadataName(EntityConfigurationMetadataName);
        var builder = new SnapshotBuilder();
        foreach (var type in SourceTypes(cancellationToken))
        {
            if (DerivesFrom(type, dbContext))
            {
                AddContext(type, builder, cancellationToken);
            }
            else if (configurationInterface is not null)
            {
                foreach (var implemented in type.AllInterfaces)
                {
                    if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, configurationInterface) &&
                        implemented.TypeArguments[0] is INamedTypeSymbol configured)
                    {
                        // ApplyConfigurationsFromAssembly registers every configuration class; each names its entity.
                        builder.AddRoot(configured, "IEntityTypeConfiguration<" + configured.Name + ">");
                        AddConfigurationBodies(type, builder, cancellationToken);
                    }
                }
            }
        }

        return builder.Close(cancellationToken);
    }

    private IEnumerable<INamedTypeSymbol> SourceTypes(CancellationToken cancellationToken)
    {
        // Declarations only: the names of the compilation's types, no method bodies are bound here.
        foreach (var symbol in _compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type, cancellationToken))
        {
            if (symbol is INamedTypeSymbol { TypeKind: TypeKind.Class } type)
            {
                yield return type;
            }
        }
    }

    private void AddContext(INamedTypeSymbol context, SnapshotBuilder builder, CancellationToken cancellationToken)
    {
        foreach (var member in context.GetMembers())
        {
            if (member is IPropertySymbol { Type: INamedTypeSymbol { Name: "DbSet", TypeArguments.Length: 1 } set } &&
                IsEfType(set) && set.TypeArguments[0] is INamedTypeSymbol entity)
            {
                builder.AddRoot(entity, context.Name);
            }
        }

        AddConfigurationBodies(context, builder, cancellationToken);
    }

    /// <summary>OnModelCreating, Configure(EntityTypeBuilder&lt;T&gt;) and any other method of the type that takes an EF Core builder.</summary>
    private void AddConfigurationBodies(INamedTypeSymbol type, SnapshotBuilder builder, CancellationToken cancellationToken)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol { IsImplicitlyDeclared: false } method ||
                !method.Parameters.Any(p => p.Type is INamedTypeSymbol parameterType && IsEfType(parameterType)))
            {
                continue;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var syntax = reference.GetSyntax(cancellationToken);
                var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
                if (model.GetOperation(syntax, cancellationToken) is not { } body)
                {
                    continue;
                }

                foreach (var invocation in body.DescendantsAndSelf().OfType<IInvocationOperation>())
                {
                    ReadConfiguration(invocation, type.Name, builder);
                }
            }
        }
    }

    private static void ReadConfiguration(IInvocationOperation invocation, string owner, SnapshotBuilder builder)
    {
        var method = invocation.TargetMethod;
        if (!IsEfType(method.ContainingType))
        {
            return;
        }

        switch (method.Name)
        {
            case "Entity" or "Owned" or "OwnsOne" or "OwnsMany" or "ComplexProperty" when method.TypeArguments.Length > 0:
                foreach (var argument in method.TypeArguments.OfType<INamedTypeSymbol>())
                {
                    builder.AddRoot(argument, owner);
                }

                break;
            case "ApplyConfiguration" when method.TypeArguments.Length == 1 && method.TypeArguments[0] is INamedTypeSymbol entity:
                builder.AddRoot(entity, owner);
                break;
            case "Ignore":
                if (SelectedProperty(invocation) is { } ignored)
                {
                    builder.Ignored.Add(ignored);
                }

                break;
            case "Property":
                if (SelectedProperty(invocation) is { } property && IsEncryptingChain(invocation))
                {
                    builder.Encrypted.Add(property);
                }

                break;
        }
    }

    /// <summary>The property a builder call selects: <c>x =&gt; x.Ssn</c>.</summary>
    private static IPropertySymbol? SelectedProperty(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation or IDelegateCreationOperation)
            {
                value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
            }

            if (value is IAnonymousFunctionOperation lambda &&
                lambda.Body.Operations.FirstOrDefault() is IReturnOperation { ReturnedValue: { } returned })
            {
                while (returned is IConversionOperation conversion)
                {
                    returned = conversion.Operand;
                }

                if (returned is IPropertyReferenceOperation reference)
                {
                    return reference.Property.OriginalDefinition;
                }
            }
        }

        return null;
    }

    /// <summary>Calls chained on the property builder: <c>.Property(x =&gt; x.Ssn).HasMaxLength(64).IsEncrypted()</c>.</summary>
    private static bool IsEncryptingChain(IInvocationOperation property)
    {
        IOperation current = property;
        while (current.Parent is IInvocationOperation next && next.Instance == current)
        {
            if (NamesEncryption(next.TargetMethod.Name) ||
                next.TargetMethod.TypeArguments.Any(t => NamesEncryption(t.Name)) ||
                next.Arguments.Any(a => NamesEncryption(ConvertedType(a.Value)?.Name)))
            {
                return true;
            }

            current = next;
        }

        return false;
    }

    private static ITypeSymbol? ConvertedType(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value.Type;
    }

    private static bool NamesEncryption(string? name) =>
        name is not null &&
        (name.IndexOf("Encrypt", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("Cipher", StringComparison.OrdinalIgnoreCase) >= 0);

    private static bool IsEfType(INamedTypeSymbol? type) => TypeNames.IsInOrUnderNamespace(type?.ContainingNamespace, EfNamespace);

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class SnapshotBuilder
    {
        private readonly List<(INamedTypeSymbol Type, string Context)> _roots = new();

        public HashSet<IPropertySymbol> Ignored { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<IPropertySymbol> Encrypted { get; } = new(SymbolEqualityComparer.Default);

        public void AddRoot(INamedTypeSymbol type, string context) => _roots.Add((type.OriginalDefinition, context));

        /// <summary>Adds the types the roots reach through navigations, and the base types they inherit stored properties from.</summary>
        public Snapshot Close(CancellationToken cancellationToken)
        {
            var entities = new Dictionary<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
            var ownRight = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            var inheritors = new Dictionary<INamedTypeSymbol, HashSet<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
            var pending = new Queue<(INamedTypeSymbol Type, string Context, int Depth, bool Inherited)>(_roots.Select(r => (r.Type, r.Context, 0, false)));
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (type, context, depth, inherited) = pending.Dequeue();
                if (!PhiModel.IsInSource(type))
                {
                    continue;
                }

                if (!inherited)
                {
                    ownRight.Add(type);
                }

                if (entities.ContainsKey(type))
                {
                    continue;
                }

                entities.Add(type, context);
                if (type.BaseType is { } baseType && PhiModel.IsInSource(baseType))
                {
                    var key = baseType.OriginalDefinition;
                    if (!inheritors.TryGetValue(key, out var derived))
                    {
                        inheritors[key] = derived = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
                    }

                    derived.Add(type);
                    pending.Enqueue((key, context, depth, true));
                }

                if (depth >= MaxNavigationDepth)
                {
                    continue;
                }

                foreach (var member in type.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property &&
                        NavigationTarget(property.Type) is { } target)
                    {
                        pending.Enqueue((target, context, depth + 1, false));
                    }
                }
            }

            return new Snapshot(
                entities.ToImmutableDictionary<KeyValuePair<INamedTypeSymbol, string>, INamedTypeSymbol, string>(e => e.Key, e => e.Value, SymbolEqualityComparer.Default),
                ImmutableHashSet.CreateRange<IPropertySymbol>(SymbolEqualityComparer.Default, Ignored),
                ImmutableHashSet.CreateRange<IPropertySymbol>(SymbolEqualityComparer.Default, Encrypted),
                ImmutableHashSet.CreateRange<INamedTypeSymbol>(SymbolEqualityComparer.Default, ownRight),
                inheritors.ToImmutableDictionary(
                    e => e.Key, e => e.Value.ToImmutableArray(), (IEqualityComparer<INamedTypeSymbol>)SymbolEqualityComparer.Default));
        }

        /// <summary>A class of the compilation, or the element type of a collection of them: a navigation or owned type.</summary>
        private static INamedTypeSymbol? NavigationTarget(ITypeSymbol type)
        {
            var candidate = PhiModel.GetElementType(type) ?? type;
            return candidate is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named &&
                   named.SpecialType == SpecialType.None && PhiModel.IsInSource(named)
                ? named.OriginalDefinition
                : null;
        }
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new(
            ImmutableDictionary<INamedTypeSymbol, string>.Empty,
            ImmutableHashSet<IPropertySymbol>.Empty,
            ImmutableHashSet<IPropertySymbol>.Empty,
            ImmutableHashSet<INamedTypeSymbol>.Empty,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>.Empty);

        public Snapshot(
            ImmutableDictionary<INamedTypeSymbol, string> entities,
            ImmutableHashSet<IPropertySymbol> ignored,
            ImmutableHashSet<IPropertySymbol> encrypted,
            ImmutableHashSet<INamedTypeSymbol> storedInOwnRight,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> inheritors)
        {
            Entities = entities;
            Ignored = ignored;
            Encrypted = encrypted;
            StoredInOwnRight = storedInOwnRight;
            Inheritors = inheritors;
        }

        /// <summary>Types stored as an entity, a related or an owned type, not only as the base of one.</summary>
        public ImmutableHashSet<INamedTypeSymbol> StoredInOwnRight { get; }

        /// <summary>For each stored base type, the stored types that derive from it directly.</summary>
        public ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> Inheritors { get; }

        /// <summary>Entity, owned and related types, each with the DbContext (or configuration) that stores it.</summary>
        public ImmutableDictionary<INamedTypeSymbol, string> Entities { get; }

        public ImmutableHashSet<IPropertySymbol> Ignored { get; }

        public ImmutableHashSet<IPropertySymbol> Encrypted { get; }
    }
}
