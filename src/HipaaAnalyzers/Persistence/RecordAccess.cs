using System.Collections.Immutable;
using System;
using System.Collections.Generic;
using System.Linq;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Persistence;

/// <summary>
/// Code that loads, changes or deletes the records of an Entity Framework Core <c>DbSet&lt;T&gt;</c> (or
/// <c>Set&lt;T&gt;()</c>): <c>_context.Patients.FindAsync(id)</c>, <c>.Where(...).ToListAsync()</c>, <c>foreach</c> over a
/// query, <c>_context.Patients.Remove(patient)</c>, <c>.ExecuteDeleteAsync()</c>. Counting (<c>CountAsync</c>,
/// <c>AnyAsync</c>, <c>SumAsync</c> ...) reads nobody's record and is not an access.
/// </summary>
/// <remarks>
/// Read from one operation at a time by the handler walker (<c>AuditModel</c>), which caches what it finds per method
/// body. Whether the records hold PHI is left to the PHI model, under the options of the code that asks.
/// </remarks>
internal sealed class RecordAccess
{
    /// <summary>Calls of query operators followed from a materializing call back to the DbSet.</summary>
    private const int MaxChain = 16;

    /// <summary>Calls that run a query and hand back its rows.</summary>
    private static readonly HashSet<string> Materializers = new(StringComparer.Ordinal)
    {
        "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault",
        "FirstAsync", "FirstOrDefaultAsync", "SingleAsync", "SingleOrDefaultAsync", "LastAsync", "LastOrDefaultAsync",
        "ElementAt", "ElementAtOrDefault",
        "ToList", "ToListAsync", "ToArray", "ToArrayAsync", "ToDictionary", "ToDictionaryAsync", "ToHashSet", "ToHashSetAsync",
        "ToLookup", "AsEnumerable", "AsAsyncEnumerable", "ForEachAsync", "Load", "LoadAsync",
    };

    /// <summary>Calls that change or delete the rows a query selects, without loading them.</summary>
    private static readonly HashSet<string> BulkWrites = new(StringComparer.Ordinal)
    {
        "ExecuteUpdate", "ExecuteUpdateAsync", "ExecuteDelete", "ExecuteDeleteAsync",
    };

    /// <summary>Methods of <c>DbSet&lt;T&gt;</c> and <c>DbContext</c> that start tracking an entity to save it.</summary>
    private static readonly HashSet<string> EntityWrites = new(StringComparer.Ordinal)
    {
        "Add", "AddAsync", "AddRange", "AddRangeAsync", "Update", "UpdateRange", "Remove", "RemoveRange", "Attach", "AttachRange",
    };

    private RecordAccess(
        INamedTypeSymbol entity, ITypeSymbol shape, IMemberReferenceOperation? selected, bool writes, string how,
        ImmutableArray<ISymbol> includes = default)
    {
        Includes = includes.IsDefault ? ImmutableArray<ISymbol>.Empty : includes;
        Entity = entity;
        Shape = shape;
        Selected = selected?.Member;
        SelectedFrom = selected?.Instance?.Type;
        Writes = writes;
        How = how;
    }

    /// <summary>The entity type of the DbSet: <c>Patient</c> for <c>_context.Patients</c>.</summary>
    public INamedTypeSymbol Entity { get; }

    /// <summary>
    /// What the code gets from each record: the entity itself, or what a <c>Select</c> makes of it
    /// (<c>new { p.Id, p.CreatedAt }</c>, <c>PatientListItem</c>, <c>string</c> for <c>p =&gt; p.Email</c>).
    /// </summary>
    public ITypeSymbol Shape { get; }

    /// <summary>The member a <c>Select</c> picks as each row (<c>p =&gt; p.Email</c>), when it picks one member.</summary>
    public ISymbol? Selected { get; }

    /// <summary>The type <see cref="Selected"/> is read from (the lambda parameter's type).</summary>
    public ITypeSymbol? SelectedFrom { get; }

    /// <summary>Adds, updates, removes or attaches records, or updates or deletes them in bulk.</summary>
    public bool Writes { get; }

    /// <summary>
    /// The navigations the query loads with the rows (<c>.Include(a =&gt; a.Patient)</c>, <c>.ThenInclude(...)</c>): a
    /// loaded entity holds its own columns and these, not every navigation its type declares.
    /// </summary>
    public ImmutableArray<ISymbol> Includes { get; }

    /// <summary>The call that reads or writes: "FindAsync", "ToListAsync", "Remove", "foreach".</summary>
    public string How { get; }

    /// <summary>The records a call reads or changes, or null when it does neither (or only counts them).</summary>
    public static RecordAccess? Of(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = method.Name;
        if (invocation.SemanticModel?.Compilation is not { } compilation)
        {
            return null;
        }

        bool materializes = Materializers.Contains(name);
        bool bulk = !materializes && BulkWrites.Contains(name);
        bool find = name is "Find" or "FindAsync";
        bool write = !materializes && !bulk && !find && EntityWrites.Contains(name);
        if (!materializes && !bulk && !find && !write)
        {
            return null;
        }

        if (materializes || bulk)
        {
            if (!IsQueryOperator(method) || QuerySource(invocation) is not { } source)
            {
                return null;
            }

            return FromQuery(compilation, source, bulk, name);
        }

        var instance = Unwrap(invocation.Instance);
        if (DbSetEntity(compilation, instance?.Type) is { } entity)
        {
            return new RecordAccess(entity, entity, null, write, name);
        }

        // context.Find<Patient>(id), context.Remove(patient), context.Update(appointment).
        if (method.ContainingType is { } containing && !CodeOrigin.IsTeamCode(method, compilation) &&
            TypeNames.DerivesFrom(containing, "Microsoft.EntityFrameworkCore", "DbContext"))
        {
            var target = method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null;
            if (target is null && write && invocation.Arguments.Length > 0)
            {
                target = Unwrap(invocation.Arguments[0].Value)?.Type;
            }

            if (EntityType(compilation, target) is { } stored)
            {
                return new RecordAccess(stored, stored, null, write, name);
            }
        }

        return null;
    }

