using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Vocabulary;

/// <summary>What a security value is, by its meaning. docs/configuration.md ("Security names") describes each.</summary>
internal enum SecurityValue
{
    None,

    /// <summary>A memorized secret a person types: password, passwd, pwd, passphrase, passcode ("pass" only on a string).</summary>
    Password,

    /// <summary>A personal identification number.</summary>
    Pin,

    /// <summary>A one-time password or a code sent to prove possession: otp, totp, hotp, verificationCode, resetCode.</summary>
    OneTimeCode,

    /// <summary>A shared secret of a service or client: secret, clientSecret, apiSecret.</summary>
    Secret,

    /// <summary>An API key: apiKey, ApiKey, apikey.</summary>
    ApiKey,

    /// <summary>Credentials in general: credential, credentials.</summary>
    Credential,

    /// <summary>A token that grants something (access, refresh, reset, bearer); not a parser, paging or cancellation token.</summary>
    Token,

    /// <summary>A cryptographic key (not a dictionary, cache, sort or database key).</summary>
    Key,

    /// <summary>An initialization vector.</summary>
    IV,

    /// <summary>A number used once: nonce.</summary>
    Nonce,

    /// <summary>A salt for hashing or key derivation.</summary>
    Salt,

    /// <summary>A signature or MAC value.</summary>
    Signature,

    /// <summary>A session identifier.</summary>
    SessionId,

    /// <summary>An anti-forgery (CSRF, XSRF) token.</summary>
    AntiForgeryToken,
}

/// <summary>What a name says: the kind of security value, the word before the one that decides, and how it is held.</summary>
internal readonly struct SecurityName
{
    public static readonly SecurityName None = default;

    public SecurityName(SecurityValue kind, string? qualifier, string description, bool isProtected, bool isTransient)
    {
        Kind = kind;
        Qualifier = qualifier;
        Description = description;
        IsProtected = isProtected;
        IsTransient = isTransient;
    }

    public SecurityValue Kind { get; }

    /// <summary>The word before the deciding word ("reset" in resetToken, "client" in clientSecret), or null.</summary>
    public string? Qualifier { get; }

    /// <summary>"a salt", "a reset token", "an API key"; null for <see cref="SecurityValue.None"/>.</summary>
    public string? Description { get; }

    /// <summary>A word says the value is held hashed, encrypted or protected: hashedPassword, encryptedSecret.</summary>
    public bool IsProtected { get; }

    /// <summary>A word says the value is being entered or changed, not kept: newPassword, confirmPassword, currentPassword.</summary>
    public bool IsTransient { get; }

    public bool IsNone => Kind == SecurityValue.None;

    /// <summary>A secret a person or service signs in with, held as typed: a password, secret or API key (HIPAA202, HIPAA205).</summary>
    public bool IsSignInSecret => Kind is SecurityValue.Password or SecurityValue.Secret or SecurityValue.ApiKey && !IsProtected;
}

