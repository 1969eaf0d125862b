using HipaaAnalyzers.Infrastructure;
using System;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Cryptography;

/// <summary>Which weak hash or disallowed cipher a .NET type or a CryptoConfig algorithm name stands for.</summary>
internal static class CryptoAlgorithms
{
    /// <summary>The weak hash a type implements, or null: MD5CryptoServiceProvider is MD5, HMACSHA1 is HMAC-SHA1.</summary>
    public static string? WeakHashOf(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (!TypeNames.IsInNamespace(t.ContainingNamespace, CryptoSymbols.CryptographyNamespace))
            {
                continue;
            }

            switch (t.Name)
            {
                case "MD5":
                    return "MD5";
                case "SHA1":
                    return "SHA-1";
                case "RIPEMD160":
                    return "RIPEMD-160";
                case "HMACMD5":
                    return "HMAC-MD5";
                case "HMACSHA1":
                    return "HMAC-SHA1";
                case "HMACRIPEMD160":
                    return "HMAC-RIPEMD-160";
            }
        }

        return null;
    }

    /// <summary>The weak hash a CryptoConfig name stands for ("MD5", "SHA", "System.Security.Cryptography.SHA1" ...).</summary>
    public static string? WeakHashOfName(string name)
    {
        var n = name.Trim();
        if (n.StartsWith(CryptoSymbols.CryptographyNamespace + ".", StringComparison.OrdinalIgnoreCase))
        {
            n = n.Substring(CryptoSymbols.CryptographyNamespace.Length + 1);
        }

        switch (n.ToUpperInvariant())
        {
            case "MD5":
            case "MD5CRYPTOSERVICEPROVIDER":
            case "MD5CNG":
                return "MD5";
            case "SHA":
            case "SHA1":
            case "SHA-1":
            case "SHA1CRYPTOSERVICEPROVIDER":
            case "SHA1MANAGED":
            case "SHA1CNG":
                return "SHA-1";
            case "RIPEMD160":
            case "RIPEMD-160":
            case "RIPEMD160MANAGED":
                return "RIPEMD-160";
            case "HMACMD5":
                return "HMAC-MD5";
            case "HMACSHA1":
                return "HMAC-SHA1";
            case "HMACRIPEMD160":
                return "HMAC-RIPEMD-160";
            default:
                return null;
        }
    }

    /// <summary>The disallowed cipher a type implements: DESCryptoServiceProvider is DES, TripleDESCng is Triple DES.</summary>
    public static string? CipherOf(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (!TypeNames.IsInNamespace(t.ContainingNamespace, CryptoSymbols.CryptographyNamespace))
            {
                continue;
            }

            switch (t.Name)
            {
                case "DES":
                    return "DES";
                case "TripleDES":
                case "MACTripleDES":
                    return "Triple DES";
                case "RC2":
                    return "RC2";
            }
        }

        return null;
    }

    /// <summary>The disallowed cipher a CryptoConfig name stands for ("DES", "3DES", "TripleDES", "RC2" ...).</summary>
    public static string? CipherOfName(string name)
    {
        var n = name.Trim();
        if (n.StartsWith(CryptoSymbols.CryptographyNamespace + ".", StringComparison.OrdinalIgnoreCase))
        {
            n = n.Substring(CryptoSymbols.CryptographyNamespace.Length + 1);
        }

        switch (n.ToUpperInvariant())
        {
            case "DES":
            case "DESCRYPTOSERVICEPROVIDER":
                return "DES";
            case "3DES":
            case "TRIPLEDES":
            case "TRIPLE DES":
            case "TRIPLEDESCRYPTOSERVICEPROVIDER":
            case "TRIPLEDESCNG":
            case "MACTRIPLEDES":
                return "Triple DES";
            case "RC2":
            case "RC2CRYPTOSERVICEPROVIDER":
                return "RC2";
            default:
                return null;
        }
    }
}
