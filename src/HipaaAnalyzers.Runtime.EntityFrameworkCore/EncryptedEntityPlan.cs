using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>What the interceptor needs to know about one entity type: its table, its key and its encrypted properties.</summary>
internal sealed class EncryptedEntityPlan
{
    private EncryptedEntityPlan(IEntityType entityType, string table, IReadOnlyList<IProperty> keyProperties, EncryptedMember[] members)
    {
        EntityType = entityType;
        Table = table;
        KeyProperties = keyProperties;
        Members = members;
    }

    public IEntityType EntityType { get; }

    /// <summary>The table name as it goes into the encryption context: <c>schema.table</c>, or <c>table</c> without a schema.</summary>
    public string Table { get; }

    public IReadOnlyList<IProperty> KeyProperties { get; }

    public EncryptedMember[] Members { get; }

    public static EncryptedEntityPlan? Create(IEntityType entityType, BlindIndexer? blindIndexer, FieldEncryptionOptions options)
    {
        var members = new List<EncryptedMember>();
        string? tableName = entityType.GetTableName();
        string? schema = entityType.GetSchema();
        foreach (IProperty ciphertext in entityType.GetProperties())
        {
            if (ciphertext.FindAnnotation(EncryptedPropertyConvention.EncryptedPropertyAnnotation)?.Value is not string name)
            {
                continue;
            }

            if (tableName is null)
            {
                throw new InvalidOperationException($"The entity type {entityType.DisplayName()} has [Encrypted] properties but is not mapped to a table.");
            }

            PropertyInfo clr = entityType.ClrType.GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"The entity type {entityType.DisplayName()} has no property {name}.");
            var store = StoreObjectIdentifier.Table(tableName, schema);
            string column = ciphertext.GetColumnName(store) ?? ciphertext.Name;

            IProperty? index = entityType.FindProperty(name + EncryptedPropertyConvention.BlindIndexSuffix);
            BlindIndexColumn? indexColumn = null;
            Func<string, string>? normalizer = null;
            if (index?.FindAnnotation(EncryptedPropertyConvention.BlindIndexBitsAnnotation)?.Value is int bits)
            {
                if (blindIndexer is null)
                {
                    throw new InvalidOperationException(
                        $"The property {entityType.DisplayName()}.{name} has a blind index, but the FieldEncryptionInterceptor was created without a BlindIndexer. " +
                        "Pass one (services.AddHipaaBlindIndexes() registers it).");
                }

                BlindIndexDefinition definition = options.CreateDefinition(entityType.ClrType, name, bits);
                normalizer = definition.Normalizer;
                indexColumn = blindIndexer.ForColumn(Qualified(tableName, schema), column, definition);
            }
            else
            {
                index = null;
            }

            EncryptedValueCodec codec = EncryptedValueCodec.For(clr.PropertyType)
                ?? throw new InvalidOperationException(EncryptedPropertyConvention.UnsupportedTypeMessage(entityType.DisplayName() + "." + name, clr.PropertyType));
            members.Add(new EncryptedMember(entityType.DisplayName() + "." + name, clr, codec, ciphertext, column, index, indexColumn, normalizer));
        }

        if (members.Count == 0)
        {
            return null;
        }

        IKey key = entityType.FindPrimaryKey()
            ?? throw new InvalidOperationException($"The entity type {entityType.DisplayName()} has [Encrypted] properties but no primary key.");