/// <summary>
/// The one vocabulary of security values: what a name of a local, parameter, field, property, method or configuration key
/// says it holds. Names are judged on whole words, and the last meaningful word decides ("resetToken" and "GenerateSalt"
/// count, "tokenizer", "keyboard", "passwordLabel" and "tokenCount" do not); trailing words that say how a value is
/// held ("saltBytes", "keyHex") are skipped. Every rule that reads names for security values asks this class.
/// </summary>
internal static class SecurityNames
{
    /// <summary>The words that decide a kind by themselves (the key and code kinds also read the word before them).</summary>
    internal static readonly IReadOnlyDictionary<string, SecurityValue> Heads = new Dictionary<string, SecurityValue>(System.StringComparer.Ordinal)
    {
        ["password"] = SecurityValue.Password, ["passwords"] = SecurityValue.Password, ["passwd"] = SecurityValue.Password,
        ["pwd"] = SecurityValue.Password, ["passphrase"] = SecurityValue.Password, ["passcode"] = SecurityValue.Password,
        ["pin"] = SecurityValue.Pin, ["pins"] = SecurityValue.Pin,
        ["otp"] = SecurityValue.OneTimeCode, ["totp"] = SecurityValue.OneTimeCode, ["hotp"] = SecurityValue.OneTimeCode,
        ["secret"] = SecurityValue.Secret, ["secrets"] = SecurityValue.Secret,
        ["apikey"] = SecurityValue.ApiKey,
        ["credential"] = SecurityValue.Credential, ["credentials"] = SecurityValue.Credential,
        ["token"] = SecurityValue.Token, ["tokens"] = SecurityValue.Token,
        ["key"] = SecurityValue.Key, ["keys"] = SecurityValue.Key,
        ["iv"] = SecurityValue.IV, ["ivs"] = SecurityValue.IV,
        ["nonce"] = SecurityValue.Nonce, ["nonces"] = SecurityValue.Nonce,
        ["salt"] = SecurityValue.Salt, ["salts"] = SecurityValue.Salt,
        ["signature"] = SecurityValue.Signature, ["signatures"] = SecurityValue.Signature,
        ["sessionid"] = SecurityValue.SessionId,
        ["csrf"] = SecurityValue.AntiForgeryToken, ["xsrf"] = SecurityValue.AntiForgeryToken,
        ["code"] = SecurityValue.OneTimeCode, ["codes"] = SecurityValue.OneTimeCode,
        ["id"] = SecurityValue.SessionId,
    };

    /// <summary>Trailing words that say how a value is held, not what it is: "saltBytes", "tokenString", "keyHex".</summary>
    internal static readonly HashSet<string> Representation = new(System.StringComparer.Ordinal)
    {
        "bytes", "byte", "str", "string", "chars", "char", "buffer", "buf", "value", "val", "hex", "b64", "base64",
        "raw", "data", "array", "arr", "text", "span", "memory", "material",
    };

    /// <summary>Words that say the value is held hashed, encrypted or protected.</summary>
    internal static readonly HashSet<string> ProtectedWords = new(System.StringComparer.Ordinal)
    {
        "hash", "hashed", "encrypted", "protected", "salted",
    };

    /// <summary>Words that say a password is being entered or changed, not kept.</summary>
    internal static readonly HashSet<string> TransientWords = new(System.StringComparer.Ordinal)
    {
        "confirm", "confirmation", "confirmed", "new", "old", "current", "repeat", "retype", "previous",
    };

    /// <summary>Qualifiers that make "key" a lookup key rather than a cryptographic one: "cacheKey", "sortKey".</summary>
    internal static readonly HashSet<string> LookupKeyQualifiers = new(System.StringComparer.Ordinal)
    {
        "cache", "partition", "sort", "primary", "foreign", "lookup", "dictionary", "dict", "map", "idempotency",
        "composite", "row", "group", "grouping", "route", "order", "sequence", "registry", "shard", "bucket", "redis",
        "unique", "natural", "surrogate", "entity", "resource", "translation", "localization", "setting", "settings",
        "config", "configuration", "json", "property", "column", "header", "query", "index", "hash", "table", "store",
        "storage", "blob", "object", "item", "list", "tree", "node", "element", "option", "enum", "music",
        "piano", "hot", "short", "shortcut", "next", "previous",
    };

    /// <summary>Qualifiers that make "key" a signing or encryption key for certain: "signingKey", "privateKey", "jwtKey".</summary>
    internal static readonly HashSet<string> CryptoKeyQualifiers = new(System.StringComparer.Ordinal)
    {
        "signing", "secret", "encryption", "encrypt", "private", "symmetric", "master", "aes", "hmac", "jwt", "crypto",
        "cipher", "security", "token", "data", "protection",
    };

