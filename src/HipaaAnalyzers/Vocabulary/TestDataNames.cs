using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Vocabulary;

/// <summary>
/// Words that mark test data, fakes and simulations ("FakeUserFactory", "SeedData", "ChartSimulator"): values made there are
/// meant to be predictable and protect nothing.
/// </summary>
internal static class TestDataNames
{
    private static readonly HashSet<string> Words = new(System.StringComparer.Ordinal)
    {
        "fake", "faker", "fakes", "mock", "mocks", "stub", "stubs", "dummy", "seed", "seeder", "seeding", "fixture",
        "fixtures", "test", "tests", "testing", "demo", "simulation", "simulator", "simulate", "bogus", "sample", "samples",
    };

    /// <summary>Whether the code sits in a test-data, fake or simulation method, type or namespace.</summary>
    public static bool Contains(ISymbol? symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current is INamespaceSymbol { IsGlobalNamespace: true })
            {
                break;
            }

            if (current is IMethodSymbol or INamedTypeSymbol or INamespaceSymbol)
            {
                foreach (var word in IdentifierWords.Split(current.Name))
                {
                    if (Words.Contains(word))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
