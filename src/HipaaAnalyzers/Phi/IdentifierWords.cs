using System.Collections.Generic;

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
    public static string? LastWord(string identifier)
    {
        int end = identifier.Length;
        while (end > 0 && !char.IsLetterOrDigit(identifier[end - 1]))
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        int start = end - 1;
        while (start > 0 && char.IsLetterOrDigit(identifier[start - 1]) && !IsBoundary(identifier, start))
        {
            start--;
        }

        return identifier.Substring(start, end - start).ToLowerInvariant();
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
