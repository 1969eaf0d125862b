using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// The options of the cryptography rules for one file (<c>hipaa_analyzers.HIPAA1NN.*</c>). Invalid values are
/// collected in <see cref="Errors"/>, reported once as HIPAA900, and replaced by the default.
/// </summary>
internal sealed class CryptoOptions
{
    public const string WeakHashAllowedInKey = PhiOptions.Prefix + "HIPAA101.allowed_in";
    public const string WeakHashDefaultAllowedInKey = PhiOptions.Prefix + "HIPAA101.use_default_allowed_in";
    public const string MinRsaKeySizeKey = PhiOptions.Prefix + "HIPAA104.min_rsa_key_size";
    public const string MinEcKeySizeKey = PhiOptions.Prefix + "HIPAA104.min_ec_key_size";
    public const string MinPbkdf2IterationsKey = PhiOptions.Prefix + "HIPAA107.min_iterations";

    /// <summary>PBKDF2-HMAC-SHA256 iterations OWASP recommends; SHA-384/512 need 35 % of the configured minimum.</summary>
    public const int DefaultMinPbkdf2Iterations = 600_000;

    /// <summary>NIST SP 800-131A: RSA below 2048 bits is disallowed; a setting may raise it, never lower it.</summary>
    public const int NistMinimumRsaKeySize = 2048;

    /// <summary>NIST SP 800-131A / SP 800-186: elliptic curves below 224 bits are disallowed; HIPAA104 asks for 256.</summary>
    public const int DefaultMinimumEcKeySize = 256;

    /// <summary>The smallest value <see cref="MinEcKeySizeKey"/> accepts (the NIST floor).</summary>
    public const int NistMinimumEcKeySize = 224;

    public const int LargestKeySizeSetting = 16384;

    /// <summary>Names of methods, types and variables where MD5 and SHA-1 serve non-security identifiers.</summary>
    public const string DefaultAllowedIn =
        "checksum, etag, entity tag, cache key, content hash, content address, content id, fingerprint, dedup, dedupe, deduplicate, " +
        "deduplication, partition key, shard, guid, uuid";

    /// <summary>Every key the cryptography rules read; the docs tests check each is documented.</summary>
    public static readonly string[] AllKeys = { WeakHashAllowedInKey, WeakHashDefaultAllowedInKey, MinRsaKeySizeKey, MinEcKeySizeKey, MinPbkdf2IterationsKey };

    private static readonly string[][] DefaultAllowedPhrases = ParsePhrases(DefaultAllowedIn);

    // Declared after the phrase tables it is built from: static fields are initialized in textual order.
    public static readonly CryptoOptions Default = new(new Dictionary<string, string>());

    private static readonly ConcurrentDictionary<string, CryptoOptions> Cache = new(StringComparer.Ordinal);

    private CryptoOptions(IReadOnlyDictionary<string, string> raw)
    {
        var errors = new List<OptionError>();
        var useDefaults = ParseBool(raw, WeakHashDefaultAllowedInKey, true, errors);
        var allowed = new List<string[]>();
        if (useDefaults)
        {
            allowed.AddRange(DefaultAllowedPhrases);
        }

        if (raw.TryGetValue(WeakHashAllowedInKey, out var configured))
        {
            allowed.AddRange(ParsePhrases(configured));
        }

        AllowedIn = allowed.ToArray();
        MinRsaKeySize = ParseSize(raw, MinRsaKeySizeKey, NistMinimumRsaKeySize, NistMinimumRsaKeySize, errors);
        MinEcKeySize = ParseSize(raw, MinEcKeySizeKey, DefaultMinimumEcKeySize, NistMinimumEcKeySize, errors);
        MinPbkdf2Iterations = ParseCount(raw, MinPbkdf2IterationsKey, DefaultMinPbkdf2Iterations, errors);
        Errors = errors;
    }

    /// <summary>Name phrases (each a list of lower-case words) where HIPAA101 leaves MD5 and SHA-1 alone.</summary>
    public string[][] AllowedIn { get; }

    public int MinRsaKeySize { get; }

    public int MinEcKeySize { get; }

    /// <summary>The PBKDF2-HMAC-SHA256 iteration minimum of HIPAA107.</summary>
    public int MinPbkdf2Iterations { get; }

    public IReadOnlyList<OptionError> Errors { get; }

    /// <summary>Reads the options for one file; equal settings give the same instance.</summary>
    public static CryptoOptions Read(AnalyzerConfigOptions options)
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

        return Cache.GetOrAdd(key!.ToString(), _ => new CryptoOptions(raw));
    }

    /// <summary>Whether one of the phrases names <paramref name="identifier"/> (as whole words, any casing).</summary>
    public bool IsAllowedName(string identifier) => ContainsPhrase(identifier, AllowedIn);

    private static bool ContainsPhrase(string identifier, string[][] phrases)
    {
        if (phrases.Length == 0 || string.IsNullOrEmpty(identifier))
        {
            return false;
        }

        var words = IdentifierWords.Split(identifier);
        foreach (var phrase in phrases)
        {
            if (Matches(words, phrase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The phrase's words, joined, equal the joined words of a run of the identifier's words: "etag" matches
    /// "GetETag" (get, e, tag) and "cache key" matches "CacheKey" and "cachekey_for".
    /// </summary>
    private static bool Matches(string[] words, string[] phrase)
    {
        var joined = string.Concat(phrase);
        for (int start = 0; start < words.Length; start++)
        {
            int length = 0;
            for (int end = start; end < words.Length; end++)
            {
                var word = words[end];
                if (length + word.Length > joined.Length ||
                    string.CompareOrdinal(joined, length, word, 0, word.Length) != 0)
                {
                    break;
                }

                length += word.Length;
                if (length == joined.Length)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string[][] ParsePhrases(string list)
    {
        var result = new List<string[]>();
        foreach (var entry in list.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var words = IdentifierWords.Split(entry.Trim());
            if (words.Length > 0)
            {
                result.Add(words);
            }
        }

        return result.ToArray();
    }

    private static bool ParseBool(IReadOnlyDictionary<string, string> raw, string key, bool defaultValue, List<OptionError> errors)
    {
        if (!raw.TryGetValue(key, out var text))
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

    private static int ParseSize(IReadOnlyDictionary<string, string> raw, string key, int defaultValue, int floor, List<OptionError> errors)
    {
        if (!raw.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new OptionError(key, $"'{text}' is not a whole number of bits"));
            return defaultValue;
        }

        if (value < floor || value > LargestKeySizeSetting)
        {
            errors.Add(new OptionError(key,
                $"{value} is outside {floor.ToString(CultureInfo.InvariantCulture)}..{LargestKeySizeSetting.ToString(CultureInfo.InvariantCulture)} " +
                "(a setting may raise the NIST SP 800-131A minimum, not lower it)"));
            return defaultValue;
        }

        return value;
    }

    private static int ParseCount(IReadOnlyDictionary<string, string> raw, string key, int defaultValue, List<OptionError> errors)
    {
        if (!raw.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        if (!TryParseCount(text, out var value))
        {
            errors.Add(new OptionError(key, $"'{text}' is not a positive whole number of iterations"));
            return defaultValue;
        }

        return value;
    }

    /// <summary>"600000", "600_000" or "600,000"; a positive whole number.</summary>
    public static bool TryParseCount(string? text, out int value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        var digits = text.Trim().Replace("_", "").Replace(",", "");
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
