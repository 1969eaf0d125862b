using System;
using System.Collections.Generic;
using System.Linq;

namespace HipaaAnalyzers.Corpus;

/// <summary>One generated source file: a path relative to the project folder, its text and its line count.</summary>
public sealed class CorpusFile
{
    public CorpusFile(string path, string text, string module)
    {
        Path = path;
        Text = text;
        Module = module;
        Lines = CountLines(text);
    }

    /// <summary>Relative path with forward slashes, for example <c>Cardiology/Patients/Services/PatientService.cs</c>.</summary>
    public string Path { get; }

    public string Text { get; }

    /// <summary>The module the file belongs to (<c>Cardiology.Patients</c>), or <c>Common</c> / <c>Program</c>.</summary>
    public string Module { get; }

    public int Lines { get; }

    internal static int CountLines(string text)
    {
        var lines = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                lines++;
            }
        }

        return text.Length > 0 && text[text.Length - 1] != '\n' ? lines + 1 : lines;
    }
}

/// <summary>
/// A generated code base: an ASP.NET Core app of many modules (controllers, minimal APIs, entities, repositories,
/// services that log, background jobs, HTTP clients, some cryptography), with a realistic minority of PHI leaks.
/// It compiles against .NET 10, ASP.NET Core, Serilog and HipaaAnalyzers.Runtime, as a console application.
/// </summary>
/// <remarks>
/// For one seed, a smaller corpus is the beginning of a larger one (the same first modules, with a Program.cs of its
/// own): tests that generate a few thousand lines work on a slice of what the benchmark measures.
/// </remarks>
public sealed class GeneratedCorpus
{
    internal GeneratedCorpus(int seed, IReadOnlyList<CorpusFile> files, IReadOnlyDictionary<string, int> plantedLeaks, int modules)
    {
        Seed = seed;
        Files = files;
        PlantedLeaks = plantedLeaks;
        Modules = modules;
        Lines = files.Sum(f => f.Lines);
    }

    public int Seed { get; }

    public IReadOnlyList<CorpusFile> Files { get; }

    /// <summary>Total line count over all files.</summary>
    public int Lines { get; }

    public int Modules { get; }

    /// <summary>
    /// How many leaks were written on purpose, by the rule meant to catch each (HIPAA001 ... HIPAA004). The name
    /// heuristics may find a few more, in code written to look ordinary.
    /// </summary>
    public IReadOnlyDictionary<string, int> PlantedLeaks { get; }
}
