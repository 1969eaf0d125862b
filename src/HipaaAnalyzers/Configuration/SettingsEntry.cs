using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Configuration;

/// <summary>
/// One value of a configuration file under the key the application reads it with (<c>ConnectionStrings:Clinic</c>,
/// <c>Jwt:Key</c>), with the span of the value in the file.
/// </summary>
internal sealed class SettingsEntry
{
    public SettingsEntry(string key, string name, string value, bool isString, TextSpan span)
    {
        Key = key;
        Name = name;
        Value = value;
        IsString = isString;
        Span = span;
    }

    /// <summary>The full configuration key, sections joined by ':'.</summary>
    public string Key { get; }

    /// <summary>The last segment of the key ("Password" of "Smtp:Password").</summary>
    public string Name { get; }

    /// <summary>The value as the application reads it: unescaped text, or the literal of a number or boolean.</summary>
    public string Value { get; }

    /// <summary>Written as a string (in quotes, or an XML attribute), not a number, boolean or null.</summary>
    public bool IsString { get; }

    /// <summary>Where the value is written, quotes included.</summary>
    public TextSpan Span { get; }

    /// <summary>The segment before <see cref="Name"/> ("Jwt" of "Jwt:Key"), or empty at the top level.</summary>
    public string Section
    {
        get
        {
            var end = Key.Length - Name.Length - 1;
            if (end <= 0)
            {
                return string.Empty;
            }

            var start = Key.LastIndexOf(':', end - 1);
            return Key.Substring(start + 1, end - start - 1);
        }
    }
}

/// <summary>What reading a configuration file gave: its entries, or the first place it stops making sense.</summary>
internal sealed class SettingsReadResult
{
    private SettingsReadResult(IReadOnlyList<SettingsEntry> entries, string? error, TextSpan errorSpan)
    {
        Entries = entries;
        Error = error;
        ErrorSpan = errorSpan;
    }

    public IReadOnlyList<SettingsEntry> Entries { get; }

    /// <summary>Why the file cannot be read, or null.</summary>
    public string? Error { get; }

    public TextSpan ErrorSpan { get; }

    public static SettingsReadResult Success(IReadOnlyList<SettingsEntry> entries) => new(entries, null, default);

    public static SettingsReadResult Failure(string error, TextSpan span) => new(System.Array.Empty<SettingsEntry>(), error, span);
}
