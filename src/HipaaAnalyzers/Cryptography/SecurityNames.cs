using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// Names of security values (keys, IVs, salts, tokens, passwords, one-time codes ...) judged on whole words of an
/// identifier: the last meaningful word decides, so "resetToken" and "GenerateSalt" count while "tokenizer",
/// "keyboard", "passwordLabel" and "tokenCount" do not.
/// </summary>
internal static class SecurityNames
{
    /// <summary>Trailing words that say how a value is held, not what it is: "saltBytes", "tokenString", "keyHex".</summary>
    private static readonly HashSet<string> Representation = new(System.StringComparer.Ordinal)
    {
        "bytes", "byte", "str", "string", "chars", "char", "buffer", "buf", "value", "val", "hex", "b64", "base64",
        "raw", "data", "array", "arr", "text", "span", "memory", "material",
    };

    /// <summary>Qualifiers that make "key" a lookup key rather than a cryptographic one: "cacheKey", "sortKey".</summary>
    private static readonly HashSet<string> LookupKeyQualifiers = new(System.StringComparer.Ordinal)
    {
        "cache", "partition", "sort", "primary", "foreign", "lookup", "dictionary", "dict", "map", "idempotency",
        "composite", "row", "group", "grouping", "route", "order", "sequence", "registry", "shard", "bucket", "redis",
        "unique", "natural", "surrogate", "entity", "resource", "translation", "localization", "setting", "settings",
        "config", "configuration", "json", "property", "column", "header", "query", "index", "hash", "table", "store",
        "storage", "blob", "object", "item", "list", "tree", "node", "element", "option", "enum", "music",
        "piano", "hot", "short", "shortcut", "next", "previous",
    };

    /// <summary>Qualifiers that make "token" a parser or paging token: "cancellationToken", "syntaxToken".</summary>
    private static readonly HashSet<string> NonSecretTokenQualifiers = new(System.StringComparer.Ordinal)
    {
        "cancellation", "cancel", "syntax", "lexer", "parser", "parse", "lexical", "continuation", "page", "paging",
        "pagination", "change", "resume", "word", "text", "search", "csv", "json", "xml", "format", "template",
    };

    /// <summary>What makes a "code" a secret: "verificationCode", "resetCode", "otpCode", "pinCode".</summary>
    private static readonly HashSet<string> SecretCodeQualifiers = new(System.StringComparer.Ordinal)
    {
        "verification", "verify", "reset", "confirmation", "confirm", "otp", "totp", "auth", "authentication",
        "authorization", "activation", "activate", "recovery", "backup", "security", "access", "login", "logon",
        "signin", "mfa", "2fa", "sms", "pin", "unlock", "magic", "pairing", "invite", "invitation", "one", "time",
        "onetime", "challenge", "secret",
    };

