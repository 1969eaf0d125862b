using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// The interfaces a type implements, for questions asked by name (is it an <c>IHeaderDictionary</c>, an
/// <c>IAuthorizeData</c>, an <c>IEnumerable&lt;T&gt;</c>?). The public <c>AllInterfaces</c> builds a new array of
/// wrappers on every call, and the rules ask about the type of most calls and values they meet (a <c>List&lt;T&gt;</c>
/// has eight interfaces, an <c>int</c> or a <c>Guid</c> a dozen or more). These are the interfaces of the type's
/// definition, listed once per definition and shared by the compilations that reference it; their type arguments are
/// the definition's type parameters, so a question about the arguments asks the constructed type itself.
/// </summary>
internal static class Interfaces
{
    private static readonly ConditionalWeakTable<INamedTypeSymbol, Listed> Definitions = new();

    public static ImmutableArray<INamedTypeSymbol> Of(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return type.AllInterfaces;
        }

        var definition = named.OriginalDefinition;
        if (!Definitions.TryGetValue(definition, out var listed))
        {
            listed = Definitions.GetValue(definition, d => new Listed(d.AllInterfaces));
        }

        return listed.All;
    }

    private sealed class Listed
    {
        public Listed(ImmutableArray<INamedTypeSymbol> all) => All = all;

        public ImmutableArray<INamedTypeSymbol> All { get; }
    }
}
