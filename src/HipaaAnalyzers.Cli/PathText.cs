using System;
using System.IO;

namespace HipaaAnalyzers.Cli;

/// <summary>Paths as the reports show them: relative to the source root, with '/' separators.</summary>
public static class PathText
{
    public static string? Relative(string root, string? path)
    {
        if (string.IsNullOrEmpty(path) || string.IsNullOrEmpty(root))
        {
            return null;
        }

        var relative = Path.GetRelativePath(root, Path.GetFullPath(path));
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The root of the git work tree that holds <paramref name="directory"/>, or null.</summary>
    public static string? GitRoot(string directory)
    {
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            var git = Path.Combine(d.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return d.FullName;
            }
        }

        return null;
    }
}
