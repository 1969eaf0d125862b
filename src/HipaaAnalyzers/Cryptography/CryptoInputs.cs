using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Cryptography;

/// <summary>What a value handed to a cryptographic API is used as.</summary>
internal enum CryptoInputRole
{
    None,
    Key,
    IV,
    Nonce,
    Salt,
    Password,
}

/// <summary>
/// Recognizes the inputs of the .NET cryptography APIs by the parameter or property they are passed to:
/// <c>Key</c> / <c>IV</c> of a <c>SymmetricAlgorithm</c> or <c>HMAC</c>, and the <c>key</c>, <c>rgbKey</c>,
/// <c>iv</c>, <c>rgbIV</c>, <c>nonce</c>, <c>salt</c> and <c>password</c> parameters of methods and constructors in
/// System.Security.Cryptography (AesGcm, AesCcm, ChaCha20Poly1305, CreateEncryptor, EncryptCbc, Rfc2898DeriveBytes,
/// HMACSHA256 ...) and Microsoft.AspNetCore.Cryptography.KeyDerivation.
/// </summary>
internal static class CryptoInputs
{
    public static bool IsCryptoNamespace(INamespaceSymbol? ns) =>
        TypeNames.IsInNamespace(ns, "System.Security.Cryptography") || TypeNames.IsInNamespace(ns, "Microsoft.AspNetCore.Cryptography.KeyDerivation");

    /// <summary>The role of the value passed as <paramref name="argument"/>, when its method or constructor is a crypto API.</summary>
    public static CryptoInputRole RoleOf(IArgumentOperation argument)
    {
        if (argument.Parameter is not { } parameter || parameter.ContainingSymbol is not IMethodSymbol method ||
            !IsCryptoNamespace(method.ContainingType?.ContainingNamespace))
        {
            return CryptoInputRole.None;
        }

        return RoleOfParameterName(parameter.Name);
    }

    public static CryptoInputRole RoleOfParameterName(string name) => name switch
    {
        "key" or "rgbKey" => CryptoInputRole.Key,
        "iv" or "rgbIV" => CryptoInputRole.IV,
        "nonce" => CryptoInputRole.Nonce,
        "salt" or "rgbSalt" => CryptoInputRole.Salt,
        "password" => CryptoInputRole.Password,
        _ => CryptoInputRole.None,
    };

    /// <summary>The role of a property being set: <c>Key</c> or <c>IV</c> of a symmetric algorithm or keyed hash.</summary>
    public static CryptoInputRole RoleOf(IPropertySymbol property)
    {
        if (property.IsIndexer || property.Name is not ("Key" or "IV"))
        {
            return CryptoInputRole.None;
        }

        for (var type = property.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.Name is "SymmetricAlgorithm" or "KeyedHashAlgorithm" && IsCryptoNamespace(type.ContainingNamespace))
            {
                return property.Name == "Key" ? CryptoInputRole.Key : CryptoInputRole.IV;
            }
        }

        return CryptoInputRole.None;
    }

    /// <summary>"the key", "the IV" ...</summary>
    public static string Describe(CryptoInputRole role) => role switch
    {
        CryptoInputRole.Key => "the key",
        CryptoInputRole.IV => "the IV",
        CryptoInputRole.Nonce => "the nonce",
        CryptoInputRole.Salt => "the salt",
        CryptoInputRole.Password => "the password",
        _ => "a security value",
    };

    /// <summary>Decryption takes a stored IV or nonce: Decrypt, DecryptCbc, CreateDecryptor, TryDecryptEcb ...</summary>
    public static bool IsDecryption(IMethodSymbol method) =>
        method.Name.IndexOf("Decrypt", System.StringComparison.Ordinal) >= 0;
}
