using System.Linq;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace HipaaAnalyzers.Tests.Infrastructure;

public class BodyCacheTests
{
    private static readonly BodyCache.Slot<object> Made = BodyCache.NewSlot<object>();

    [Fact]
    public void Every_operation_of_a_body_reaches_one_entry_whose_values_are_made_once()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            class Clinic
            {
                int Admit(int a) { var b = a + 1; return Twice(b); }
                int Discharge(int a) => Twice(a);
                static int Twice(int x) => x * 2;
            }
            """);
        var compilation = CSharpCompilation.Create("Clinic", new[] { tree }, new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
        var model = compilation.GetSemanticModel(tree);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();
        var admit = model.GetOperation(methods[0])!;
        var discharge = model.GetOperation(methods[1])!;

        var call = admit.Descendants().OfType<IInvocationOperation>().Single();
        var literal = admit.Descendants().OfType<ILiteralOperation>().Single();
        Assert.Same(BodyCache.For(admit), BodyCache.For(call));
        Assert.Same(BodyCache.For(admit), BodyCache.For(literal));
        Assert.Same(admit, BodyCache.For(call).Root);
        Assert.NotSame(BodyCache.For(admit), BodyCache.For(discharge));

        int made = 0;
        var first = BodyCache.For(call).Get(Made, root => { Interlocked.Increment(ref made); return new object(); });
        var second = BodyCache.For(literal).Get(Made, root => { Interlocked.Increment(ref made); return new object(); });
        Assert.Same(first, second);
        Assert.Equal(1, made);
        Assert.NotSame(first, BodyCache.For(discharge).Get(Made, root => new object()));
    }
}
