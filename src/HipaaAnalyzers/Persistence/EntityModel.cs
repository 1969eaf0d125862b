using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
/// <para>
/// Entities declared in another project of the team's own code (a Domain project referenced by the Infrastructure
/// project that holds the DbContext) are part of the model too. Their properties are not this compilation's, so they
/// are reported where this compilation stores them: each stored type gets one <see cref="Placement"/>, the DbSet
/// property that reaches it, or else the <c>Entity&lt;T&gt;()</c> call or the configuration class.
/// </para>
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
        return StoringTypes(type, snapshot.StoredInOwnRight, snapshot.Inheritors);
    }

    /// <summary>
    /// Types declared outside this compilation (in a referenced project of the team's own code) whose columns are
    /// reported on <paramref name="owner"/>: the DbContext or configuration class one of their storing types is placed in.
    /// Empty, without building the model, for a type that is neither a DbContext nor an entity configuration.
    /// </summary>
    public ImmutableArray<INamedTypeSymbol> OtherProjectTypesPlacedIn(INamedTypeSymbol owner, CancellationToken cancellationToken)
    {
        if (owner.TypeKind != TypeKind.Class || !MayStoreEntities(owner))
        {
            return ImmutableArray<INamedTypeSymbol>.Empty;
        }

        return GetSnapshot(cancellationToken).OtherProjectTypesByOwner.TryGetValue(owner.OriginalDefinition, out var types)
            ? types
            : ImmutableArray<INamedTypeSymbol>.Empty;
    }

    /// <summary>
    /// Where a column of another project's type stored as one of <paramref name="storingTypes"/> is reported: the first
    /// of their placements (a DbSet before an <c>Entity&lt;T&gt;()</c> call before a configuration class, then the
    /// nearest, then by file and position), so each column is reported once whichever DbSets reach it.
    /// </summary>
    public Placement? FirstPlacement(IEnumerable<INamedTypeSymbol> storingTypes, CancellationToken cancellationToken)
    {
        var placements = GetSnapshot(cancellationToken).Placements;
        Placement? first = null;
        foreach (var type in storingTypes)
        {
            if (placements.TryGetValue(type.OriginalDefinition, out var placement) && (first is null || placement.Order < first.Order))
            {
                first = placement;
            }
        }

        return first;
    }

    private static ImmutableArray<INamedTypeSymbol> StoringTypes(
        INamedTypeSymbol type,
        ICollection<INamedTypeSymbol> storedInOwnRight,
        IReadOnlyDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> inheritors)
    {
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

            if (storedInOwnRight.Contains(current))
            {
                result.Add(current);
            }

            if (inheritors.TryGetValue(current, out var derived))
            {
                foreach (var d in derived)
                {
                    pending.Push(d);
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>By name, without looking types up by metadata name: derives from EF Core's DbContext or implements IEntityTypeConfiguration.</summary>
    private static bool MayStoreEntities(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.Name == "DbContext" && IsEfType(t))
            {
                return true;
            }
        }

        foreach (var implemented in Interfaces.Of(type))
        {
            if (implemented.Name == "IEntityTypeConfiguration" && IsEfType(implemented))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The properties of stored types that hold <paramref name="valueType"/> when it is an owned value object (a type
    /// without a key, such as an <c>Address</c>): its columns are stored in the rows of those owners.
    /// </summary>
    public ImmutableArray<IPropertySymbol> OwnersOf(INamedTypeSymbol valueType, CancellationToken cancellationToken) =>
        GetSnapshot(cancellationToken).OwnedThrough.TryGetValue(valueType.OriginalDefinition, out var owners)
            ? owners
            : ImmutableArray<IPropertySymbol>.Empty;

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
                        builder.AddRoot(configured, "IEntityTypeConfiguration<" + configured.Name + ">", type, type.Locations[0], RootKind.ConfigurationClass);
                        AddConfigurationBodies(type, builder, cancellationToken);
                    }
                }
            }
        }

        return builder.Close(_compilation.Assembly, cancellationToken);
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
            if (member is IPropertySymbol { Type: INamedTypeSymbol { Name: "DbSet", TypeArguments.Length: 1 } set } property &&
                IsEfType(set) && set.TypeArguments[0] is INamedTypeSymbol entity)
            {
                builder.AddRoot(entity, context.Name, context, property.Locations[0], RootKind.DbSet);
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
                    ReadConfiguration(invocation, type, builder);
                }
            }
        }
    }

    private static void ReadConfiguration(IInvocationOperation invocation, INamedTypeSymbol owner, SnapshotBuilder builder)
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
                    builder.AddRoot(argument, owner.Name, owner, MethodNameLocation(invocation), RootKind.Call);
                }

                break;
            case "ApplyConfiguration" when method.TypeArguments.Length == 1 && method.TypeArguments[0] is INamedTypeSymbol entity:
                builder.AddRoot(entity, owner.Name, owner, MethodNameLocation(invocation), RootKind.Call);
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

    /// <summary>The method's name in the call (<c>Entity&lt;Patient&gt;</c> of <c>modelBuilder.Entity&lt;Patient&gt;(b =&gt; ...)</c>), not the whole call.</summary>
    private static Location MethodNameLocation(IInvocationOperation invocation) =>
        invocation.Syntax is InvocationExpressionSyntax { Expression: var expression }
            ? expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.GetLocation(),
                MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                _ => expression.GetLocation(),
            }
            : invocation.Syntax.GetLocation();

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

    /// <summary>
    /// Calls chained on the property builder: <c>.Property(x =&gt; x.Ssn).HasMaxLength(64).IsEncrypted()</c>, and
    /// conversions written as lambdas that call an encryption method: <c>.HasConversion(v =&gt; Encrypt(v), v =&gt; Decrypt(v))</c>.
    /// </summary>
    private static bool IsEncryptingChain(IInvocationOperation property)
    {
        IOperation current = property;
        while (current.Parent is IInvocationOperation next && next.Instance == current)
        {
            if (NamesEncryption(next.TargetMethod.Name) ||
                next.TargetMethod.TypeArguments.Any(t => NamesEncryption(t.Name)) ||
                next.Arguments.Any(a => NamesEncryption(ConvertedType(a.Value)?.Name) || LambdaCallsEncryption(a.Value)))
            {
                return true;
            }

            current = next;
        }

        return false;
    }

    /// <summary>A lambda in the argument (directly or in <c>new ValueConverter&lt;,&gt;(...)</c>) whose body calls a method named like encryption.</summary>
    private static bool LambdaCallsEncryption(IOperation argument)
    {
        foreach (var lambda in argument.DescendantsAndSelf().OfType<IAnonymousFunctionOperation>())
        {
            if (lambda.Body.Descendants().OfType<IInvocationOperation>().Any(call => NamesEncryption(call.TargetMethod.Name)))
            {
                return true;
            }
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

    /// <summary>What makes a type stored, in the order a placement prefers them.</summary>
    private enum RootKind
    {
        DbSet = 0,
        Call = 1,
        ConfigurationClass = 2,
    }

    /// <summary>
    /// Where this compilation stores a type: the DbSet property, the <c>Entity&lt;T&gt;()</c> (or <c>OwnsOne</c>,
    /// <c>ApplyConfiguration</c>) call or the configuration class, inside <see cref="Owner"/>. Columns of a type declared
    /// in another project are reported here, since this compilation has no declaration of theirs to report on.
    /// </summary>
    internal sealed class Placement
    {
        public Placement(Location location, string context, INamedTypeSymbol owner, int order)
        {
            Location = location;
            Context = context;
            Owner = owner;
            Order = order;
        }

        public Location Location { get; }

        /// <summary>The DbContext (or configuration) named in the message as storing the column.</summary>
        public string Context { get; }

        /// <summary>The DbContext or configuration class whose declaration holds <see cref="Location"/>.</summary>
        public INamedTypeSymbol Owner { get; }

        /// <summary>Lower is preferred: by <see cref="RootKind"/>, then nearer the root, then by file and position.</summary>
        public int Order { get; }
    }

    private sealed class SnapshotBuilder
    {
        private readonly List<Root> _roots = new();

        public HashSet<IPropertySymbol> Ignored { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<IPropertySymbol> Encrypted { get; } = new(SymbolEqualityComparer.Default);

        public void AddRoot(INamedTypeSymbol type, string context, INamedTypeSymbol owner, Location location, RootKind kind) =>
            _roots.Add(new Root(type.OriginalDefinition, context, owner.OriginalDefinition, location, kind));

        /// <summary>Adds the types the roots reach through navigations, and the base types they inherit stored properties from.</summary>
        public Snapshot Close(IAssemblySymbol assembly, CancellationToken cancellationToken)
        {
            var entities = new Dictionary<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
            var ownRight = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            var inheritors = new Dictionary<INamedTypeSymbol, HashSet<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
            var owners = new Dictionary<INamedTypeSymbol, List<IPropertySymbol>>(SymbolEqualityComparer.Default);
            var pending = new Queue<(INamedTypeSymbol Type, string Context, int Depth, bool Inherited)>(_roots.Select(r => (r.Type, r.Context, 0, false)));
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (type, context, depth, inherited) = pending.Dequeue();
                if (!CodeOrigin.IsTeamCode(type, assembly))
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
                if (StoredBaseType(type, assembly) is { } baseType)
                {
                    if (!inheritors.TryGetValue(baseType, out var derived))
                    {
                        inheritors[baseType] = derived = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
                    }

                    derived.Add(type);
                    pending.Enqueue((baseType, context, depth, true));
                }

                if (depth >= MaxNavigationDepth)
                {
                    continue;
                }

                foreach (var target in NavigationTargets(type, assembly))
                {
                    pending.Enqueue((target, context, depth + 1, false));
                }

                foreach (var member in type.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property &&
                        NavigationTarget(property.Type, assembly) is { } valueType && !EntityKeys.HasKey(valueType))
                    {
                        if (!owners.TryGetValue(valueType, out var through))
                        {
                            owners[valueType] = through = new List<IPropertySymbol>();
                        }

                        through.Add(property);
                    }
                }
            }

            var storedInOwnRight = ImmutableHashSet.CreateRange<INamedTypeSymbol>(SymbolEqualityComparer.Default, ownRight);
            var inheritorsByBase = inheritors.ToImmutableDictionary(
                e => e.Key, e => e.Value.ToImmutableArray(), (IEqualityComparer<INamedTypeSymbol>)SymbolEqualityComparer.Default);
            var placements = PlaceOtherProjectTypes(entities.Keys, assembly, cancellationToken);
            return new Snapshot(
                entities.ToImmutableDictionary<KeyValuePair<INamedTypeSymbol, string>, INamedTypeSymbol, string>(e => e.Key, e => e.Value, SymbolEqualityComparer.Default),
                ImmutableHashSet.CreateRange<IPropertySymbol>(SymbolEqualityComparer.Default, Ignored),
                ImmutableHashSet.CreateRange<IPropertySymbol>(SymbolEqualityComparer.Default, Encrypted),
                storedInOwnRight,
                inheritorsByBase,
                placements,
                IndexByOwner(entities.Keys, assembly, storedInOwnRight, inheritorsByBase, placements),
                owners.ToImmutableDictionary(
                    e => e.Key, e => e.Value.ToImmutableArray(), (IEqualityComparer<INamedTypeSymbol>)SymbolEqualityComparer.Default));
        }

        /// <summary>
        /// A placement for each type stored in its own right when the model holds types of other projects: the same walk
        /// as <see cref="Close"/>, from the DbSets first, then from the calls, then from the configuration classes; each
        /// depth by depth from its roots in file and position order. The first root to reach a type places it, so the
        /// result does not depend on the order the compilation lists its types in.
        /// </summary>
        private ImmutableDictionary<INamedTypeSymbol, Placement> PlaceOtherProjectTypes(
            IEnumerable<INamedTypeSymbol> entities, IAssemblySymbol assembly, CancellationToken cancellationToken)
        {
            var placements = new Dictionary<INamedTypeSymbol, Placement>(SymbolEqualityComparer.Default);
            if (entities.Any(e => !CodeOrigin.IsDeclaredIn(e, assembly)))
            {
                foreach (var kind in _roots.GroupBy(r => r.Kind).OrderBy(g => g.Key))
                {
                    var roots = kind
                        .OrderBy(r => r.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
                        .ThenBy(r => r.Location.SourceSpan.Start);
                    Place(roots, placements, assembly, cancellationToken);
                }
            }

            return placements.ToImmutableDictionary(SymbolEqualityComparer.Default);
        }

        private static void Place(IEnumerable<Root> roots, Dictionary<INamedTypeSymbol, Placement> placements, IAssemblySymbol assembly, CancellationToken cancellationToken)
        {
            var expanded = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            var level = roots.Select(r => (r.Type, Root: r, Inherited: false)).ToList();
            for (var depth = 0; level.Count > 0; depth++)
            {
                var next = new List<(INamedTypeSymbol Type, Root Root, bool Inherited)>();

                // A base type joins the level of the type that inherits from it: its columns are in the same row.
                for (var i = 0; i < level.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (type, root, inherited) = level[i];
                    if (!CodeOrigin.IsTeamCode(type, assembly))
                    {
                        continue;
                    }

                    if (!inherited && !placements.ContainsKey(type))
                    {
                        placements.Add(type, new Placement(root.Location, root.Context, root.Owner, placements.Count));
                    }

                    if (!expanded.Add(type))
                    {
                        continue;
                    }

                    if (StoredBaseType(type, assembly) is { } baseType)
                    {
                        level.Add((baseType, root, true));
                    }

                    if (depth < MaxNavigationDepth)
                    {
                        next.AddRange(NavigationTargets(type, assembly).Select(target => (target, root, false)));
                    }
                }

                level = next;
            }
        }

        /// <summary>For each DbContext or configuration class, the other projects' types whose columns it reports.</summary>
        private static ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> IndexByOwner(
            IEnumerable<INamedTypeSymbol> entities,
            IAssemblySymbol assembly,
            ImmutableHashSet<INamedTypeSymbol> storedInOwnRight,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> inheritors,
            ImmutableDictionary<INamedTypeSymbol, Placement> placements)
        {
            var index = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
            foreach (var type in entities.Where(e => !CodeOrigin.IsDeclaredIn(e, assembly)).OrderBy(e => e.ToDisplayString(), StringComparer.Ordinal))
            {
                var owners = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
                foreach (var storing in StoringTypes(type, storedInOwnRight, inheritors))
                {
                    if (placements.TryGetValue(storing, out var placement) && owners.Add(placement.Owner))
                    {
                        if (!index.TryGetValue(placement.Owner, out var types))
                        {
                            index[placement.Owner] = types = new List<INamedTypeSymbol>();
                        }

                        types.Add(type);
                    }
                }
            }

            return index.ToImmutableDictionary(
                e => e.Key, e => e.Value.ToImmutableArray(), (IEqualityComparer<INamedTypeSymbol>)SymbolEqualityComparer.Default);
        }

        /// <summary>The base class whose properties are stored in the type's rows: one of the team's own, not EF Core's or object.</summary>
        private static INamedTypeSymbol? StoredBaseType(INamedTypeSymbol type, IAssemblySymbol assembly) =>
            type.BaseType is { } baseType && CodeOrigin.IsTeamCode(baseType, assembly) ? baseType.OriginalDefinition : null;

        private static IEnumerable<INamedTypeSymbol> NavigationTargets(INamedTypeSymbol type, IAssemblySymbol assembly)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property &&
                    NavigationTarget(property.Type, assembly) is { } target)
                {
                    yield return target;
                }
            }
        }

        /// <summary>
        /// A class of the team's own code (this compilation or a referenced project), or the element type of a
        /// collection of them: a navigation or owned type.
        /// </summary>
        private static INamedTypeSymbol? NavigationTarget(ITypeSymbol type, IAssemblySymbol assembly)
        {
            var candidate = PhiModel.GetElementType(type) ?? type;
            return candidate is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named &&
                   named.SpecialType == SpecialType.None && CodeOrigin.IsTeamCode(named, assembly)
                ? named.OriginalDefinition
                : null;
        }

        private sealed class Root
        {
            public Root(INamedTypeSymbol type, string context, INamedTypeSymbol owner, Location location, RootKind kind)
            {
                Type = type;
                Context = context;
                Owner = owner;
                Location = location;
                Kind = kind;
            }

            public INamedTypeSymbol Type { get; }

            public string Context { get; }

            public INamedTypeSymbol Owner { get; }

            public Location Location { get; }

            public RootKind Kind { get; }
        }
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new(
            ImmutableDictionary<INamedTypeSymbol, string>.Empty,
            ImmutableHashSet<IPropertySymbol>.Empty,
            ImmutableHashSet<IPropertySymbol>.Empty,
            ImmutableHashSet<INamedTypeSymbol>.Empty,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>.Empty,
            ImmutableDictionary<INamedTypeSymbol, Placement>.Empty,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>.Empty,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<IPropertySymbol>>.Empty);

        public Snapshot(
            ImmutableDictionary<INamedTypeSymbol, string> entities,
            ImmutableHashSet<IPropertySymbol> ignored,
            ImmutableHashSet<IPropertySymbol> encrypted,
            ImmutableHashSet<INamedTypeSymbol> storedInOwnRight,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> inheritors,
            ImmutableDictionary<INamedTypeSymbol, Placement> placements,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> otherProjectTypesByOwner,
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<IPropertySymbol>> ownedThrough)
        {
            OwnedThrough = ownedThrough;
            Entities = entities;
            Ignored = ignored;
            Encrypted = encrypted;
            StoredInOwnRight = storedInOwnRight;
            Inheritors = inheritors;
            Placements = placements;
            OtherProjectTypesByOwner = otherProjectTypesByOwner;
        }

        /// <summary>Types stored as an entity, a related or an owned type, not only as the base of one.</summary>
        public ImmutableHashSet<INamedTypeSymbol> StoredInOwnRight { get; }

        /// <summary>For each stored base type, the stored types that derive from it directly.</summary>
        public ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> Inheritors { get; }

        /// <summary>Entity, owned and related types, each with the DbContext (or configuration) that stores it.</summary>
        public ImmutableDictionary<INamedTypeSymbol, string> Entities { get; }

        public ImmutableHashSet<IPropertySymbol> Ignored { get; }

        public ImmutableHashSet<IPropertySymbol> Encrypted { get; }

        /// <summary>Where each type stored in its own right is reported on, when the model holds types of other projects.</summary>
        public ImmutableDictionary<INamedTypeSymbol, Placement> Placements { get; }

        /// <summary>See <see cref="OtherProjectTypesPlacedIn"/>.</summary>
        public ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> OtherProjectTypesByOwner { get; }

        /// <summary>For each stored value type without a key, the properties of stored types that hold it.</summary>
        public ImmutableDictionary<INamedTypeSymbol, ImmutableArray<IPropertySymbol>> OwnedThrough { get; }
    }
}
