using System;
using System.Text;
using System.Text.RegularExpressions;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Phi;

namespace HipaaAnalyzers.Secrets;

/// <summary>
/// What a hard-coded credential looks like: names that hold one (<c>Password</c>, <c>dbPassword</c>,
/// <c>ClientSecret</c>, <c>ApiKey</c>), values that are one rather than a label, route, configuration key or placeholder,
/// connection strings and URLs with a password, and Authorization header values.
/// </summary>
internal static class Credentials
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    private static readonly Regex ConfigurationKey = new(@"^[A-Za-z0-9_.\-]+(:[A-Za-z0-9_.\-]+)+$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex EnvironmentVariableName = new(@"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex KebabOrSnakeName = new(@"^[a-z0-9]+([\-_][a-z0-9]+)+$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex UrlWithPassword = new(@"^[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s:@]+:(?<password>[^/\s@]+)@", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex BearerToken = new(@"^\s*Bearer\s+(?<token>[A-Za-z0-9\-_.~+/]{20,}=*)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, Timeout);
    private static readonly Regex BasicToken = new(@"^\s*Basic\s+(?<token>[A-Za-z0-9+/]{8,}={0,2})\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, Timeout);

    /// <summary>
    /// Whether a string assigned to a secret-named target is a credential, not a label, prompt, message, route, URL,
    /// configuration key, environment variable name, placeholder or the target's own name.
    /// </summary>
    public static bool LooksLikeSecretValue(string? value, string targetName)
    {
        if (value is null || value.Length < 3)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        if (value.StartsWith("/", StringComparison.Ordinal) || value.StartsWith("~/", StringComparison.Ordinal) ||
            value.IndexOf("://", StringComparison.Ordinal) >= 0 || IsPlaceholder(value) ||
            Matches(ConfigurationKey, value) || Matches(EnvironmentVariableName, value))
        {
            return false;
        }

        // Password hashes in seed data: ASP.NET Core Identity (base64 of 0x01 0x00 0x00 0x00 ...), bcrypt, Argon2, LDAP.
        if (value.StartsWith("AQAAAA", StringComparison.Ordinal) || value.StartsWith("$2a$", StringComparison.Ordinal) ||
            value.StartsWith("$2b$", StringComparison.Ordinal) || value.StartsWith("$2y$", StringComparison.Ordinal) ||
            value.StartsWith("$argon2", StringComparison.Ordinal) || value.StartsWith("{SSHA}", StringComparison.OrdinalIgnoreCase) ||
            value.StartsWith("pbkdf2_", StringComparison.Ordinal))
        {
            return false;
        }

        switch (value.ToLowerInvariant())
        {
            case "true" or "false" or "none" or "null" or "yes" or "no" or "required" or "optional" or "enabled" or "disabled":
                return false;
        }

        // "ClientSecret", "DbPassword": a name of a setting, claim or vault secret, not the secret.
        if (IsLettersOnly(value) &&
            (value.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0 || value.IndexOf("secret", StringComparison.OrdinalIgnoreCase) >= 0))
        {
            return false;
        }

        var normalized = Normalize(value);
        if (normalized.Length == 0 || normalized == Normalize(targetName))
        {
            return false;
        }

        foreach (var word in IdentifierWords.Split(targetName))
        {
            if (normalized == word)
            {
                return false;
            }
        }

        // "password-reset", "current_password", "clinic-db-password": form field, autocomplete, route and vault
        // secret names, which start or end with the word. "my-super-secret-key" and "dev-secret-123" stay reported.
        if (Matches(KebabOrSnakeName, value) && !HasDigit(value))
        {
            var segments = value.Split('-', '_');
            if (IsSecretWord(segments[0]) || IsSecretWord(segments[segments.Length - 1]))
            {
                return false;
            }
        }

        // "X-Api-Key": a header name.
        return !value.StartsWith("X-", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The password of a connection string ("Host=db;Username=app;Password=s3cret"), when it has a real one: not empty,
    /// not a placeholder such as <c>${DB_PASSWORD}</c> or <c>{0}</c>.
    /// </summary>
    public static bool HasConnectionStringPassword(string text)
    {
        if (text.IndexOf('=') < 0 || text.IndexOf(';') < 0)
        {
            return false;
        }

        int pairs = 0;
        bool password = false;
        foreach (var part in text.Split(';'))
        {
            int equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            pairs++;
            var key = part.Substring(0, equals).Trim().ToLowerInvariant();
            if (key is "password" or "pwd" or "user password")
            {
                var value = part.Substring(equals + 1).Trim().Trim('\'', '"');
                password |= value.Length > 0 && !IsPlaceholder(value);
            }
        }

        return password && pairs >= 2;
    }

    /// <summary>"postgres://app:s3cret@db/clinic": a URL whose user information has a real password.</summary>
    public static bool HasUrlPassword(string text)
    {
        if (text.IndexOf("://", StringComparison.Ordinal) < 0)
        {
            return false;
        }

        var match = Match(UrlWithPassword, text);
        return match is not null && !IsPlaceholder(match.Groups["password"].Value);
    }

    /// <summary>"Bearer eyJ..." or "Basic dXNlcjpwYXNz" (base64 of "user:password").</summary>
    public static bool IsAuthorizationValue(string text)
    {
        if (text.Length < 14)
        {
            return false;
        }

        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) && !trimmed.StartsWith("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Match(BearerToken, text) is { } bearer)
        {
            var token = bearer.Groups["token"].Value;
            return token.StartsWith("eyJ", StringComparison.Ordinal) || token.Length >= 32;
        }

        return Match(BasicToken, text) is { } basic && IsBase64OfUserAndPassword(basic.Groups["token"].Value);
    }

    private static bool IsBase64OfUserAndPassword(string token)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            int colon = decoded.IndexOf(':');
            return colon > 0 && colon < decoded.Length - 1;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary><c>${X}</c>, <c>$(X)</c>, <c>{0}</c>, <c>&lt;password&gt;</c>, <c>%X%</c>, <c>#{X}#</c>, <c>__X__</c>, <c>****</c>.</summary>
    public static bool IsPlaceholder(string value)
    {
        var v = value.Trim();
        if (v.Length == 0)
        {
            return true;
        }

        if ((v.StartsWith("${", StringComparison.Ordinal) || v.StartsWith("$(", StringComparison.Ordinal) ||
             v.StartsWith("{", StringComparison.Ordinal) || v.StartsWith("#{", StringComparison.Ordinal)) &&
            (v.EndsWith("}", StringComparison.Ordinal) || v.EndsWith(")", StringComparison.Ordinal) || v.EndsWith("}#", StringComparison.Ordinal)))
        {
            return true;
        }

        if ((v.StartsWith("<", StringComparison.Ordinal) && v.EndsWith(">", StringComparison.Ordinal)) ||
            (v.Length > 2 && v.StartsWith("%", StringComparison.Ordinal) && v.EndsWith("%", StringComparison.Ordinal)) ||
            (v.Length > 4 && v.StartsWith("__", StringComparison.Ordinal) && v.EndsWith("__", StringComparison.Ordinal)))
        {
            return true;
        }

        foreach (var c in v)
        {
            if (c is not ('*' or 'x' or 'X' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSecretWord(string word) => SecurityNames.Classify(word).Kind is SecurityValue.Password or SecurityValue.Secret;

    private static bool HasDigit(string text)
    {
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLettersOnly(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    private static bool Matches(Regex regex, string text) => Match(regex, text) is not null;

    private static System.Text.RegularExpressions.Match? Match(Regex regex, string text)
    {
        try
        {
            var match = regex.Match(text);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
