using System.Text;
using HipaaAnalyzers.Phi;

namespace HipaaAnalyzers.Secrets;

/// <summary>
/// The configuration key a fix reads a secret from ("ConnectionStrings:Clinic", "Smtp:Password", "Jwt:SigningKey"),
/// chosen by the analyzer from the names around the secret and handed to the fix in the diagnostic's properties.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Diagnostic property holding the key.</summary>
    public const string Property = "ConfigurationKey";

    /// <summary>"ClinicDbConnectionString" gives "ConnectionStrings:ClinicDb"; "ConnectionString" or none gives "ConnectionStrings:Default".</summary>
    public static string ForConnectionString(string? symbolName)
    {
        var name = Pascal(symbolName, drop: new[] { "connection", "string", "conn", "str", "cs" });
        return "ConnectionStrings:" + (name.Length == 0 ? "Default" : name);
    }

    /// <summary>
    /// A member of <c>SmtpOptions</c> named <c>Password</c> gives "Smtp:Password"; anything else "Secrets:" and its
    /// name ("dbPassword" gives "Secrets:DbPassword").
    /// </summary>
    public static string ForSecret(string name, string? containingTypeName)
    {
        var key = Pascal(name, drop: null);
        if (key.Length == 0)
        {
            key = "Password";
        }

        var section = containingTypeName is null
            ? string.Empty
            : Pascal(containingTypeName, drop: new[] { "options", "settings", "setting", "config", "configuration", "credentials", "credential" });
        return (section.Length == 0 ? "Secrets" : section) + ":" + key;
    }

    /// <summary>"_aesKey" gives "Keys:AesKey".</summary>
    public static string ForKey(string? symbolName, string fallback)
    {
        var name = Pascal(symbolName, drop: null);
        return "Keys:" + (name.Length == 0 || name is "Key" or "Keys" or "Bytes" or "KeyBytes" ? fallback : name);
    }

    /// <summary>"ConnectionStrings:Default" gives "ConnectionStrings__Default", the environment variable ASP.NET Core's configuration maps to it.</summary>
    public static string ToEnvironmentVariable(string key) => key.Replace(":", "__");

    /// <summary>The identifier's words in PascalCase, leaving out the trailing words in <paramref name="drop"/>.</summary>
    private static string Pascal(string? identifier, string[]? drop)
    {
        if (identifier is null)
        {
            return string.Empty;
        }

        var words = IdentifierWords.Split(identifier);
        int count = words.Length;
        while (drop is not null && count > 0 && System.Array.IndexOf(drop, words[count - 1]) >= 0)
        {
            count--;
        }

        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            var w = words[i];
            sb.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1);
        }

        return sb.ToString();
    }
}
