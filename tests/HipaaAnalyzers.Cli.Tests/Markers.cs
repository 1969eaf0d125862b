using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>A line that must be reported with a rule: a trailing "// HIPAA001" (or "// HIPAA001, HIPAA004") comment.</summary>
public sealed record Marker(string RelativePath, int Line, string RuleId);

public static class Markers
{
    private static readonly Regex Expected = new(@"//\s*(?<rules>HIPAA\d{3}(\s*,\s*HIPAA\d{3})*)\s*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Every marker in the C# files and the configuration files (appsettings*.json, whose JSON takes // comments) under
    /// <paramref name="directory"/>, with paths relative to <paramref name="root"/>.
    /// </summary>
    public static IReadOnlyList<Marker> Read(string directory, string root)
    {
        var markers = new List<Marker>();
        var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(directory, "appsettings*.json", SearchOption.AllDirectories));
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var match = Expected.Match(lines[i]);
                if (!match.Success)
                {
                    continue;
                }

                foreach (var rule in match.Groups["rules"].Value.Split(',', StringSplitOptions.TrimEntries))
                {
                    markers.Add(new Marker(relative, i + 1, rule));
                }
            }
        }

        return markers;
    }
}
