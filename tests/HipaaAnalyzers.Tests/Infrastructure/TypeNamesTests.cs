using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HipaaAnalyzers.Tests.Infrastructure;

public class TypeNamesTests
{
    private const string Source = """
        namespace System.Net.Http { public class Client { } }
        namespace Net.Http { public class Client { } }
        namespace XSystem.Net { public class Client { } }
        namespace System.Net { public class Client { } }
        public class Global { }
        public class Counter<T> { }
        namespace Clinic { public class Counter { } public class Counter<T> { } public class Counter<T1, T2> { public class Inner { } } }
        """;

    [Theory]
    [InlineData("System.Net.Http.Client", "System.Net.Http", true)]
    [InlineData("System.Net.Http.Client", "System.Net", false)]
    [InlineData("System.Net.Http.Client", "Net.Http", false)]
    [InlineData("System.Net.Http.Client", "System.Net.Http.Client", false)]
    [InlineData("System.Net.Http.Client", ".System.Net.Http", false)]
    [InlineData("System.Net.Http.Client", "System..Net.Http", false)]
    [InlineData("Net.Http.Client", "System.Net.Http", false)]
    [InlineData("Net.Http.Client", "Net.Http", true)]
    [InlineData("XSystem.Net.Client", "System.Net", false)]
    [InlineData("System.Net.Client", "XSystem.Net", false)]
    [InlineData("System.Net.Client", "System.Net", true)]
    [InlineData("Global", "", false)]
    [InlineData("Global", "System", false)]
    public void IsInNamespace_compares_every_segment(string type, string dotted, bool expected) =>
        Assert.Equal(expected, TypeNames.IsInNamespace(NamespaceOf(type), dotted));

    [Theory]
    [InlineData("System.Net.Http.Client", "System.Net", true)]
    [InlineData("System.Net.Http.Client", "System", true)]
    [InlineData("System.Net.Http.Client", "Net", false)]
    [InlineData("XSystem.Net.Client", "System", false)]
    [InlineData("Global", "System", false)]
    public void IsInOrUnderNamespace_accepts_a_namespace_inside(string type, string dotted, bool expected) =>
        Assert.Equal(expected, TypeNames.IsInOrUnderNamespace(NamespaceOf(type), dotted));

    [Theory]
    [InlineData("Clinic.Counter", "Clinic.Counter", true)]
    [InlineData("Clinic.Counter", "Clinic.Counter`1", false)]
    [InlineData("Clinic.Counter`1", "Clinic.Counter`1", true)]
    [InlineData("Clinic.Counter`1", "Clinic.Counter", false)]
    [InlineData("Clinic.Counter`1", "Clinic.Counter`2", false)]
    [InlineData("Clinic.Counter`1", "Clinic.Counter`", false)]
    [InlineData("Clinic.Counter`1", "Clinic.Counter`x", false)]
    [InlineData("Clinic.Counter`2", "Clinic.Counter`2", true)]
    [InlineData("Clinic.Counter`2+Inner", "Clinic.Inner", false)]
    [InlineData("Counter`1", "Counter`1", true)]
    [InlineData("Counter`1", "Clinic.Counter`1", false)]
    [InlineData("Clinic.Counter`1", "Counter`1", false)]
    [InlineData("Global", "Global", true)]
    [InlineData("System.Net.Client", "System.Net.Client", true)]
    [InlineData("System.Net.Client", "System.Net.Http.Client", false)]
    [InlineData("System.Net.Http.Client", "System.Net.Client", false)]
    public void Is_compares_the_full_metadata_name(string type, string fullName, bool expected)
    {
        var compilation = CSharpCompilation.Create("Names", new[] { CSharpSyntaxTree.ParseText(Source) });
        Assert.Equal(expected, TypeNames.Is(compilation.GetTypeByMetadataName(type), fullName));
    }

    private static INamespaceSymbol NamespaceOf(string metadataName)
    {
        var compilation = CSharpCompilation.Create("Names", new[] { CSharpSyntaxTree.ParseText(Source) });
        return compilation.GetTypeByMetadataName(metadataName)!.ContainingNamespace;
    }
}
