using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;

namespace HipaaAnalyzers.Tests.Fuzzing;

/// <summary>
/// Shrinks a failing input while it keeps failing the same way (Zeller's ddmin): first whole lines, then tokens with
/// their trivia. Bounded by a number of attempts, so a slow check cannot make the report wait for ever.
/// </summary>
internal static class DeltaDebugger
{
    public static async Task<string> MinimizeAsync(string input, Func<string, Task<bool>> stillFails, int maxAttempts = 600)
    {
        var attempts = 0;
        async Task<bool> Test(IEnumerable<string> parts)
        {
            attempts++;
            return await stillFails(string.Concat(parts));
        }

        var lines = SplitLines(input);
        lines = await DdMinAsync(lines, Test, () => attempts < maxAttempts);
        var tokens = CSharpSyntaxTree.ParseText(string.Concat(lines)).GetRoot().DescendantTokens(descendIntoTrivia: false)
            .Select(t => t.ToFullString())
            .ToList();
        if (string.Concat(tokens) == string.Concat(lines))
        {
            lines = await DdMinAsync(tokens, Test, () => attempts < maxAttempts);
        }

        return string.Concat(lines);
    }

    private static async Task<List<string>> DdMinAsync(List<string> parts, Func<IEnumerable<string>, Task<bool>> fails, Func<bool> mayContinue)
    {
        var granularity = 2;
        while (parts.Count >= 2 && mayContinue())
        {
            var chunk = (int)Math.Ceiling(parts.Count / (double)granularity);
            var reduced = false;
            for (var start = 0; start < parts.Count && mayContinue(); start += chunk)
            {
                var complement = parts.Take(start).Concat(parts.Skip(start + chunk)).ToList();
                if (await fails(complement))
                {
                    parts = complement;
                    granularity = Math.Max(granularity - 1, 2);
                    reduced = true;
                    break;
                }
            }

            if (!reduced)
            {
                if (granularity >= parts.Count)
                {
                    break;
                }

                granularity = Math.Min(parts.Count, granularity * 2);
            }
        }

        // A lone remaining part may be removable too.
        if (parts.Count == 1 && mayContinue() && await fails(Array.Empty<string>()))
        {
            parts.Clear();
        }

        return parts;
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text.Substring(start, i - start + 1));
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text.Substring(start));
        }

        return lines;
    }
}
