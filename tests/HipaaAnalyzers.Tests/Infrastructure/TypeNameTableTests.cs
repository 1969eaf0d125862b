using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HipaaAnalyzers.Tests.Infrastructure;

public class TypeNameTableTests
{
    private const string Source = """
        namespace System.Diagnostics.Metrics
        {
            public class Counter<T> { }
            public class Histogram<T> { }
            public class Meter { public class Counter { } }
        }

        namespace Clinic.Metrics
        {
            public class Counter<T> { }
            public class Meter { }
        }

        namespace Clinic
        {
            public class Counter { }
            public class Counter<T1, T2> { }
            public class Ledger { }
        }
        """;

    private static readonly TypeNameTable<string> Table = CreateTable();

    private static TypeNameTable<string> CreateTable()
    {
        var table = new TypeNameTable<string>();
        table.GetOrAdd("System.Diagnostics.Metrics.Counter`1", () => "metric counter");
        table.GetOrAdd("System.Diagnostics.Metrics.Meter", () => "meter");
        table.GetOrAdd("Clinic.Counter", () => "clinic counter");
        return table;
    }

    [Theory]
    [InlineData("System.Diagnostics.Metrics.Counter`1", "metric counter")]
    [InlineData("System.Diagnostics.Metrics.Meter", "meter")]
    [InlineData("Clinic.Counter", "clinic counter")]
    [InlineData("Clinic.Counter`2", null)]
    [InlineData("Clinic.Metrics.Counter`1", null)]
    [InlineData("Clinic.Metrics.Meter", null)]
    [InlineData("System.Diagnostics.Metrics.Histogram`1", null)]
    [InlineData("System.Diagnostics.Metrics.Meter+Counter", null)]
    [InlineData("Clinic.Ledger", null)]
    public void Finds_a_type_by_its_name_arity_and_namespace(string metadataName, string? expected)
    {
        var compilation = CSharpCompilation.Create("Table", new[] { CSharpSyntaxTree.ParseText(Source) });
        var type = compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);

        bool found = Table.TryGet(type, out var value);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected, found ? value : null);
    }

    [Fact]
    public void A_constructed_type_is_found_like_its_definition()
    {
        var compilation = CSharpCompilation.Create(
            "Table", new[] { CSharpSyntaxTree.ParseText(Source) }, new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
        var counter = compilation.GetTypeByMetadataName("System.Diagnostics.Metrics.Counter`1")!;
        var constructed = counter.Construct(compilation.GetSpecialType(SpecialType.System_Int32));

        Assert.True(Table.TryGet(constructed, out var value));
        Assert.Equal("metric counter", value);
    }

    [Fact]
    public void The_same_name_added_twice_keeps_the_first_value()
    {
        var table = new TypeNameTable<string>();
        Assert.Equal("first", table.GetOrAdd("Clinic.Counter", () => "first"));
        Assert.Equal("first", table.GetOrAdd("Clinic.Counter", () => "second"));
        Assert.Equal("generic", table.GetOrAdd("Clinic.Counter`2", () => "generic"));
    }
}
