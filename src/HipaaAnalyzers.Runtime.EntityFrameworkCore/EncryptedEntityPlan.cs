using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
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

            members.Add(new EncryptedMember(entityType.DisplayName() + "." + name, clr, ciphertext, column, index, indexColumn, normalizer));
        }

        if (members.Count == 0)
        {
            return null;
        }

        IKey key = entityType.FindPrimaryKey()
            ?? throw new InvalidOperationException($"The entity type {entityType.DisplayName()} has [Encrypted] properties but no primary key.");
        return new EncryptedEntityPlan(entityType, Qualified(tableName!, schema), key.Properties, members.ToArray());
    }

    public EncryptionContext CreateContext(EncryptedMember member, IReadOnlyList<object?> keyValues)
    {
        if (keyValues.Count == 1)
        {
            return EncryptionContext.ForField(Table, member.Column, FormatKey(keyValues[0]));
        }

        var parts = new string[keyValues.Count + 2];
        parts[0] = Table;
        parts[1] = member.Column;
        for (int i = 0; i < keyValues.Count; i++)
        {
            parts[i + 2] = FormatKey(keyValues[i]);
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
    public EncryptedMember(string displayName, PropertyInfo clr, IProperty ciphertext, string column, IProperty? blindIndex, BlindIndexColumn? blindIndexColumn, Func<string, string>? normalizer)
    {
        Normalizer = normalizer;
        DisplayName = displayName;
        Clr = clr;
        Ciphertext = ciphertext;
        Column = column;
        BlindIndex = blindIndex;
        BlindIndexColumn = blindIndexColumn;
    }

    /// <summary>For messages: <c>Patient.Ssn</c>.</summary>
    public string DisplayName { get; }

    public PropertyInfo Clr { get; }

    public IProperty Ciphertext { get; }

    /// <summary>The ciphertext column name, which goes into the encryption context.</summary>
    public string Column { get; }

    public IProperty? BlindIndex { get; }

    public BlindIndexColumn? BlindIndexColumn { get; }

    /// <summary>The blind index normalizer, applied to both sides when search results are verified.</summary>
    public Func<string, string>? Normalizer { get; }

    public string? GetValue(object entity) => (string?)Clr.GetValue(entity);

    public void SetValue(object entity, string? value) => Clr.SetValue(entity, value);
}
