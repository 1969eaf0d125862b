using System;
using System.Text.RegularExpressions;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Secrets;

namespace HipaaAnalyzers.Configuration;

/// <summary>
/// What is a secret in a configuration file: a connection string or URL with a password, a value under a key named as a
/// password, secret, token or API key (HIPAA202), or a signing or encryption key (HIPAA201). Placeholders stay quiet:
/// empty values, <c>&lt;...&gt;</c>, <c>${...}</c>, <c>#{...}#</c>, <c>__X__</c>, <c>YOUR_...</c>, upper-case
/// names such as <c>REPLACE_IN_OVERRIDE</c>, markers like <c>changeme</c> and Key Vault references. The list is on the
/// HIPAA202 rule page.
/// </summary>
internal static class SettingsSecrets
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>REPLACE_IN_OVERRIDE, SET_BY_PIPELINE, DB_PASSWORD: the name of a value, not the value.</summary>
    private static readonly Regex UpperSnake = new(@"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$", RegexOptions.CultureInvariant, Timeout);

    /// <summary>Words that mark a value as one to be filled in.</summary>
    private static readonly string[] PlaceholderMarkers =
    {
        "changeme", "change_me", "change-me", "change me", "changethis", "change_this", "change-this", "change this",
        "replaceme", "replace_me", "replace-me", "replace me", "replace with", "replace_with", "replace-with",
        "placeholder", "put your", "put-your", "enter your", "enter-your", "insert your", "insert-your", "fill in", "fill-in",
        "set in ", "set via", "set by ", "provided by", "from key vault", "user secrets", "user-secrets", "secret manager",
        "todo", "fixme", "tbd", "example.com",
    };

    /// <summary>Whole values that say nothing is set.</summary>
    private static readonly string[] EmptyMarkers = { "n/a", "na", "none", "null", "empty", "unset", "undefined", "secret", "password", "key", "token" };

    /// <summary>
    /// What a HIPAA202 finding calls the value ("a connection string with a password", "a password", "an API key"), or
    /// null when the entry holds no credential.
    /// </summary>
    public static string? Credential(SettingsEntry entry)
    {
        var value = entry.Value;
        if (!entry.IsString || value.Length < 3)
        {
            return null;
        }

        if (ConnectionStringPassword(value) is { } password)
        {
            return IsPlaceholder(password) ? null : "a connection string with a password";
        }

        if (value.IndexOf("://", StringComparison.Ordinal) > 0)
        {
            return Credentials.HasUrlPassword(value) && !IsPlaceholder(UrlPassword(value)) ? "a URL with a password" : null;
        }

        var kind = CredentialName(entry.Name);
        return kind is not null && LooksLikeSecret(value, entry.Name, minimumLength: 3) ? kind : null;
    }

    /// <summary>What a HIPAA201 finding calls the value ("a signing key"), or null when the entry is not a key with a literal value.</summary>
    public static string? Key(SettingsEntry entry)
    {
        if (!entry.IsString || entry.Value.Length < 8 || CredentialName(entry.Name) is not null)
        {
            return null;
        }

        var words = IdentifierWords.Split(entry.Name);
        if (words.Length == 0 || words[words.Length - 1] != "key")
        {
            return null;
        }

        string? kind = null;
        if (words.Length >= 2 && SecurityNames.CryptoKeyQualifiers.Contains(words[words.Length - 2]))
        {
            kind = words[words.Length - 2] is "signing" or "jwt" or "token" or "hmac" or "security" ? "signing key" : "key";
        }
        else if (words.Length == 1)
        {
            foreach (var word in IdentifierWords.Split(entry.Section))
            {
                if (SecurityNames.CryptoKeySections.Contains(word))
                {
                    kind = word is "encryption" or "crypto" or "cryptography" or "aes" or "cipher" ? "key" : "signing key";
                    break;
                }
            }
        }

        return kind is not null && LooksLikeSecret(entry.Value, entry.Name, minimumLength: 8) ? kind : null;
    }

    /// <summary>"a password", "a client secret", "an API key", "an auth token" for names that hold one; null otherwise.</summary>
    internal static string? CredentialName(string name)
    {
        var words = IdentifierWords.Split(name);
        if (words.Length == 0)
        {
            return null;
        }

        var last = words[words.Length - 1];
        if (last == "token" && words.Length >= 2 && SecurityNames.CredentialTokenQualifiers.Contains(words[words.Length - 2]))
        {
            return words[words.Length - 2] is "auth" or "access" ? "an " + words[words.Length - 2] + " token" : "a token";
        }

        if (!SecurityNames.HoldsSignInSecret(name))
        {
            return null;
        }

        if (last is "apikey" || last == "key")
        {
            return "an API key";
        }

        return last.EndsWith("secret", StringComparison.Ordinal)
            ? (words.Length >= 2 && words[words.Length - 2] == "client" ? "a client secret" : "a secret")
            : "a password";
    }

    /// <summary>
    /// The password of a connection string: "Password=" or "Pwd=" in a ';'-separated one ("Host=db;Password=s3cret"), or
    /// "password=" in a ','-separated Redis one ("cache:6380,password=s3cret,ssl=True"); null when there is none.
    /// </summary>
    internal static string? ConnectionStringPassword(string text)
    {
        if (text.IndexOf('=') < 0)
        {
            return null;
        }

        foreach (var separator in new[] { ';', ',' })
        {
            if (text.IndexOf(separator) < 0)
            {
                continue;
            }

            var parts = text.Split(separator);
            int pairs = 0;
            string? password = null;
            foreach (var part in parts)
            {
                var equals = part.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                pairs++;
                var key = part.Substring(0, equals).Trim().ToLowerInvariant();
                if (key is "password" or "pwd" or "user password")
                {
                    password = part.Substring(equals + 1).Trim().Trim('\'', '"');
                }
            }

            if (password is not null && pairs >= 2)
            {
                return password;
            }
        }

        return null;
    }

    /// <summary>Whether a value is one still to be filled in rather than a secret.</summary>
    public static bool IsPlaceholder(string value)
    {
        var v = value.Trim();
        if (v.Length == 0 || Credentials.IsPlaceholder(v) || Matches(UpperSnake, v) ||
            v.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // YOUR_SECRET, your-api-key, "your secret here"; not "YourStrong@Passw0rd", a password some apps really use.
        if (v.Length > 4 && v.StartsWith("your", StringComparison.OrdinalIgnoreCase) && (v[4] is '_' or '-' or ' ' or '.' || v.StartsWith("YOUR", StringComparison.Ordinal)))
        {
            return true;
        }

        var lower = v.ToLowerInvariant();
        foreach (var empty in EmptyMarkers)
        {
            if (lower == empty)
            {
                return true;
            }
        }

        foreach (var marker in PlaceholderMarkers)
        {
            if (lower.IndexOf(marker, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A value under a secret-named key that is a secret: not a placeholder, not a reference to where the secret lives
    /// (a URL, a path, a configuration key, an environment variable name), not a password hash. A value with spaces
    /// counts only when it is long, like a passphrase used as a key.
    /// </summary>
    private static bool LooksLikeSecret(string value, string name, int minimumLength)
    {
        if (value.Length < minimumLength || IsPlaceholder(value))
        {
            return false;
        }

        if (value.IndexOf(' ') >= 0)
        {
            return value.Length >= 16 && Credentials.LooksLikeSecretValue(value.Replace(' ', '-'), name);
        }

        return Credentials.LooksLikeSecretValue(value, name);
    }

    private static string UrlPassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', scheme + 3);
        var colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && at > colon ? url.Substring(colon + 1, at - colon - 1) : string.Empty;
    }

    private static bool Matches(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
