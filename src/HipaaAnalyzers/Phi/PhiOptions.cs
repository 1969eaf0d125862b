using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// The PHI model's settings for one file, read from .editorconfig / .globalconfig as <c>hipaa_analyzers.*</c>.
/// Invalid values are collected in <see cref="Errors"/> (reported once as HIPAA900) and ignored.
/// </summary>
internal sealed class PhiOptions
{
    public const string Prefix = "hipaa_analyzers.";
    public const string PhiNamesKey = Prefix + "phi_names";
    public const string WeakPhiNamesKey = Prefix + "weak_phi_names";
    public const string NotPhiNamesKey = Prefix + "not_phi_names";
    public const string PersonTypeNamesKey = Prefix + "person_type_names";
    public const string NonPatientTypeNamesKey = Prefix + "non_patient_type_names";
    public const string PhiNamePatternKey = Prefix + "phi_name_pattern";
    public const string NotPhiNamePatternKey = Prefix + "not_phi_name_pattern";
    public const string SanitizersKey = Prefix + "sanitizers";
    public const string NameHeuristicsKey = Prefix + "name_heuristics";
    public const string AuditTypesKey = Prefix + "audit_types";

    /// <summary>Every key the PHI model reads; the docs test checks each is documented.</summary>
    public static readonly string[] AllKeys =
    {
        PhiNamesKey, WeakPhiNamesKey, NotPhiNamesKey, PersonTypeNamesKey, NonPatientTypeNamesKey, PhiNamePatternKey, NotPhiNamePatternKey,
        SanitizersKey, NameHeuristicsKey, AuditTypesKey,
    };

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    public static readonly PhiOptions Default = new(new Dictionary<string, string>());

    private PhiOptions(IReadOnlyDictionary<string, string> raw)
    {
        var errors = new List<OptionError>();
        StrongNames = Concat(ParseLabelled(PhiNameDefaults.Strong), NamePhrase.Parse(Get(raw, PhiNamesKey), "configured PHI name"));
        WeakNames = Concat(ParseLabelled(PhiNameDefaults.Weak), NamePhrase.Parse(Get(raw, WeakPhiNamesKey), "configured weak PHI name"));
        NotPhiNames = NamePhrase.Parse(Get(raw, NotPhiNamesKey), "configured not-PHI name");
        PersonTypeWords = new HashSet<string>(SplitWords(PhiNameDefaults.PersonTypeWords), StringComparer.Ordinal);
        foreach (var phrase in NamePhrase.Parse(Get(raw, PersonTypeNamesKey), "person type"))
        {
            PersonTypeWords.Add(phrase.Joined);
        }

        NonPatientTypeWords = new HashSet<string>(SplitWords(PhiNameDefaults.NonPatientTypeWords), StringComparer.Ordinal);
        foreach (var phrase in NamePhrase.Parse(Get(raw, NonPatientTypeNamesKey), "non-patient type"))
        {
            NonPatientTypeWords.Add(phrase.Joined);
        }

        IdentityLabels = new HashSet<string>(SplitWords(PhiNameDefaults.IdentityLabels), StringComparer.Ordinal);
        NeutralWords = new HashSet<string>(SplitWords(PhiNameDefaults.NeutralWords), StringComparer.Ordinal);
        ThingWords = new HashSet<string>(SplitWords(PhiNameDefaults.ThingWords), StringComparer.Ordinal);
        PhiNamePattern = ParseRegex(raw, PhiNamePatternKey, errors);
        NotPhiNamePattern = ParseRegex(raw, NotPhiNamePatternKey, errors);
        Sanitizers = ParseSanitizers(raw, errors);
        NameHeuristics = ParseBool(raw, NameHeuristicsKey, defaultValue: true, errors);
        AuditTypes = ParseAuditTypes(raw, errors);
        Errors = errors;
    }

    public NamePhrase[] StrongNames { get; }
    public NamePhrase[] WeakNames { get; }
    public NamePhrase[] NotPhiNames { get; }
    public HashSet<string> PersonTypeWords { get; }
    public HashSet<string> NeutralWords { get; }

    /// <summary>Words that make a type about staff or a catalog entry rather than a patient (Doctor, DrugProduct).</summary>
    public HashSet<string> NonPatientTypeWords { get; }

    /// <summary>Labels of strong names that identify a person (date of birth, SSN) rather than describe their health.</summary>
    public HashSet<string> IdentityLabels { get; }
    public HashSet<string> ThingWords { get; }
    public Regex? PhiNamePattern { get; }
    public Regex? NotPhiNamePattern { get; }

    /// <summary>Configured sanitizers as "Type.Method" or "Namespace.Type.Method".</summary>
    public IReadOnlyList<string> Sanitizers { get; }

    public bool NameHeuristics { get; }

    /// <summary>
    /// Types the endpoint model treats as audit types besides those whose name has the word "audit": simple names
    /// ("AccessRecorder") or full names ("Acme.Compliance.AccessRecorder").
    /// </summary>
    public IReadOnlyList<string> AuditTypes { get; }

    public IReadOnlyList<OptionError> Errors { get; }