    /// <summary>The records a <c>foreach</c> (or <c>await foreach</c>) over a query loads, or null.</summary>
    public static RecordAccess? Of(IForEachLoopOperation loop) =>
        loop.SemanticModel?.Compilation is { } compilation ? FromQuery(compilation, loop.Collection, writes: false, "foreach") : null;

    /// <summary>A query rooted at a DbSet, materialized: the DbSet's entity and the shape of each row.</summary>
    private static RecordAccess? FromQuery(Compilation compilation, IOperation query, bool writes, string how)
    {
        var shapeType = ElementType(Unwrap(query)?.Type);
        var includes = ImmutableArray.CreateBuilder<ISymbol>();
        IMemberReferenceOperation? selected = null;
        bool projected = false;
        IOperation? current = query;
        for (int step = 0; step < MaxChain && current is not null; step++)
        {
            current = Unwrap(current);
            if (current is null)
            {
                return null;
            }

            if (DbSetEntity(compilation, current.Type) is { } entity)
            {
                // A bulk update or delete touches the records themselves, whatever the query selects.
                var shape = writes || shapeType is null ? entity : shapeType;
                return new RecordAccess(entity, shape, writes ? null : selected, writes, how, includes.ToImmutable());
            }

            switch (current)
            {
                case IInvocationOperation call when IsQueryOperator(call.TargetMethod):
                    // The Select nearest the materializing call decides what each row becomes.
                    if (!projected && call.TargetMethod.Name == "Select")
                    {
                        projected = true;
                        selected = SelectedMember(call);
                    }
                    else if (call.TargetMethod.Name is "Include" or "ThenInclude" && SelectedMember(call) is { } included)
                    {
                        includes.Add(included.Member);
                    }

                    current = QuerySource(call);
                    break;
                case ILocalReferenceOperation local:
                    // var query = _context.Patients.Where(...); ... query.ToListAsync(): the local's first value.
                    current = LocalAssignments.For(local).ValuesOf(local.Local).FirstOrDefault();
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>A LINQ or EF Core query operator: an extension method of System.Linq or Microsoft.EntityFrameworkCore.</summary>
    private static bool IsQueryOperator(IMethodSymbol method) =>
        method.IsExtensionMethod && method.ContainingType is { } type &&
        (TypeNames.IsInNamespace(type.ContainingNamespace, "System.Linq") ||
         TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.EntityFrameworkCore"));

    /// <summary>The query an extension method is called on: its receiver, or its first argument when called as a static method.</summary>
    private static IOperation? QuerySource(IInvocationOperation call) =>
        call.Instance ?? (call.Arguments.Length > 0 ? call.Arguments[0].Value : null);

    /// <summary>The member a projection picks as each row: <c>p =&gt; p.Email</c>.</summary>
    private static IMemberReferenceOperation? SelectedMember(IInvocationOperation select)
    {
        foreach (var argument in select.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation)
            {
                value = value switch
                {
                    IConversionOperation conversion => conversion.Operand,
                    IDelegateCreationOperation creation => creation.Target,
                    _ => ((IParenthesizedOperation)value).Operand,
                };
            }

            if (value is IAnonymousFunctionOperation lambda &&
                lambda.Body.Operations.FirstOrDefault() is IReturnOperation { ReturnedValue: { } returned } &&
                Unwrap(returned) is IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } member)
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>T of <c>Microsoft.EntityFrameworkCore.DbSet&lt;T&gt;</c> when T is an entity of this compilation.</summary>
    private static INamedTypeSymbol? DbSetEntity(Compilation compilation, ITypeSymbol? type)
    {
        for (var t = type as INamedTypeSymbol; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (t is { Name: "DbSet", TypeArguments.Length: 1 } && TypeNames.IsInOrUnderNamespace(t.ContainingNamespace, "Microsoft.EntityFrameworkCore"))
            {
                return EntityType(compilation, t.TypeArguments[0]);
            }
        }

        return null;
    }

    private static INamedTypeSymbol? EntityType(Compilation compilation, ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } named &&
        CodeOrigin.IsTeamCode(named, compilation)
            ? named
            : null;

    /// <summary>T of a query, a collection or an async stream of T.</summary>
    private static ITypeSymbol? ElementType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        if (PhiModel.GetElementType(type) is { } element)
        {
            return element;
        }

        if (type is INamedTypeSymbol named)
        {
            foreach (var candidate in new[] { named }.Concat(named.AllInterfaces))
            {
                if (candidate is { Name: "IAsyncEnumerable", TypeArguments.Length: 1 } &&
                    TypeNames.IsInNamespace(candidate.ContainingNamespace, "System.Collections.Generic"))
                {
                    return candidate.TypeArguments[0];
                }
            }
        }

        return null;
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }
}
