using System.Linq;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HipaaAnalyzers.Tests.Infrastructure;

public class InterfacesTests
{
    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Clinic",
        new[] { CSharpSyntaxTree.ParseText(source) },
        new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });

    [Fact]
    public void A_constructed_type_is_answered_from_its_definition_listed_once()
    {
        var compilation = Compile("""
            using System.Collections.Generic;
            public sealed class Patient { }
            public sealed class Ward : List<Patient> { }
            public static class Uses { public static List<Patient> All() => new(); }
            """);
        var all = (INamedTypeSymbol)((IMethodSymbol)compilation.GetTypeByMetadataName("Uses")!.GetMembers("All").Single()).ReturnType;

        var interfaces = Interfaces.Of(all);

        Assert.Contains(interfaces, i => i.Name == "IEnumerable" && i.Arity == 1);
        Assert.Contains(interfaces, i => i.Name == "IList" && i.Arity == 1);
        // The same list for every construction of the definition, where AllInterfaces builds a new array at each call.
        Assert.True(interfaces == Interfaces.Of(all.OriginalDefinition.Construct(compilation.GetSpecialType(SpecialType.System_Int32))));
        Assert.False(all.AllInterfaces == all.AllInterfaces);

        // A type of the source that derives from the collection lists the base's interfaces too.
        var ward = compilation.GetTypeByMetadataName("Ward")!;
        Assert.Contains(Interfaces.Of(ward), i => i.Name == "IReadOnlyList");
    }

    [Fact]
    public void Types_without_a_definition_of_their_own_answer_as_they_are()
    {
        var compilation = Compile("public static class Uses { public static int[] Ids() => new int[0]; }");
        var ids = ((IMethodSymbol)compilation.GetTypeByMetadataName("Uses")!.GetMembers("Ids").Single()).ReturnType;

        Assert.Contains(Interfaces.Of(ids), i => i.Name == "IEnumerable" && i.Arity == 1);
    }
}