    /// <summary>
    /// A description of the security value a name stands for ("a salt", "a reset code"), or null when it names none.
    /// <paramref name="type"/> (the value's type, when known) keeps numeric "key", "salt", "iv" and "nonce" names out:
    /// those hold byte strings, while an int "key" is a lookup key.
    /// </summary>
    public static string? Describe(string identifier, ITypeSymbol? type = null)
    {
        if (identifier.Length == 0 || !MayDescribe(identifier))
        {
            return null;
        }

        var words = IdentifierWords.Split(identifier);
        int last = words.Length - 1;
        while (last > 0 && Representation.Contains(words[last]))
        {
            last--;
        }

        if (last < 0)
        {
            return null;
        }

        var head = words[last];
        var previous = last > 0 ? words[last - 1] : null;
        bool numeric = type is not null && IsNumeric(type);
        switch (head)
        {
            case "password":
            case "passwords":
            case "passwd":
            case "pwd":
            case "passphrase":
            case "passcode":
                return "a password";
            case "otp":
            case "totp":
            case "hotp":
                return "a one-time password";
            case "pin":
            case "pins":
                return "a PIN";
            case "salt":
            case "salts":
                return numeric ? null : "a salt";
            case "nonce":
            case "nonces":
                return numeric ? null : "a nonce";
            case "iv":
            case "ivs":
                return numeric ? null : "an IV";
            case "secret":
            case "secrets":
                return "a secret";
            case "credential":
            case "credentials":
                return "a credential";
            case "apikey":
                return "an API key";
            case "csrf":
            case "xsrf":
                return "an anti-forgery token";
            case "sessionid":
                return "a session id";
            case "token":
            case "tokens":
                return previous is not null && NonSecretTokenQualifiers.Contains(previous) ? null : Qualified(previous, "token");
            case "key":
            case "keys":
                if (numeric || previous is not null && LookupKeyQualifiers.Contains(previous))
                {
                    return null;
                }

                if (previous == "api")
                {
                    return "an API key";
                }

                // A bare "key" is as often a dictionary or cache key: only bytes make it a cryptographic one.
                if ((previous is null || IsVerb(previous)) && type is not null && !IsBinary(type))
                {
                    return null;
                }

                return Qualified(previous, "key");
            case "code":
            case "codes":
                return previous is not null && SecretCodeQualifiers.Contains(previous) ? Qualified(previous, "code") : null;
            case "id":
                return previous == "session" ? "a session id" : null;
            default:
                return null;
        }
    }

    /// <summary>"code", "digits", "verificationDigits": a name that says a value is a code without saying which.</summary>
    public static bool IsGenericCodeName(string identifier)
    {
        var words = IdentifierWords.Split(identifier);
        return words.Length > 0 && words[words.Length - 1] is "code" or "digits" or "number";
    }

    /// <summary>Fragments every security name contains; most identifiers have none and are not split at all.</summary>
    private static readonly string[] Fragments =
    {
        "pass", "pwd", "otp", "pin", "salt", "nonce", "iv", "secret", "credential", "key", "csrf", "xsrf", "session", "token", "code",
    };

    private static bool MayDescribe(string identifier)
    {
        foreach (var fragment in Fragments)
        {
            if (identifier.IndexOf(fragment, System.StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"a reset token", "an encryption key", or "a token" when the qualifier says nothing more.</summary>
    private static string Qualified(string? previous, string noun)
    {
        if (previous is null || previous.Length > 20 || IsVerb(previous))
        {
            return (noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + noun;
        }

        return (previous[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + previous + " " + noun;
    }

    private static bool IsVerb(string word) => word is "generate" or "create" or "new" or "make" or "get" or "build" or
        "random" or "next" or "issue" or "compute" or "derive" or "gen" or "to" or "set" or "init" or "initialize";

    private static bool IsBinary(ITypeSymbol type) =>
        type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } ||
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory", TypeArguments.Length: 1 } span &&
        span.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static bool IsNumeric(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt16 or
        SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Double or SpecialType.System_Single or
        SpecialType.System_Decimal or SpecialType.System_Boolean;

    /// <summary>
    /// Words that mark test data, fakes and simulations ("FakeUserFactory", "SeedData", "ChartSimulator"): random values
    /// there are meant to be predictable and protect nothing.
    /// </summary>
    private static readonly HashSet<string> TestDataWords = new(System.StringComparer.Ordinal)
    {
        "fake", "faker", "fakes", "mock", "mocks", "stub", "stubs", "dummy", "seed", "seeder", "seeding", "fixture",
        "fixtures", "test", "tests", "testing", "demo", "simulation", "simulator", "simulate", "bogus", "sample", "samples",
    };

    /// <summary>Whether the code sits in a test-data, fake or simulation method, type or namespace.</summary>
    public static bool IsInTestDataContext(ISymbol? symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current is INamespaceSymbol { IsGlobalNamespace: true })
            {
                break;
            }

            if (current is IMethodSymbol or INamedTypeSymbol or INamespaceSymbol)
            {
                foreach (var word in IdentifierWords.Split(current.Name))
                {
                    if (TestDataWords.Contains(word))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