    /// <summary>Configuration sections whose plain <c>Key</c> is a signing or encryption key: Jwt:Key, Authentication:Key.</summary>
    internal static readonly HashSet<string> CryptoKeySections = new(System.StringComparer.Ordinal)
    {
        "jwt", "token", "tokens", "encryption", "crypto", "cryptography", "signing", "aes", "hmac", "security",
        "authentication", "auth", "bearer", "cipher",
    };

    /// <summary>Qualifiers that make "token" a parser or paging token: "cancellationToken", "syntaxToken".</summary>
    internal static readonly HashSet<string> NonSecretTokenQualifiers = new(System.StringComparer.Ordinal)
    {
        "cancellation", "cancel", "syntax", "lexer", "parser", "parse", "lexical", "continuation", "page", "paging",
        "pagination", "change", "resume", "word", "text", "search", "csv", "json", "xml", "format", "template",
    };

    /// <summary>Qualifiers that make a token a credential for certain: AuthToken, AccessToken, BotToken, ApiToken.</summary>
    internal static readonly HashSet<string> CredentialTokenQualifiers = new(System.StringComparer.Ordinal)
    {
        "auth", "access", "api", "bearer", "bot", "refresh", "personal", "app", "application", "service", "secret", "sas",
        "security", "client", "integration", "webhook", "session", "admin", "master",
    };

    /// <summary>What makes a "code" a secret: "verificationCode", "resetCode", "otpCode", "pinCode".</summary>
    internal static readonly HashSet<string> SecretCodeQualifiers = new(System.StringComparer.Ordinal)
    {
        "verification", "verify", "reset", "confirmation", "confirm", "otp", "totp", "auth", "authentication",
        "authorization", "activation", "activate", "recovery", "backup", "security", "access", "login", "logon",
        "signin", "mfa", "2fa", "sms", "pin", "unlock", "magic", "pairing", "invite", "invitation", "one", "time",
        "onetime", "challenge", "secret",
    };

    /// <summary>Words before the deciding word that say a value is being made, not what kind it is: "GenerateKey", "newToken".</summary>
    private static readonly HashSet<string> Verbs = new(System.StringComparer.Ordinal)
    {
        "generate", "create", "new", "make", "get", "build", "random", "next", "issue", "compute", "derive", "gen", "to",
        "set", "init", "initialize",
    };

    /// <summary>Fragments every security name contains; most identifiers have none and are not split at all.</summary>
    private static readonly string[] Fragments =
    {
        "pass", "pwd", "otp", "pin", "salt", "nonce", "iv", "secret", "credential", "key", "csrf", "xsrf", "session",
        "token", "code", "signature",
    };

    /// <summary>What <paramref name="identifier"/> names. <paramref name="type"/> (the value's type, when known) keeps
    /// numeric "key", "salt", "iv" and "nonce" names out (those hold byte strings, while an int "key" is a lookup key), makes
    /// a bare "key" cryptographic only when it holds bytes, and lets "pass" count as a password only on a string.</summary>
    public static SecurityName Classify(string identifier, ITypeSymbol? type = null)
    {
        if (identifier.Length == 0 || !MayName(identifier))
        {
            return SecurityName.None;
        }

        var words = IdentifierWords.Split(identifier);
        int last = words.Length - 1;
        while (last > 0 && Representation.Contains(words[last]))
        {
            last--;
        }

        return last < 0 ? SecurityName.None : ClassifyAt(words, last, type, type?.SpecialType == SpecialType.System_String);
    }

    /// <summary>What the name of a string value names (a string property, a configuration key): as <see cref="Classify"/>.</summary>
    public static SecurityName ClassifyString(string identifier)
    {
        if (identifier.Length == 0 || !MayName(identifier))
        {
            return SecurityName.None;
        }

        var words = IdentifierWords.Split(identifier);
        int last = words.Length - 1;
        while (last > 0 && Representation.Contains(words[last]))
        {
            last--;
        }

        return last < 0 ? SecurityName.None : ClassifyAt(words, last, null, isString: true);
    }

