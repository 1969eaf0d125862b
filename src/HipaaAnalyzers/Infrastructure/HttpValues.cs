using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>How values travel in an HTTP request line: the names a route template binds, and the types bound as one text value.</summary>
internal static class HttpValues
{
    /// <summary>The value names of a route template: "ssn" from <c>{ssn}</c>, <c>{ssn:length(9)}</c>, <c>{ssn?}</c>, <c>{**ssn}</c>, <c>{ssn=0}</c>.</summary>
    public static IEnumerable<string> RouteValueNames(string template)
    {
        int from = 0;
        int start;
        while ((start = template.IndexOf('{', from)) >= 0)
        {
            var end = template.IndexOf('}', start);
            if (end < 0)
            {
                yield break;
            }

            var name = template.Substring(start + 1, end - start - 1).TrimStart('*');
            var cut = name.IndexOfAny(new[] { ':', '=', '?' });
            yield return cut >= 0 ? name.Substring(0, cut) : name;
            from = end + 1;
        }
    }

    /// <summary>A value written into a URL or header as one text: strings, characters, numbers, dates, GUIDs (also nullable).</summary>
    public static bool IsSimple(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.SpecialType is SpecialType.System_String or SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_Int32 or
                   SpecialType.System_Int64 or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or
                   SpecialType.System_Decimal or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_DateTime ||
               type.Name is "Guid" or "DateOnly" or "DateTimeOffset";
    }
}
