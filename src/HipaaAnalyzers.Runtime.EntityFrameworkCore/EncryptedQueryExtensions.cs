using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>Equality search on encrypted properties through their blind indexes.</summary>
public static class EncryptedQueryExtensions
{
    /// <summary>
    /// Finds the entities whose encrypted string property equals <paramref name="value"/>. The database compares blind
    /// indexes (<c>WHERE "Ssn_bidx" = $1</c>, with the index as a parameter: it never sees the value), then each
    /// candidate is decrypted and compared, because a truncated blind index is shared by different values.
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <param name="set">The entity set.</param>
    /// <param name="property">An <c>[Encrypted(BlindIndex = true)]</c> property, for example <c>p =&gt; p.Ssn</c>.</param>
    /// <param name="value">The value to look for (normalized like the stored values, when a normalizer is configured).</param>
    /// <returns>A query; add server-side conditions with <see cref="EncryptedEqualityQuery{TEntity}.Where"/>, then run it.</returns>
    /// <exception cref="InvalidOperationException">The context does not use field encryption, or the property has no blind index.</exception>
    public static EncryptedEqualityQuery<TEntity> WhereEncryptedEquals<TEntity>(this DbSet<TEntity> set, Expression<Func<TEntity, string?>> property, string value)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(value);
        return Create(set, property, value);
    }

    /// <summary>
    /// Finds the entities whose encrypted property of any blind-indexable type (<c>string</c>, <c>byte[]</c>,
    /// <c>DateOnly</c>, <c>DateTime</c>, <c>DateTimeOffset</c>, <c>int</c>, <c>long</c>, <c>short</c>, <c>decimal</c>,
    /// <c>Guid</c>, or their nullable forms) equals <paramref name="value"/>:
    /// <c>db.Patients.WhereEncryptedEquals(p =&gt; p.DateOfBirth, new DateOnly(1984, 3, 9))</c>. The value is encoded
    /// and indexed as the stored values are, the database compares blind indexes, and each candidate's decrypted value is
    /// compared with the type's own equality (what <c>==</c> says: a <see cref="DateTime"/> of another
    /// <see cref="DateTime.Kind"/> with the same ticks, a <see cref="DateTimeOffset"/> of the same instant in another
    /// offset, and 12.50m for 12.5m all match; <c>byte[]</c> values match byte for byte).
    /// </summary>
    /// <typeparam name="TEntity">The entity type.</typeparam>
    /// <typeparam name="TValue">The property's type.</typeparam>
    /// <param name="set">The entity set.</param>
    /// <param name="property">An <c>[Encrypted(BlindIndex = true)]</c> property, for example <c>p =&gt; p.DateOfBirth</c>.</param>
    /// <param name="value">The value to look for; not <see langword="null"/>.</param>
    /// <returns>A query; add server-side conditions with <see cref="EncryptedEqualityQuery{TEntity}.Where"/>, then run it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>: rows whose value is null have no blind index.</exception>
    /// <exception cref="ArgumentException">The value is not of the property's type.</exception>
    /// <exception cref="InvalidOperationException">The context does not use field encryption, or the property has no blind index.</exception>
    public static EncryptedEqualityQuery<TEntity> WhereEncryptedEquals<TEntity, TValue>(this DbSet<TEntity> set, Expression<Func<TEntity, TValue>> property, TValue value)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(property);
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), "Search for a non-null value: a row whose encrypted value is null has no ciphertext and no blind index.");
        }

        return Create(set, property, value);
    }

    private static EncryptedEqualityQuery<TEntity> Create<TEntity>(DbSet<TEntity> set, LambdaExpression property, object value)
        where TEntity : class
    {
        string name = FieldEncryptionOptions.PropertyName(property);
        DbContext context = set.GetService<ICurrentDbContext>().Context;
        FieldEncryptionInterceptor interceptor = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?
            .OfType<FieldEncryptionInterceptor>().FirstOrDefault()
            ?? throw new InvalidOperationException($"The context {context.GetType().Name} does not use field encryption: call UseFieldEncryption(...) when configuring it.");
        IEntityType entityType = context.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not an entity type of {context.GetType().Name}.");
        EncryptedMember member = interceptor.GetPlan(entityType)?.Members.FirstOrDefault(m => m.Clr.Name == name)
            ?? throw new InvalidOperationException($"{entityType.DisplayName()}.{name} is not an [Encrypted] property.");
        if (member.BlindIndex is null || member.BlindIndexColumn is null)
        {
            throw new InvalidOperationException(
                $"{member.DisplayName} has no blind index, so it cannot be searched. Mark it [Encrypted(BlindIndex = true)] and fill the index of existing rows.");
        }

        Type valueType = Nullable.GetUnderlyingType(member.Clr.PropertyType) ?? member.Clr.PropertyType;
        if (!valueType.IsInstanceOfType(value))
        {
            throw new ArgumentException(
                $"{member.DisplayName} is of type {EncryptedValueCodec.Describe(member.Clr.PropertyType)}; the searched value is of type {EncryptedValueCodec.Describe(value.GetType())}.",
                nameof(value));
        }

        // The index under every blind index key of the ring (active first), so rows written before a blind index key
        // rotation are still found while their indexes are recomputed.
        IReadOnlyList<byte[]> indexes = member.ComputeIndexForAllKeys(value);
        ParameterExpression entity = Expression.Parameter(typeof(TEntity), "e");
        Expression stored = Expression.Call(
            typeof(EF), nameof(EF.Property), new[] { typeof(byte[]) }, entity, Expression.Constant(member.BlindIndex.Name));
        Expression? predicate = null;
        foreach (byte[] index in indexes)
        {
            // A member of a closure object, so EF Core sends the index as a parameter rather than inlining it.
            var holder = new IndexParameter(index);
            Expression equal = Expression.Equal(stored, Expression.Field(Expression.Constant(holder), nameof(IndexParameter.Value)));
            predicate = predicate is null ? equal : Expression.OrElse(predicate, equal);
        }

        IQueryable<TEntity> candidates = set.Where(Expression.Lambda<Func<TEntity, bool>>(predicate!, entity));
        return new EncryptedEqualityQuery<TEntity>(candidates, member, member.SearchForm(member.Codec.Snapshot(value)));
    }

    private sealed class IndexParameter
    {
        public readonly byte[] Value;

        public IndexParameter(byte[] value) => Value = value;
    }
}