    /// <summary>A description of the security value a name stands for ("a salt", "a reset code"), or null when it names none.</summary>
    public static string? Describe(string identifier, ITypeSymbol? type = null) => Classify(identifier, type).Description;

    /// <summary>Whether a local, member or configuration key with this name holds a password, secret or API key as typed.</summary>
    public static bool HoldsSignInSecret(string name) => Classify(name).IsSignInSecret;

    /// <summary>
    /// Whether any word of <paramref name="identifier"/> (not only the last) names a secret, password, PIN, one-time code,
    /// credential, token, salt, signature or a key qualified as cryptographic ("PasswordChecksum", "HashApiKeyForLookup").
    /// HIPAA101 reports a weak hash in such a name even where its allowed names would leave it alone.
    /// </summary>
    public static bool Mentions(string identifier)
    {
        if (identifier.Length == 0 || !MayName(identifier))
        {
            return false;
        }

        var words = IdentifierWords.Split(identifier);
        for (int i = 0; i < words.Length; i++)
        {
            var name = ClassifyAt(words, i, null, isString: false);
            switch (name.Kind)
            {
                case SecurityValue.None:
                case SecurityValue.IV:
                case SecurityValue.Nonce:
                    break;
                case SecurityValue.Key:
                    if (name.Qualifier is not null && CryptoKeyQualifiers.Contains(name.Qualifier))
                    {
                        return true;
                    }

                    break;
                default:
                    return true;
            }
        }

        return false;
    }

    /// <summary>"code", "digits", "verificationDigits": a name that says a value is a code without saying which.</summary>
    public static bool IsGenericCodeName(string identifier)
    {
        var words = IdentifierWords.Split(identifier);
        return words.Length > 0 && words[words.Length - 1] is "code" or "digits" or "number";
    }

    private static SecurityName ClassifyAt(string[] words, int index, ITypeSymbol? type, bool isString)
    {
        var head = words[index];
        var previous = index > 0 ? words[index - 1] : null;
        if (!Heads.TryGetValue(head, out var kind))
        {
            // Compounds written as one word: "dbpassword", "clientsecret".
            if (head.EndsWith("password", System.StringComparison.Ordinal) || head.EndsWith("passwd", System.StringComparison.Ordinal))
            {
                kind = SecurityValue.Password;
            }
            else if (head.EndsWith("secret", System.StringComparison.Ordinal))
            {
                kind = SecurityValue.Secret;
            }
            else if (head == "pass" && isString)
            {
                // "UserPass" on a string; "boardingPass" on anything else is not a password.
                kind = SecurityValue.Password;
            }
            else
            {
                return SecurityName.None;
            }
        }

        bool numeric = type is not null && IsNumeric(type);
        string? description;
        switch (kind)
        {
            case SecurityValue.Password:
                description = "a password";
                break;
            case SecurityValue.Pin:
                description = "a PIN";
                break;
            case SecurityValue.OneTimeCode when head is "code" or "codes":
                if (previous is null || !SecretCodeQualifiers.Contains(previous))
                {
                    return SecurityName.None;
                }

                description = Qualified(previous, "code");
                break;
            case SecurityValue.OneTimeCode:
                description = "a one-time password";
                break;
            case SecurityValue.Salt:
            case SecurityValue.Nonce:
            case SecurityValue.IV:
                if (numeric)
                {
                    return SecurityName.None;
                }

                description = kind switch { SecurityValue.Salt => "a salt", SecurityValue.Nonce => "a nonce", _ => "an IV" };
                break;
            case SecurityValue.Secret:
                description = "a secret";
                break;
            case SecurityValue.Credential:
                description = "a credential";
                break;
            case SecurityValue.ApiKey:
                description = "an API key";
                break;
            case SecurityValue.AntiForgeryToken:
                description = "an anti-forgery token";
                break;
            case SecurityValue.Signature:
                description = "a signature";
                break;
            case SecurityValue.SessionId:
                if (head == "id" && previous != "session")
                {
                    return SecurityName.None;
                }

                description = "a session id";
                break;
            case SecurityValue.Token:
                if (previous is not null && NonSecretTokenQualifiers.Contains(previous))
                {
                    return SecurityName.None;
                }

                description = Qualified(previous, "token");
                break;
            default:
                if (numeric || previous is not null && LookupKeyQualifiers.Contains(previous))
                {
                    return SecurityName.None;
                }

                if (previous == "api")
                {
                    kind = SecurityValue.ApiKey;
                    description = "an API key";
                    break;
                }

                // A bare "key" is as often a dictionary or cache key: only bytes make it a cryptographic one.
                if ((previous is null || Verbs.Contains(previous)) && type is not null && !IsBinary(type))
                {
                    return SecurityName.None;
                }

                description = Qualified(previous, "key");
                break;
        }

        bool isProtected = false;
        bool isTransient = false;
        for (int i = 0; i <= index; i++)
        {
            isProtected |= ProtectedWords.Contains(words[i]);
            isTransient |= TransientWords.Contains(words[i]);
        }

        return new SecurityName(kind, previous, description, isProtected, isTransient);
    }