        // The model convention checks this when the model is built; a compiled model is built without conventions.
        foreach (IProperty keyProperty in key.Properties)
        {
            if (EncryptedPropertyConvention.IsGeneratedByDatabase(keyProperty))
            {
                throw new InvalidOperationException(EncryptedPropertyConvention.DatabaseGeneratedKeyMessage(
                    entityType.GetRootType(), keyProperty, members.ConvertAll(m => m.Clr.Name)));
            }
        }
        return new EncryptedEntityPlan(entityType, Qualified(tableName!, schema), key.Properties, members.ToArray());
    }

    /// <summary>
    /// The context of one value: <c>(table, column, key part for each key column)</c>, followed for every type but
    /// <see cref="string"/> by the type part <c>type:&lt;name&gt;</c> of the value's encoding. Strings have no type part,
    /// so their contexts are the ones used before other types were supported.
    /// </summary>
    public EncryptionContext CreateContext(EncryptedMember member, IReadOnlyList<object?> keyValues)
    {
        string? typePart = member.Codec.ContextPart;
        if (keyValues.Count == 1 && typePart is null)
        {
            return EncryptionContext.ForField(Table, member.Column, FormatKey(keyValues[0]));
        }

        var parts = new string[keyValues.Count + 2 + (typePart is null ? 0 : 1)];
        parts[0] = Table;
        parts[1] = member.Column;
        for (int i = 0; i < keyValues.Count; i++)
        {
            parts[i + 2] = FormatKey(keyValues[i]);
        }

        if (typePart is not null)
        {
            parts[^1] = typePart;
        }

        return EncryptionContext.FromParts(parts);
    }

    /// <summary>How a key value becomes a context part: the same text everywhere (interceptor, rotation job).</summary>
    internal static string FormatKey(object? value) => value switch
    {
        null => throw new InvalidOperationException("A key value is null; an encrypted value cannot be bound to its row."),
        string text => text,
        Guid guid => guid.ToString("D", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Qualified(string table, string? schema) => schema is null ? table : schema + "." + table;
}

/// <summary>One encrypted property: the CLR property with the plaintext and the shadow properties with the ciphertext and blind index.</summary>
internal sealed class EncryptedMember
{
    public EncryptedMember(
        string displayName,
        PropertyInfo clr,
        EncryptedValueCodec codec,
        IProperty ciphertext,
        string column,
        IProperty? blindIndex,
        BlindIndexColumn? blindIndexColumn,
        Func<string, string>? normalizer)
    {
        DisplayName = displayName;
        Clr = clr;
        Codec = codec;
        Ciphertext = ciphertext;
        Column = column;
        BlindIndex = blindIndex;
        BlindIndexColumn = blindIndexColumn;
        Normalizer = normalizer;
    }

    /// <summary>For messages: <c>Patient.Ssn</c>.</summary>
    public string DisplayName { get; }

    public PropertyInfo Clr { get; }

    /// <summary>The plaintext encoding of the property's type.</summary>
    public EncryptedValueCodec Codec { get; }

    public IProperty Ciphertext { get; }

    /// <summary>The ciphertext column name, which goes into the encryption context.</summary>
    public string Column { get; }

    public IProperty? BlindIndex { get; }

    public BlindIndexColumn? BlindIndexColumn { get; }

    /// <summary>The blind index normalizer of a string property, applied to both sides when search results are verified.</summary>
    public Func<string, string>? Normalizer { get; }

    public object? GetValue(object entity) => Clr.GetValue(entity);

    public void SetValue(object entity, object? value) => Clr.SetValue(entity, value);

    /// <summary>The blind index of a non-null value under the active blind index key.</summary>
    public byte[] ComputeIndex(object value)
    {
        if (value is string text)
        {
            return BlindIndexColumn!.Compute(text);   // normalized by the column's definition
        }

        byte[] input = Codec.EncodeForIndex(value);
        try
        {
            return BlindIndexColumn!.Compute(input);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>The blind index of a non-null value under every blind index key of the ring, the active one first.</summary>
    public IReadOnlyList<byte[]> ComputeIndexForAllKeys(object value)
    {
        if (value is string text)
        {
            return BlindIndexColumn!.ComputeForAllKeys(text);
        }

        byte[] input = Codec.EncodeForIndex(value);
        try
        {
            return BlindIndexColumn!.ComputeForAllKeys(input);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>The form a searched value is compared in: normalized for a string property with a normalizer, else the value.</summary>
    public object SearchForm(object value) => value is string text && Normalizer is not null ? Normalizer(text) : value;

    /// <summary>Whether a decrypted value matches a searched value in its <see cref="SearchForm(object)"/>.</summary>
    public bool Matches(object? stored, object searchForm) =>
        stored is not null && Codec.SearchEquals(SearchForm(stored), searchForm);
}
