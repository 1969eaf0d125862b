using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HipaaAnalyzers.Tests.Infrastructure;

public class TypeEndOperationsTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;

        public class Base { public Base() { } public Base(int x) { } }
        public class NoteAttribute : Attribute { public string Text { get; set; } }

        public class PatientDto
        {
            [Note(Text = "shown on the chart")] public string Name { get; set; }
            [Obsolete] public int Age { get; set; }
            public int Visits;
            public event EventHandler Changed;
        }

        public abstract partial class Store { public abstract void Save(); partial void Nothing(); }
        public record PatientRecord(string Name);
        public class WithInitializer { public List<int> Items { get; set; } = new List<int>(); }
        public class WithFieldInitializer { private static readonly object Gate = new object(); }
        public class WithMethod { public void Admit() { var list = new List<string>(); } }
        public class WithExpressionProperty { public object Now => new object(); }
        public class WithAccessor { private int _x; public int X { get { return _x; } set { _x = value; } } }
        public class WithBaseCall : Base { public WithBaseCall() : base(1) { } }
        public class WithPrimaryBase(int x) : Base(x) { }
        public class Outer
        {
            public int Id { get; set; }
            public class Inner { public object Make() => new Exception("inner"); }
        }
        public partial class Split { public int Id { get; set; } }
        public partial class Split { public object Make() => new Exception("split"); }
        """;

    [Theory]
    [InlineData("PatientDto", false)]
    [InlineData("Store", false)]
    [InlineData("PatientRecord", false)]
    [InlineData("Outer", false)]
    [InlineData("WithInitializer", true)]
    [InlineData("WithFieldInitializer", true)]
    [InlineData("WithMethod", true)]
    [InlineData("WithExpressionProperty", true)]
    [InlineData("WithAccessor", true)]
    [InlineData("WithBaseCall", true)]
    [InlineData("WithPrimaryBase", true)]
    [InlineData("Inner", true)]
    [InlineData("Split", true)]
    public void A_type_holds_code_when_a_declaration_of_its_own_has_a_body_an_initializer_or_a_base_call(string name, bool expected)
    {
        var compilation = Compile();
        var type = compilation.GetSymbolsWithName(name, SymbolFilter.Type).OfType<INamedTypeSymbol>().Single();

        Assert.Equal(expected, TypeEndOperations.HoldsCode(type, CancellationToken.None));
        // The second answer comes from what the first one kept.
        Assert.Equal(expected, TypeEndOperations.HoldsCode(type, CancellationToken.None));
    }

    [Fact]
    public async Task Every_operation_is_judged_once_as_a_plain_operation_action_sees_it_whether_its_type_waits_or_not()
    {
        var compilation = Compile();
        var everyCreation = new Recorder(useTypeEnd: false);
        var atTypeEnd = new Recorder(useTypeEnd: true);

        await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(everyCreation, atTypeEnd)).GetAnalyzerDiagnosticsAsync();

        var expected = everyCreation.Judged.Select(s => s.Span).OrderBy(s => s.Start).ToList();
        var actual = atTypeEnd.Judged.Select(s => s.Span).OrderBy(s => s.Start).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Distinct().Count(), actual.Count);
        // Creations in the bodies and initializers of types that wait, and of a nested type and a partial one.
        Assert.Contains(atTypeEnd.Judged, s => s.Text.Contains("\"inner\""));
        Assert.Contains(atTypeEnd.Judged, s => s.Text.Contains("\"split\""));
        Assert.Contains(atTypeEnd.Judged, s => s.Text == "new List<string>()");
        Assert.Contains(atTypeEnd.Judged, s => s.Text == "new object()");
    }

    private static CSharpCompilation Compile()
    {
        var tree = CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Preview));
        var compilation = CSharpCompilation.Create(
            "Clinic",
            new[] { tree },
            ((string)System.AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
                .Where(path => System.IO.Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Collections.dll")
                .Select(path => MetadataReference.CreateFromFile(path)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    /// <summary>Records the object creations it is handed: by a plain operation action, or through <see cref="TypeEndOperations"/>.</summary>
#pragma warning disable RS1001 // A test analyzer, handed to the driver directly, never loaded from an assembly.
    private sealed class Recorder : DiagnosticAnalyzer
#pragma warning restore RS1001
    {
#pragma warning disable RS2008 // A descriptor of a test analyzer, never released.
        private static readonly DiagnosticDescriptor Unused = new("TEST0001", "Unused", "Unused", "Test", DiagnosticSeverity.Hidden, true);
#pragma warning restore RS2008
        private readonly bool _useTypeEnd;

        public Recorder(bool useTypeEnd) => _useTypeEnd = useTypeEnd;

        public ConcurrentBag<(Microsoft.CodeAnalysis.Text.TextSpan Span, string Text)> Judged { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                if (!_useTypeEnd)
                {
                    start.RegisterOperationAction(
                        operation => Judged.Add((operation.Operation.Syntax.Span, operation.Operation.Syntax.ToString())),
                        OperationKind.ObjectCreation);
                    return;
                }

                TypeEndOperations.Register(
                    start,
                    _ => true,
                    site => Judged.Add((site.Operation.Syntax.Span, site.Operation.Syntax.ToString())),
                    OperationKind.ObjectCreation);
            });
        }
    }
}