    /// <summary>Reads the options for one file. Equal settings give the same instance, so per-options caches are shared.</summary>
    public static PhiOptions Read(AnalyzerConfigOptions options, Func<string, PhiOptions?> cacheLookup, Action<string, PhiOptions> cacheStore)
    {
        Dictionary<string, string>? raw = null;
        StringBuilder? key = null;
        foreach (var k in AllKeys)
        {
            if (options.TryGetValue(k, out var value))
            {
                raw ??= new Dictionary<string, string>(StringComparer.Ordinal);
                raw[k] = value;
                key ??= new StringBuilder();
                key.Append(k).Append('\u0001').Append(value).Append('\u0002');
            }
        }

        if (raw is null)
        {
            return Default;
        }

        var cacheKey = key!.ToString();
        var cached = cacheLookup(cacheKey);
        if (cached is not null)
        {
            return cached;
        }

        var parsed = new PhiOptions(raw);
        cacheStore(cacheKey, parsed);
        return parsed;
    }

    public bool IsSanitizerName(string typeName, string fullTypeName, string methodName)
    {
        foreach (var s in Sanitizers)
        {
            int dot = s.LastIndexOf('.');
            if (s.Length - dot - 1 == methodName.Length &&
                string.CompareOrdinal(s, dot + 1, methodName, 0, methodName.Length) == 0)
            {
                var typePart = s.Substring(0, dot);
                if (typePart == typeName || typePart == fullTypeName)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public bool MatchesRegex(Regex? regex, string identifier)
    {
        if (regex is null)
        {
            return false;
        }

        try
        {
            return regex.IsMatch(identifier);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string? Get(IReadOnlyDictionary<string, string> raw, string key) =>
        raw.TryGetValue(key, out var v) ? v : null;

    private static NamePhrase[] ParseLabelled(string list)
    {
        var result = new List<NamePhrase>();
        foreach (var entry in list.Split(','))
        {
            var parts = entry.Split('=');
            var phrase = parts[0].Trim();
            if (phrase.Length > 0)
            {
                result.Add(new NamePhrase(phrase, parts.Length > 1 ? parts[1].Trim() : phrase));
            }
        }

        return result.ToArray();
    }

    private static IEnumerable<string> SplitWords(string list)
    {
        foreach (var w in list.Split(','))
        {
            var t = w.Trim();
            if (t.Length > 0)
            {
                yield return t;
            }
        }
    }

    private static NamePhrase[] Concat(NamePhrase[] a, NamePhrase[] b)
    {
        if (b.Length == 0)
        {
            return a;
        }

        var result = new NamePhrase[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }

    private static Regex? ParseRegex(IReadOnlyDictionary<string, string> raw, string key, List<OptionError> errors)
    {
        var text = Get(raw, key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return new Regex(text!.Trim(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException ex)
        {
            errors.Add(new OptionError(key, $"'{text}' is not a valid regular expression ({ex.Message})"));
            return null;
        }
    }

    private static bool ParseBool(IReadOnlyDictionary<string, string> raw, string key, bool defaultValue, List<OptionError> errors)
    {
        var text = Get(raw, key);
        if (text is null)
        {
            return defaultValue;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors.Add(new OptionError(key, $"'{text}' is not one of the allowed values 'true' or 'false'"));
                return defaultValue;
        }
    }

    private static IReadOnlyList<string> ParseSanitizers(IReadOnlyDictionary<string, string> raw, List<OptionError> errors) =>
        ParseDottedNames(raw, SanitizersKey, minimumSegments: 2, "a method name of the form 'Type.Method' or 'Namespace.Type.Method'", errors);

    private static IReadOnlyList<string> ParseAuditTypes(IReadOnlyDictionary<string, string> raw, List<OptionError> errors) =>
        ParseDottedNames(raw, AuditTypesKey, minimumSegments: 1, "a type name of the form 'Type' or 'Namespace.Type'", errors);

    /// <summary>A comma- or semicolon-separated list of dotted names; an entry that is not one is reported and skipped, repeats are dropped.</summary>
    private static IReadOnlyList<string> ParseDottedNames(
        IReadOnlyDictionary<string, string> raw, string key, int minimumSegments, string expected, List<OptionError> errors)
    {
        var text = Get(raw, key);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Array.Empty<string>();
        }

        var result = new List<string>();
        foreach (var part in text!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = part.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (!IsDottedName(entry, minimumSegments))
            {
                errors.Add(new OptionError(key, $"'{entry}' is not {expected}"));
                continue;
            }

            if (!result.Contains(entry))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    private static bool IsDottedName(string entry, int minimumSegments)
    {
        var segments = entry.Split('.');
        if (segments.Length < minimumSegments)
        {
            return false;
        }

        foreach (var segment in segments)
        {
            if (!IdentifierWords.IsIdentifier(segment))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A configuration value that could not be used.</summary>
internal readonly struct OptionError
{
    public OptionError(string key, string problem)
    {
        Key = key;
        Problem = problem;
    }

    public string Key { get; }
    public string Problem { get; }
}
