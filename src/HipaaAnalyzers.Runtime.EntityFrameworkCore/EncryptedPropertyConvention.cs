using System;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>
/// The model convention behind <c>UseFieldEncryption</c>. For every string property marked
/// <see cref="EncryptedAttribute"/> of an entity type it
/// <list type="bullet">
/// <item>leaves the property itself unmapped (the plaintext never has a column),</item>
/// <item>adds a shadow property <c>{Property}_ciphertext</c> of type <c>byte[]</c> (PostgreSQL <c>bytea</c>) for the
/// ciphertext, required when the property is a non-nullable reference,</item>
/// <item>and, with <see cref="EncryptedAttribute.BlindIndex"/>, a shadow property <c>{Property}_bidx</c>
/// (<c>bytea</c>, indexed) for the blind index.</item>
/// </list>
/// The shadow properties carry annotations naming the property they store, which the
/// <see cref="FieldEncryptionInterceptor"/> reads.
/// </summary>
public sealed class EncryptedPropertyConvention : IEntityTypeAddedConvention, IModelFinalizingConvention
{
    /// <summary>The suffix of the shadow property (and default column name) that holds the ciphertext.</summary>
    public const string CiphertextSuffix = "_ciphertext";

    /// <summary>The suffix of the shadow property (and default column name) that holds the blind index.</summary>
    public const string BlindIndexSuffix = "_bidx";

    /// <summary>The annotation on a ciphertext shadow property that names the encrypted CLR property.</summary>
    public const string EncryptedPropertyAnnotation = "HipaaAnalyzers:EncryptedProperty";

    /// <summary>The annotation on a blind index shadow property that names the indexed CLR property.</summary>
    public const string BlindIndexPropertyAnnotation = "HipaaAnalyzers:BlindIndexProperty";

    /// <summary>The annotation on a blind index shadow property that gives the index length in bits.</summary>
    public const string BlindIndexBitsAnnotation = "HipaaAnalyzers:BlindIndexBits";

    private readonly NullabilityInfoContext _nullability = new();

    /// <inheritdoc />
    public void ProcessEntityTypeAdded(IConventionEntityTypeBuilder entityTypeBuilder, IConventionContext<IConventionEntityTypeBuilder> context)
    {
        IConventionEntityType entityType = entityTypeBuilder.Metadata;
        if (entityType.HasSharedClrType || entityType.IsOwned())
        {
            return;
        }

        foreach (PropertyInfo property in EncryptedProperties(entityType.ClrType))
        {
            EncryptedAttribute attribute = property.GetCustomAttribute<EncryptedAttribute>(inherit: true)!;
            if (property.PropertyType != typeof(string))
            {
                // Reported when the model is finalized, with the names.
                continue;
            }

            if (entityTypeBuilder.Ignore(property.Name, fromDataAnnotation: true) is null)
            {
                continue;
            }

            IConventionPropertyBuilder? ciphertext = entityTypeBuilder.Property(typeof(byte[]), property.Name + CiphertextSuffix, fromDataAnnotation: true);
            if (ciphertext is null)
            {
                continue;
            }

            ciphertext.HasAnnotation(EncryptedPropertyAnnotation, property.Name, fromDataAnnotation: true);
            bool required = IsNonNullable(property);
            ciphertext.IsRequired(required, fromDataAnnotation: true);

            if (attribute.BlindIndex)
            {
                IConventionPropertyBuilder? index = entityTypeBuilder.Property(typeof(byte[]), property.Name + BlindIndexSuffix, fromDataAnnotation: true);
                if (index is null)
                {
                    continue;
                }

                index.HasAnnotation(BlindIndexPropertyAnnotation, property.Name, fromDataAnnotation: true);
                index.HasAnnotation(BlindIndexBitsAnnotation, attribute.BlindIndexBits, fromDataAnnotation: true);
                index.IsRequired(required, fromDataAnnotation: true);
                entityTypeBuilder.HasIndex(new[] { index.Metadata }, fromDataAnnotation: true);
            }
        }
    }

    /// <inheritdoc />
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        foreach (IConventionEntityType entityType in modelBuilder.Metadata.GetEntityTypes())
        {
            if (entityType.HasSharedClrType || entityType.IsOwned())
            {
                continue;
            }

            foreach (PropertyInfo property in EncryptedProperties(entityType.ClrType))
            {
                string where = entityType.DisplayName() + "." + property.Name;
                if (property.PropertyType != typeof(string))
                {
                    throw new InvalidOperationException(
                        $"The [Encrypted] property {where} is of type {property.PropertyType.Name}; the Entity Framework Core integration encrypts string properties. " +
                        "Store the value as a string (for example a date in ISO 8601), or encrypt it with FieldEncryptor yourself.");
                }

                if (entityType.FindDeclaredProperty(property.Name) is not null)
                {
                    throw new InvalidOperationException(
                        $"The [Encrypted] property {where} is also mapped explicitly (for example with Property(...) in OnModelCreating), which would store it in plain text. " +
                        $"Remove that mapping: its ciphertext is stored in the shadow property {property.Name}{CiphertextSuffix}.");
                }

                EncryptedAttribute attribute = property.GetCustomAttribute<EncryptedAttribute>(inherit: true)!;
                if (attribute.BlindIndex && attribute.BlindIndexBits is < 1 or > BlindIndexDefinition.MaximumBits)
                {
                    throw new InvalidOperationException(
                        $"The [Encrypted] property {where} asks for a blind index of {attribute.BlindIndexBits} bits; the length must be 1 to {BlindIndexDefinition.MaximumBits}.");
                }
            }

            IConventionKey? key = entityType.FindPrimaryKey();
            bool hasEncrypted = false;
            foreach (IConventionProperty property in entityType.GetDeclaredProperties())
            {
                hasEncrypted |= property.FindAnnotation(EncryptedPropertyAnnotation) is not null;
            }

            if (hasEncrypted && key is null)
            {
                throw new InvalidOperationException(
                    $"The entity type {entityType.DisplayName()} has [Encrypted] properties but no primary key; their ciphertexts are bound to the row key.");
            }
        }
    }

    internal static IEnumerable<PropertyInfo> EncryptedProperties(Type clrType)
    {
        foreach (PropertyInfo property in clrType.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.IsDefined(typeof(EncryptedAttribute), inherit: true))
            {
                yield return property;
            }
        }
    }

    private bool IsNonNullable(PropertyInfo property)
    {
        lock (_nullability)
        {
            return _nullability.Create(property).WriteState == NullabilityState.NotNull;
        }
    }
}
