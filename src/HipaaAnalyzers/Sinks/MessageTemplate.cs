using System.Collections.Generic;

namespace HipaaAnalyzers.Sinks;

/// <summary>
/// Reads structured-logging message templates ("Patient {@Patient} seen by {Doctor}"): which holes destructure
/// their argument with '@'. '{{' and '}}' are escapes.
/// </summary>
internal static class MessageTemplate
{
    /// <summary>For each hole in order, whether it destructures. Null when the template is not a constant.</summary>
    public static IReadOnlyList<bool>? Destructured(string? template)
    {
        if (template is null)
        {
            return null;
        }

        var result = new List<bool>();
        foreach (var hole in Holes(template))
        {
            result.Add(hole.Length > 0 && hole[0] == '@');
        }

        return result;
    }

    /// <summary>Lower-case names of the holes that destructure ("{@Patient}" gives "patient").</summary>
    public static HashSet<string> DestructuredNames(string template)
    {
        var result = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var hole in Holes(template))
        {
            if (hole.Length > 1 && hole[0] == '@')
            {
                var name = hole.Substring(1);
                int end = name.IndexOfAny(new[] { ':', ',' });
                result.Add((end >= 0 ? name.Substring(0, end) : name).ToLowerInvariant());
            }
        }

        return result;
    }

    private static IEnumerable<string> Holes(string template)
    {
        for (int i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
            {
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }

            int close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                yield break;
            }

            yield return template.Substring(i + 1, close - i - 1).Trim();
            i = close;
        }
    }
}
