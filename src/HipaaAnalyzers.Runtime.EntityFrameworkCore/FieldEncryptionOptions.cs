using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Reflection;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>Options of <see cref="FieldEncryptionInterceptor"/>: blind index normalization and planning inputs per property.</summary>
public sealed class FieldEncryptionOptions
{
    private readonly Dictionary<(Type Entity, string Property), BlindIndexSettings> _blindIndexes = new();

    /// <summary>
    /// Configures the blind index of an <c>[Encrypted(BlindIndex = true)]</c> property: how values are normalized
    /// before indexing (the same at write and at search time), and the inputs of <see cref="BlindIndexPlanner"/>,
    /// which logs a warning when the length in the attribute is unsafe or useless for them.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <param name="property">The property, for example <c>p =&gt; p.Ssn</c>.</param>
    /// <param name="normalizer">Maps equal values in different spellings to one form, for example digits only for an SSN.</param>
    /// <param name="domainSize">The number of distinct values the property can hold, for the planner.</param>
    /// <param name="expectedRows">The number of rows expected in the table, for the planner.</param>
    /// <returns>These options.</returns>
    public FieldEncryptionOptions ConfigureBlindIndex<TEntity>(
        Expression<Func<TEntity, string?>> property,
        Func<string, string>? normalizer = null,
        double? domainSize = null,
        long? expectedRows = null)
    {
        ArgumentNullException.ThrowIfNull(property);
        _blindIndexes[(typeof(TEntity), PropertyName(property))] = new BlindIndexSettings(normalizer, domainSize, expectedRows);
        return this;
    }

    /// <summary>
    /// Configures the planner inputs of the blind index of an <c>[Encrypted(BlindIndex = true)]</c> property of any
    /// type, for example a date of birth: <c>ConfigureBlindIndex&lt;Patient, DateOnly&gt;(p =&gt; p.DateOfBirth,
    /// domainSize: 36_525, expectedRows: 2_000_000)</c>. <see cref="BlindIndexPlanner"/> logs a warning when the length in
    /// the attribute is unsafe or useless for them. Values of types other than <see cref="string"/> are not normalized:
    /// equal values (as the type's <c>==</c> says) always have equal indexes.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TValue">The property's type.</typeparam>
    /// <param name="property">The property, for example <c>p =&gt; p.DateOfBirth</c>.</param>
    /// <param name="domainSize">The number of distinct values the property can hold, for the planner.</param>
    /// <param name="expectedRows">The number of rows expected in the table, for the planner.</param>
    /// <returns>These options.</returns>
    public FieldEncryptionOptions ConfigureBlindIndex<TEntity, TValue>(
        Expression<Func<TEntity, TValue>> property,
        double? domainSize = null,
        long? expectedRows = null)
    {
        ArgumentNullException.ThrowIfNull(property);
        _blindIndexes[(typeof(TEntity), PropertyName(property))] = new BlindIndexSettings(null, domainSize, expectedRows);
        return this;
    }

    internal BlindIndexDefinition CreateDefinition(Type entityType, string property, int bits)
    {
        var definition = new BlindIndexDefinition(bits);
        for (Type? type = entityType; type is not null; type = type.BaseType)
        {
            if (_blindIndexes.TryGetValue((type, property), out BlindIndexSettings? settings))
            {
                definition.Normalizer = settings.Normalizer;
                definition.DomainSize = settings.DomainSize;
                definition.ExpectedRows = settings.ExpectedRows;
                break;
            }
        }

        return definition;
    }

    internal static string PropertyName(LambdaExpression property)
    {
        Expression body = property.Body;
        if (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            body = convert.Operand;
        }

        if (body is MemberExpression { Member: PropertyInfo info } member && member.Expression == property.Parameters[0])
        {
            return info.Name;
        }

        throw new ArgumentException("The expression must be a property of the entity, for example p => p.Ssn.", nameof(property));
    }

    private sealed record BlindIndexSettings(Func<string, string>? Normalizer, double? DomainSize, long? ExpectedRows);
}
