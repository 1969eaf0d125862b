using System;
using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Persistence;

/// <summary>
/// Key material kept in an EF Core database: entities named as a key or secret store (<c>MasterKey</c>,
/// <c>EncryptionKey</c>, <c>KeyRing</c>, <c>KeyMaterial</c>, <c>SecretStore</c>), and values read from a DbContext
/// (<c>db.MasterKeys.Single().Material</c>, <c>db.Set&lt;KeyMaterial&gt;()</c>, <c>db.Database.SqlQuery</c>), for HIPAA204.
/// </summary>
internal static class KeyStores
{
    /// <summary>At most this many operations are visited to find where one value is read from.</summary>
    private const int MaxVisited = 64;

    /// <summary>Words before <c>Key</c> that make it a cryptographic key: <c>MasterKey</c>, <c>SigningKey</c>; not <c>ApiKey</c>, <c>LicenseKey</c>.</summary>
    private static readonly HashSet<string> KeyQualifiers = new(StringComparer.Ordinal)
    {
        "master", "encryption", "data", "signing", "wrapping", "crypto", "cryptographic", "private", "symmetric", "root", "aes",
        "hmac", "mac", "cipher", "secret", "protection",
    };

    /// <summary>
    /// An entity whose name says it holds keys or secrets: <c>MasterKey</c>, <c>EncryptionKeys</c>, <c>KeyRing</c>,
    /// <c>KeyRingEntry</c>, <c>KeyMaterial</c>, <c>KeyStore</c>, <c>SecretStore</c>, <c>Secret</c>. Not Data
    /// Protection's own <c>DataProtectionKey</c>: where it is kept is <c>PersistKeysToDbContext</c>'s finding.
    /// </summary>
    public static bool IsKeyStoreEntity(INamedTypeSymbol entity)
    {
        if (entity.Name == "DataProtectionKey")
        {
            return false;
        }

        var words = IdentifierWords.Split(entity.Name);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var next = i + 1 < words.Length ? words[i + 1] : null;
            if (word is "keyring" or "keystore" or "secretstore" or "keymaterial" ||
                word is "key" or "keys" && next is "ring" or "rings" or "material" or "materials" or "store" or "vault" ||
                word is "secret" or "secrets" && next is "store" or "vault")
            {
                return true;
            }
        }

        if (words.Length == 0)
        {
            return false;
        }