    /// <summary>
    /// Whether <paramref name="identifier"/> contains one of <see cref="Fragments"/> in any case. Asked of most names the
    /// rules meet (every argument's parameter, every assigned member), so an ASCII name is read once, each position
    /// compared only with the fragments that begin with its letter, rather than searched once per fragment.
    /// </summary>
    internal static bool MayName(string identifier)
    {
        for (int i = 0; i < identifier.Length; i++)
        {
            char c = identifier[i];
            if (c > 0x7F)
            {
                // Beyond ASCII, what a case-insensitive search folds is the host runtime's rule: the search decides.
                return MayNameIgnoringCase(identifier);
            }

            // Upper and lower case ASCII letters differ only in bit 0x20, and only they become a lower case letter when it is set.
            if (FragmentsByFirstLetter[c | 0x20] is not { } candidates)
            {
                continue;
            }

            foreach (var fragment in candidates)
            {
                if (StartsAt(identifier, i, fragment))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool StartsAt(string identifier, int start, string fragment)
    {
        if (start + fragment.Length > identifier.Length)
        {
            return false;
        }

        for (int k = 1; k < fragment.Length; k++)
        {
            if ((identifier[start + k] | 0x20) != fragment[k])
            {
                return false;
            }
        }

        return true;
    }

    private static bool MayNameIgnoringCase(string identifier)
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

    /// <summary><see cref="Fragments"/> (lower case ASCII) by their first letter.</summary>
    private static readonly string[]?[] FragmentsByFirstLetter = GroupByFirstLetter(Fragments);

    private static string[]?[] GroupByFirstLetter(string[] fragments)
    {
        var groups = new string[]?[128];
        foreach (var fragment in fragments)
        {
            var first = fragment[0];
            var known = groups[first] ?? System.Array.Empty<string>();
            var grown = new string[known.Length + 1];
            known.CopyTo(grown, 0);
            grown[known.Length] = fragment;
            groups[first] = grown;
        }

        return groups;
    }

    /// <summary>"a reset token", "an encryption key", or "a token" when the qualifier says nothing more.</summary>
    private static string Qualified(string? previous, string noun)
    {
        if (previous is null || previous.Length > 20 || Verbs.Contains(previous))
        {
            return (noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + noun;
        }

        return (previous[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + previous + " " + noun;
    }

    private static bool IsBinary(ITypeSymbol type) =>
        type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } ||
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory", TypeArguments.Length: 1 } span &&
        span.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static bool IsNumeric(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt16 or
        SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Double or SpecialType.System_Single or
        SpecialType.System_Decimal or SpecialType.System_Boolean;
}
