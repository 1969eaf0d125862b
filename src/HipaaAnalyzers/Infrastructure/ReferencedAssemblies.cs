using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// The names of the assemblies a compilation references, read from the references the project passes: the file name of
/// each metadata reference (<c>Microsoft.EntityFrameworkCore</c> for
/// <c>.../microsoft.entityframeworkcore/10.0.0/lib/net10.0/Microsoft.EntityFrameworkCore.dll</c>) and the assembly name
/// of each project reference. Rules ask it in their compilation start actions to decide whether to register at all.
/// </summary>
/// <remarks>
/// <c>Compilation.ReferencedAssemblyNames</c> and <c>Compilation.References</c> would answer the same question by
/// resolving every reference of the compilation, there, at compilation start, ahead of the compiler: hundreds of
/// milliseconds on a large solution, charged to the first rule that asks (see docs/performance.md). The names are read
/// once per compilation and shared by every rule.
/// </remarks>
internal static class ReferencedAssemblies
{
    private static readonly ConditionalWeakTable<Compilation, HashSet<string>> Cache = new();

    /// <summary>Whether the compilation references an assembly of that name (case-insensitive).</summary>
    public static bool Contains(Compilation compilation, string assemblyName) => Names(compilation).Contains(assemblyName);

    /// <summary>Whether the compilation references an assembly whose name starts with <paramref name="prefix"/> (case-insensitive).</summary>
    public static bool ContainsPrefix(Compilation compilation, string prefix)
    {
        foreach (var name in NamesOf(compilation))
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The referenced assemblies' names.</summary>
    public static IReadOnlyCollection<string> NamesOf(Compilation compilation) => Names(compilation);

    /// <summary>
    /// The last few reference lists read and their names. Each keystroke in the IDE makes a new compilation with the very
    /// same references, so its names are found here instead of being read again.
    /// </summary>
    private static readonly Known?[] Recent = new Known?[8];

    private static int s_next;

    private static HashSet<string> Names(Compilation compilation) => Cache.GetValue(compilation, c =>
    {
        var references = c.ExternalReferences;
        foreach (var known in Recent)
        {
            if (known is not null && known.IsFor(references))
            {
                return known.Names;
            }
        }

        var names = Read(references);
        Volatile.Write(ref Recent[(Interlocked.Increment(ref s_next) & int.MaxValue) % Recent.Length], new Known(references, names));
        return names;
    });

    private static HashSet<string> Read(ImmutableArray<MetadataReference> references)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var reference in references)
        {
            if (reference is CompilationReference project)
            {
                if (project.Compilation.AssemblyName is { } assembly)
                {
                    names.Add(assembly);
                }
            }
            else if (reference.Display is { } display)
            {
                names.Add(FileName(display));
            }
        }

        return names;
    }

    /// <summary>A reference list (the same reference objects, in the same order) and the names read from it.</summary>
    private sealed class Known
    {
        private readonly ImmutableArray<MetadataReference> _references;

        public Known(ImmutableArray<MetadataReference> references, HashSet<string> names)
        {
            _references = references;
            Names = names;
        }

        public HashSet<string> Names { get; }

        public bool IsFor(ImmutableArray<MetadataReference> references)
        {
            if (references.Length != _references.Length)
            {
                return false;
            }

            for (int i = 0; i < references.Length; i++)
            {
                if (!ReferenceEquals(references[i], _references[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary><c>xunit.core</c> for <c>/root/.nuget/packages/xunit.extensibility.core/2.9.3/lib/netstandard1.1/xunit.core.dll</c>.</summary>
    private static string FileName(string display)
    {
        var start = Math.Max(display.LastIndexOf('/'), display.LastIndexOf('\\')) + 1;
        var name = display.Substring(start);
        return name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? name.Substring(0, name.Length - 4) : name;
    }
}