        var last = words[words.Length - 1];
        var before = words.Length > 1 ? words[words.Length - 2] : null;
        return last is "key" or "keys" && before is not null && KeyQualifiers.Contains(before) ||
               last is "secret" or "secrets" && (before is null || KeyQualifiers.Contains(before));
    }

    /// <summary>A class deriving from EF Core's <c>DbContext</c>.</summary>
    public static bool IsDbContext(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current.Name == "DbContext" && current.ContainingNamespace is { Name: "EntityFrameworkCore", ContainingNamespace.Name: "Microsoft" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entity of <c>DbSet&lt;TEntity&gt;</c>, or null.</summary>
    public static INamedTypeSymbol? DbSetEntity(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "DbSet", TypeArguments.Length: 1, ContainingNamespace: { Name: "EntityFrameworkCore", ContainingNamespace.Name: "Microsoft" } } set
            ? set.TypeArguments[0] as INamedTypeSymbol
            : null;

    /// <summary>
    /// The DbContext a value is read from, within the method: through a <c>DbSet</c> property or <c>Set&lt;T&gt;()</c>
    /// of it, or a <c>Database.SqlQuery</c> on it, across the calls, conversions and locals that carry the value
    /// (<c>var row = db.MasterKeys.Single(); new LocalMasterKey(Convert.FromBase64String(row.Key))</c>). Lambdas are
    /// not entered.
    /// </summary>
    public static DatabaseRead? FindDatabaseRead(IOperation value)
    {
        var pending = new Stack<IOperation>();
        var seenLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        pending.Push(value);
        for (var visited = 0; pending.Count > 0 && visited < MaxVisited; visited++)
        {
            var operation = pending.Pop();
            switch (operation)
            {
                case IConversionOperation conversion:
                    pending.Push(conversion.Operand);
                    break;
                case IParenthesizedOperation parenthesized:
                    pending.Push(parenthesized.Operand);
                    break;
                case IPropertyReferenceOperation property:
                    if (DbSetEntity(property.Property.Type) is { } entity && IsDbContext(property.Instance?.Type ?? property.Property.ContainingType))
                    {
                        return new DatabaseRead((INamedTypeSymbol)(property.Instance?.Type ?? property.Property.ContainingType), entity, property.Property);
                    }

                    Push(pending, property.Instance);
                    break;
                case IInvocationOperation invocation:
                    if (invocation.TargetMethod is { Name: "Set", TypeArguments.Length: 1 } set && IsDbContext(invocation.Instance?.Type) &&
                        set.TypeArguments[0] is INamedTypeSymbol setEntity)
                    {
                        return new DatabaseRead((INamedTypeSymbol)invocation.Instance!.Type!, setEntity, null);
                    }

                    if (invocation.TargetMethod.Name.StartsWith("SqlQuery", StringComparison.Ordinal) &&
                        invocation.Arguments.Length > 0 && Unwrap(invocation.Arguments[0].Value) is IPropertyReferenceOperation { Property.Name: "Database", Instance: { Type: { } context } } &&
                        IsDbContext(context))
                    {
                        return new DatabaseRead((INamedTypeSymbol)context, null, null);
                    }

                    Push(pending, invocation.Instance);
                    foreach (var argument in invocation.Arguments)
                    {
                        Push(pending, argument.Value);
                    }

                    break;
                case IObjectCreationOperation creation:
                    foreach (var argument in creation.Arguments)
                    {
                        Push(pending, argument.Value);
                    }

                    break;
                case IArrayCreationOperation { Initializer: { } elements }:
                    foreach (var element in elements.ElementValues)
                    {
                        Push(pending, element);
                    }

                    break;
                case IAwaitOperation awaited:
                    pending.Push(awaited.Operation);
                    break;
                case IConditionalAccessOperation access:
                    pending.Push(access.Operation);
                    break;
                case ICoalesceOperation coalesce:
                    pending.Push(coalesce.Value);
                    break;
                case IArrayElementReferenceOperation element:
                    pending.Push(element.ArrayReference);
                    break;
                case IFieldReferenceOperation field:
                    Push(pending, field.Instance);
                    break;
                case ILocalReferenceOperation local when seenLocals.Add(local.Local):
                    if (local.Local.DeclaringSyntaxReferences.Length == 1 &&
                        local.SemanticModel?.GetOperation(local.Local.DeclaringSyntaxReferences[0].GetSyntax()) is IVariableDeclaratorOperation { Initializer.Value: { } initializer })
                    {
                        pending.Push(initializer);
                    }

                    break;
            }
        }

        return null;
    }

    private static void Push(Stack<IOperation> pending, IOperation? operation)
    {
        if (operation is not null and not IAnonymousFunctionOperation and not IDelegateCreationOperation and not IInstanceReferenceOperation)
        {
            pending.Push(operation);
        }
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>A value read from a database: the DbContext, and the entity and DbSet property when known.</summary>
    internal sealed class DatabaseRead
    {
        public DatabaseRead(INamedTypeSymbol context, INamedTypeSymbol? entity, IPropertySymbol? set)
        {
            Context = context;
            Entity = entity;
            Set = set;
        }

        public INamedTypeSymbol Context { get; }

        public INamedTypeSymbol? Entity { get; }

        /// <summary>The <c>DbSet</c> property read, or null for <c>Set&lt;T&gt;()</c> and SQL.</summary>
        public IPropertySymbol? Set { get; }
    }
}
