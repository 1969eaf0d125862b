using System;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// A name such as "date of birth". It matches an identifier when consecutive words of the identifier spell it,
/// so "DateOfBirth", "date_of_birth" and "dateofbirth" match, but "Adobe" does not match "dob".
/// </summary>
internal sealed class NamePhrase
{
    public NamePhrase(string text, string label)
    {
        Joined = string.Concat(IdentifierWords.Split(text));
        Label = label;
    }

    /// <summary>The words run together, lower case: "dateofbirth".</summary>
    public string Joined { get; }

    /// <summary>What the phrase stands for, shown in messages and the PHI inventory.</summary>
    public string Label { get; }

    /// <summary>Returns the index just past the matched words, or -1.</summary>
    public int Match(string[] words)
    {
        for (int i = 0; i < words.Length; i++)
        {
            int length = 0;
            for (int j = i; j < words.Length; j++)
            {
                string w = words[j];

                // A plural of the last word matches too: "ssns", "allergies" is listed, "diagnosisCodes".
                if (length + w.Length == Joined.Length + 1 && w[w.Length - 1] == 's' &&
                    string.CompareOrdinal(Joined, length, w, 0, w.Length - 1) == 0)
                {
                    return j + 1;
                }

                if (length + w.Length > Joined.Length ||
                    string.CompareOrdinal(Joined, length, w, 0, w.Length) != 0)
                {
                    break;
                }

                length += w.Length;
                if (length == Joined.Length)
                {
                    return j + 1;
                }
            }
        }

        return -1;
    }

    public static NamePhrase[] Parse(string? list, string label, Func<string, string>? labelOf = null)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return Array.Empty<NamePhrase>();
        }

        var parts = list!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries);
        var result = new System.Collections.Generic.List<NamePhrase>(parts.Length);
        foreach (var part in parts)
        {
            var text = part.Trim();
            if (text.Length > 0)
            {
                var phrase = new NamePhrase(text, labelOf?.Invoke(text) ?? label);
                if (phrase.Joined.Length > 0)
                {
                    result.Add(phrase);
                }
            }
        }

        return result.ToArray();
    }
}
