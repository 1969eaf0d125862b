using System.Linq;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Persistence;

/// <summary>How EF Core tells an entity from an owned value: an entity has a key.</summary>
internal static class EntityKeys
{
    /// <summary>
    /// The type has a key: a property <c>Id</c> or <c>&lt;Type&gt;Id</c> (EF Core's conventions) or one marked <c>[Key]</c>. A type
    /// stored without one is an owned value object (an <c>Address</c>) whose columns live in its owner's rows.
    /// </summary>
    public static bool HasKey(INamedTypeSymbol type)
    {
        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false } property &&
                    (property.Name == "Id" || property.Name == type.Name + "Id" ||
                     property.GetAttributes().Any(a => a.AttributeClass?.Name == "KeyAttribute")))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
