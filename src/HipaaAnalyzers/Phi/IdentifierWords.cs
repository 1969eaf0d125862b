using System;
using System.Collections.Generic;
using System.Linq;

namespace HipaaAnalyzers.Phi;

/// <summary>Splits identifiers into lower-case words: "PatientSSN" -> patient, ssn; "date_of_birth" -> date, of, birth.</summary>
internal static class IdentifierWords
{
    /// <summary>A C# identifier as written: a letter or underscore, then letters, digits and underscores.</summary>
    public static bool IsIdentifier(string value)
    {
        if (value.Length == 0 || !(char.IsLetter(value[0]) || value[0] == '_'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static string[] Split(string identifier)
    {
        var words = new List<string>(4);
        int start = -1;
        for (int i = 0; i < identifier.Length; i++)
        {
            char c = identifier[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(identifier, ref start, i, words);
                continue;
            }

            if (start >= 0 && IsBoundary(identifier, i))
            {
                Flush(identifier, ref start, i, words);
            }

            if (start < 0)
            {
                start = i;
            }
        }

        Flush(identifier, ref start, identifier.Length, words);

        // "m_ssn" and "_ssn" field prefixes carry no meaning.
        if (words.Count > 1 && words[0] == "m" && identifier.StartsWith("m_", System.StringComparison.Ordinal))
        {
            words.RemoveAt(0);
        }

        return words.ToArray();
    }

    /// <summary>
    /// The last word of <see cref="Split"/>, lower-case, found from the end without splitting the rest:
    /// "PatientService" -> "service", "Patients_API" -> "api"; null when the identifier has no letter or digit.
    /// </summary>
    public static string? LastWord(string identifier) =>
        LastWordSpan(identifier, out int start, out int end) ? identifier.Substring(start, end - start).ToLowerInvariant() : null;

    /// <summary>
    /// Whether the last word of <paramref name="identifier"/> (<see cref="LastWord"/>) is one of <paramref name="words"/>,
    /// compared in place for an ASCII word: this is asked for the name of every type a handler takes or returns.
    /// </summary>
    public static bool LastWordIsOneOf(string identifier, WordSet words)
    {
        if (!LastWordSpan(identifier, out int start, out int end))
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            if (identifier[i] > 0x7F)
            {
                // Beyond ASCII, lower-casing is the host runtime's rule: the allocating path decides.
                return words.Contains(identifier.Substring(start, end - start).ToLowerInvariant());
            }
        }

        return words.ContainsAsciiIgnoringCase(identifier, start, end - start);
    }

    /// <summary>Lower-case ASCII words, found by length and then compared in place.</summary>
    public sealed class WordSet
    {
        private readonly HashSet<string> _words;
        private readonly string[][] _byLength;

        public WordSet(IEnumerable<string> words)
        {
            _words = new HashSet<string>(words, StringComparer.Ordinal);
            if (_words.Any(w => w.Length == 0 || w.Any(c => c > 0x7F || char.IsUpper(c))))
            {
                throw new ArgumentException("The words must be lower-case ASCII and not empty.", nameof(words));
            }

            _byLength = new string[_words.Max(w => w.Length) + 1][];
            for (int length = 0; length < _byLength.Length; length++)
            {
                _byLength[length] = _words.Where(w => w.Length == length).ToArray();
            }
        }

        public bool Contains(string word) => _words.Contains(word);

        /// <summary>Whether the ASCII text at <paramref name="start"/> is one of the words in any case.</summary>
        public bool ContainsAsciiIgnoringCase(string text, int start, int length)
        {
            if (length >= _byLength.Length)
            {
                return false;
            }

            foreach (var word in _byLength[length])
            {
                if (string.Compare(text, start, word, 0, length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Where the last word of <paramref name="identifier"/> starts and ends; false when it has no letter or digit.</summary>
    private static bool LastWordSpan(string identifier, out int start, out int end)
    {
        end = identifier.Length;
        while (end > 0 && !char.IsLetterOrDigit(identifier[end - 1]))
        {
            end--;
        }

        start = end - 1;
        if (end == 0)
        {
            return false;
        }

        while (start > 0 && char.IsLetterOrDigit(identifier[start - 1]) && !IsBoundary(identifier, start))
        {
            start--;
        }

        return true;
    }

    private static bool IsBoundary(string s, int i)
    {
        char prev = s[i - 1];
        char c = s[i];
        if (char.IsDigit(c) != char.IsDigit(prev))
        {
            return true;
        }

        if (char.IsUpper(c) && char.IsLower(prev))
        {
            return true;
        }

        // "SSNNumber": the last capital of a run starts the next word when a lower-case letter follows.
        return char.IsUpper(c) && char.IsUpper(prev) && i + 1 < s.Length && char.IsLower(s[i + 1]);
    }

    private static void Flush(string s, ref int start, int end, List<string> words)
    {
        if (start >= 0 && end > start)
        {
            words.Add(s.Substring(start, end - start).ToLowerInvariant());
        }

        start = -1;
    }
}