/// <summary>
/// An equality search on an encrypted property, from
/// <see cref="EncryptedQueryExtensions.WhereEncryptedEquals{TEntity}"/> or
/// <see cref="EncryptedQueryExtensions.WhereEncryptedEquals{TEntity, TValue}"/>: the blind-index query the database runs,
/// and the check of each candidate's decrypted value that removes the rows whose index merely collides.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
public sealed class EncryptedEqualityQuery<TEntity> : IAsyncEnumerable<TEntity>
    where TEntity : class
{
    private readonly EncryptedMember _member;
    private readonly object _expected;

    internal EncryptedEqualityQuery(IQueryable<TEntity> candidates, EncryptedMember member, object normalizedValue)
    {
        Candidates = candidates;
        _member = member;
        _expected = normalizedValue;
    }

    /// <summary>
    /// Gets the server-side part: the rows whose blind index matches. It may include rows with other values (index
    /// collisions); enumerate this object, not the candidates, to get only the matches.
    /// </summary>
    public IQueryable<TEntity> Candidates { get; }

    /// <summary>Adds a condition the database evaluates together with the blind index comparison.</summary>
    /// <param name="predicate">The condition.</param>
    /// <returns>A new query.</returns>
    public EncryptedEqualityQuery<TEntity> Where(Expression<Func<TEntity, bool>> predicate) =>
        new(Candidates.Where(predicate), _member, _expected);

    /// <summary>Reads the results without tracking them.</summary>
    /// <returns>A new query.</returns>
    public EncryptedEqualityQuery<TEntity> AsNoTracking() => new(Candidates.AsNoTracking(), _member, _expected);

    /// <summary>Runs the query and returns the entities whose decrypted value equals the searched value.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The matches.</returns>
    public async Task<List<TEntity>> ToListAsync(CancellationToken cancellationToken = default)
    {
        var matches = new List<TEntity>();
        await foreach (TEntity entity in this.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            matches.Add(entity);
        }

        return matches;
    }

    /// <summary>Runs the query and returns the entities whose decrypted value equals the searched value.</summary>
    /// <returns>The matches.</returns>
    public List<TEntity> ToList() => Candidates.AsEnumerable().Where(IsMatch).ToList();

    /// <inheritdoc />
    public async IAsyncEnumerator<TEntity> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (TEntity entity in Candidates.AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (IsMatch(entity))
            {
                yield return entity;
            }
        }
    }

    /// <summary>Describes the search without the value.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "Encrypted equality search on " + _member.DisplayName;

    private bool IsMatch(TEntity entity) =>
        // The materialization interceptor decrypted the value already: compare it, normalized like the index.
        _member.Matches(_member.GetValue(entity), _expected);
}
