using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HipaaAnalyzers.Tests.Fuzzing;

/// <summary>
/// Breaks valid C# the ways editing does, and stretches it the ways unusual code does: deletes tokens, truncates,
/// unbalances braces and parentheses, duplicates and swaps code, renames to PHI names, wraps code in #if, and inserts
/// valid but odd constructs (generics, ref structs, top-level statements, partial types, patterns, raw strings ...)
/// at random token boundaries.
/// </summary>
internal static class SourceMutator
{
    /// <summary>Applies one to three mutations, chosen by <paramref name="random"/>; the same random gives the same text.</summary>
    public static string Mutate(string text, Random random, List<string>? applied = null)
    {
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var (name, mutate) = Mutations[random.Next(Mutations.Length)];
            text = mutate(text, random);
            applied?.Add(name);
        }

        return text;
    }

    /// <summary>Type members of every kind, some of them PHI-shaped.</summary>
    private static readonly string[] Members =
    {
        "public ref struct Buffer<T> where T : unmanaged { public Span<T> Items; public ref T this[int i] => ref Items[i]; }",
        "partial class Patient { public partial string Ssn { get; } }",
        "public partial class Patient { public string? Diagnosis { get; init; } }",
        "file sealed class Hidden<T> where T : Hidden<T>, new() { public T? Self; }",
        "public static implicit operator string(Fuzz f) => f.ToString();",
        "public required string Ssn { get; init; }",
        "public record struct Pair<TKey, TValue>(TKey Key, TValue Value) where TKey : notnull;",
        "public record Person([property: Phi] string Ssn, string Name) : System.IComparable<Person> { public int CompareTo(Person? other) => 0; }",
        "interface IShape<TSelf> where TSelf : IShape<TSelf> { static abstract TSelf Create(string ssn); static virtual int Sides => 3; }",
        "[Phi] public string this[int index] => index.ToString();",
        "public override string ToString() => $\"{Ssn} {DateOfBirth}\";",
        "unsafe void* Pointer(int* p) => p;",
        "~Fuzz() { }",
        "public event System.Action<string>? SsnChanged;",
        "delegate void LogIt(string message, params object[] args);",
        "extern static void Native(string ssn);",
        "public static Fuzz operator +(Fuzz a, Fuzz b) => a;",
        "enum Level : byte { A = 1, B = A << 1, C = B | A }",
        "class Outer<T> { class Inner<U> where U : T { U? Value; } }",
        "public void Deconstruct(out string ssn, out int id) { ssn = \"\"; id = 0; }",
        "[System.Diagnostics.Conditional(\"DEBUG\")] void TraceSsn(string ssn) { System.Diagnostics.Debug.WriteLine(ssn); }",
        "async System.Collections.Generic.IAsyncEnumerable<string> Stream() { yield return await System.Threading.Tasks.Task.FromResult(\"x\"); }",
        "partial void OnChanged(string ssn);",
        "static string Check(string ssn) => ssn ?? throw new System.ArgumentException(ssn, nameof(ssn));",
        "public string Ssn { get => field; set => field = value; }",
        "[Microsoft.Extensions.Logging.LoggerMessage(1, Microsoft.Extensions.Logging.LogLevel.Information, \"Patient {Ssn}\")] static partial void LogSsn(Microsoft.Extensions.Logging.ILogger logger, string ssn);",
        "static string Summarize(params string[] parts) => string.Join(',', parts);",
        "public static class Ext { public static string Masked(this string ssn) => ssn; public static string Leak(this object o) => o.ToString()!; }",
        "void M<T>(T t) where T : struct, System.IEquatable<T> { }",
        "public abstract partial class Base { public abstract string Ssn { get; } public virtual string Describe() => Ssn; }",
        "const string Template = \"Patient {Ssn}\"; static readonly string[] Names = { \"ssn\", \"dob\" };",
    };

    /// <summary>Statements, many of them sinks and PHI, in shapes the rules rarely see.</summary>
    private static readonly string[] Statements =
    {
        "var (ssn, dob) = (patient.Ssn, patient.DateOfBirth);",
        "if (patient is { Ssn: { Length: > 0 } s } and not null) { System.Console.WriteLine(s); }",
        "switch (patient) { case { Ssn: var s } when s.Length > 3: throw new System.Exception(s); default: break; }",
        "var last = new[] { 1, 2, 3 } is [1, .., var tail] ? tail : 0;",
        "System.Span<int> buffer = stackalloc int[4];",
        "goto end; end: ;",
        "checked { var x = int.MaxValue + 1; }",
        "unsafe { int* p = null; }",
        "using var scope = _logger.BeginScope(new { patient.Ssn });",
        "lock (this) { }",
        "int Twice(int x) => x * 2;",
        "_ = ssn switch { null => 0, { Length: 0 } => 1, _ => 2 };",
        "var f = static (string s) => s.Length;",
        "var raw = $$\"\"\"\n  raw {{ssn}} text\n  \"\"\";",
        "var u8 = \"ssn\"u8;",
        "dynamic d = patient; System.Console.WriteLine(d.Ssn);",
        "System.Console.WriteLine($\"{patient.Ssn,10:D}\");",
        "logger.LogInformation(\"{@P}\", patient with { });",
        "_logger.LogInformation(\"{Ssn} {Dob}\", ssn, dob, ssn, null, default);",
        "_logger.Log(LogLevel.Warning, new EventId(1), patient, null, (s, e) => s.Ssn);",
        "_logger.LogInformation(null!, patient?.Ssn);",
        "_logger.LogInformation(message: $\"{ssn}\", args: new object[] { ssn });",
        "_logger.LogInformation(\"{Ssn}\", args: ssn);",
        "logger?.LogWarning(ex, \"{@Patient}\", this);",
        "throw new System.InvalidOperationException($\"{ssn}\", null);",
        "throw new System.ArgumentException(paramName: nameof(ssn), message: ssn);",
        "System.Diagnostics.Activity.Current?.SetTag(\"ssn\", ssn);",
        "var uri = new System.Uri($\"https://x/{patient.Ssn}\", System.UriKind.Absolute);",
        "System.Collections.Generic.List<string> list = [ssn, .. others];",
        "fixed (char* p = ssn) { }",
        "yield return ssn;",
        "await foreach (var x in Stream()) { }",
        "foreach (ref var x in span) { }",
        "var t = default((int, string));",
        "System.Console.WriteLine(__arglist(ssn));",
        "ref int r = ref System.Runtime.CompilerServices.Unsafe.NullRef<int>();",
        "var q = from p in patients where p.Ssn != null select new { p.Ssn };",
        "string? s = null; s ??= ssn; s!.ToString();",
        "System.Func<string, string> f = delegate (string x) { return x; };",
        "new System.Exception(nameof(patient.Ssn));",
        "System.Console.WriteLine(patient);",
        "System.Console.Out.WriteLine(\"{0}\", patient.Ssn);",
        "var sb = new System.Text.StringBuilder(); sb.Append(ssn).AppendLine(); _logger.LogDebug(sb.ToString());",
        "_logger.LogInformation(System.Text.Json.JsonSerializer.Serialize(patient));",
        "_logger.LogInformation(string.Format(\"{0}\", ssn), ssn);",
        "_logger.LogInformation(\"{Ssn}\", Phi.Redact(ssn));",
        "Serilog.Log.Information(\"{@Patient}\", patient);",
        "_logger.LogInformation(\"\" + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn + ssn);",
        "var local = ssn; local = local + local; _logger.LogInformation(local);",
        "for (var i = 0; i < 3; i++) { ssn = ssn + i; }",
        "if (ssn is not { } value) return;",
        "while (true) { break; }",
        "do { } while (false);",
        "try { } catch (System.Exception e) when (e.Message == ssn) { throw; } finally { }",
        "await System.Threading.Tasks.Task.Yield();",
        "#if DEBUG\n_logger.LogInformation(ssn);\n#else\n_logger.LogInformation(\"x\");\n#endif",
    };

    private static readonly string[] FileHeaders =
    {
        "System.Console.WriteLine(args.Length);",
        "var top = \"ssn\"; System.Console.WriteLine(top);",
        "using static System.Console;",
        "global using System.Linq;",
        "using Alias = System.Collections.Generic.List<(int Id, string Ssn)>;",
        "namespace Fuzz.Inner;",
        "#nullable disable",
        "#pragma warning disable",
        "extern alias Foo;",
        "[assembly: System.Reflection.AssemblyVersion(\"1.0\")]",
        "#region X",
        "#endregion",
        "#line 200 \"other.cs\"",
        "#define FUZZ",
        "#error fuzz",
        "using HipaaAnalyzers.Runtime;",
        "using Phi = System.String;",
        "class Phi { public static string Redact(object o) => \"\"; }",
        "namespace HipaaAnalyzers.Runtime { public static class Phi { public static int Redact(int value) => value; } }",
        "[System.CodeDom.Compiler.GeneratedCode(\"Microsoft.Extensions.Logging.Generators\", \"1.0\")] partial class Generated { }",
    };

    private static readonly string[] PhiNames =
    {
        "ssn", "Ssn", "DateOfBirth", "patient", "Patient", "MedicalRecordNumber", "diagnosis", "Email", "FirstName", "Phi", "Redact",
    };

    // After the arrays it draws from: static fields are initialized in order.
    private static readonly (string Name, Func<string, Random, string> Mutate)[] Mutations =
    {
        ("delete tokens", DeleteTokens),
        ("delete tokens", DeleteTokens),
        ("truncate", Truncate),
        ("unbalance", Unbalance),
        ("unbalance", Unbalance),
        ("insert member", (t, r) => InsertAtToken(t, r, Pick(r, Members))),
        ("insert member", (t, r) => InsertAtToken(t, r, Pick(r, Members))),
        ("insert statement", (t, r) => InsertAtToken(t, r, Pick(r, Statements))),
        ("insert statement", (t, r) => InsertAtToken(t, r, Pick(r, Statements))),
        ("insert statement", (t, r) => InsertAtToken(t, r, Pick(r, Statements))),
        ("insert at top", (t, r) => Pick(r, FileHeaders) + "\n" + t),
        ("insert directive", InsertDirective),
        ("duplicate", Duplicate),
        ("swap tokens", SwapTokens),
        ("rename to PHI", RenameToPhi),
        ("rename to PHI", RenameToPhi),
    };

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static List<SyntaxToken> Tokens(string text) =>
        CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();

    private static string DeleteTokens(string text, Random random)
    {
        var tokens = Tokens(text);
        if (tokens.Count == 0)
        {
            return text;
        }

        var first = random.Next(tokens.Count);
        var last = Math.Min(tokens.Count - 1, first + random.Next(0, 3));
        return text.Remove(tokens[first].SpanStart, tokens[last].Span.End - tokens[first].SpanStart);
    }

    private static string Truncate(string text, Random random) =>
        text.Length == 0 ? text : text.Substring(0, random.Next(text.Length));

    private static string Unbalance(string text, Random random)
    {
        var brackets = Tokens(text).Where(t => t.IsKind(SyntaxKind.OpenBraceToken) || t.IsKind(SyntaxKind.CloseBraceToken) ||
                                               t.IsKind(SyntaxKind.OpenParenToken) || t.IsKind(SyntaxKind.CloseParenToken) ||
                                               t.IsKind(SyntaxKind.OpenBracketToken) || t.IsKind(SyntaxKind.CloseBracketToken)).ToList();
        if (brackets.Count > 0 && random.Next(2) == 0)
        {
            var bracket = brackets[random.Next(brackets.Count)];
            return text.Remove(bracket.SpanStart, 1);
        }

        return InsertAtToken(text, random, Pick(random, new[] { "{", "}", "(", ")", "[", "]", "{ {", "} }", "<", ">" }));
    }

    private static string InsertAtToken(string text, Random random, string insertion)
    {
        var tokens = Tokens(text);
        var at = tokens.Count == 0 ? 0 : tokens[random.Next(tokens.Count)].SpanStart;
        var separator = insertion.StartsWith("#", StringComparison.Ordinal) ? "\n" : " ";
        return text.Insert(at, separator + insertion + separator);
    }

    private static string InsertDirective(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var start = random.Next(lines.Count + 1);
        var end = random.Next(start, lines.Count + 1);
        switch (random.Next(4))
        {
            case 0:
                lines.Insert(end, "#endif");
                lines.Insert(start, "#if FUZZ");
                break;
            case 1:
                lines.Insert(end, "#endif");
                lines.Insert(start + (end - start) / 2, "#else");
                lines.Insert(start, "#if !FUZZ && (DEBUG || RELEASE)");
                break;
            case 2:
                lines.Insert(start, Pick(random, new[] { "#if DEBUG", "#endif", "#else", "#elif X", "#region", "#endregion" }));
                break;
            default:
                lines.Insert(end, "#pragma warning restore HIPAA001");
                lines.Insert(start, "#pragma warning disable HIPAA001, HIPAA002");
                break;
        }

        return string.Join("\n", lines);
    }

    private static string Duplicate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count < 2)
        {
            return text + text;
        }

        var start = random.Next(lines.Count);
        var length = random.Next(1, Math.Min(8, lines.Count - start) + 1);
        var copy = lines.GetRange(start, length);
        lines.InsertRange(random.Next(lines.Count + 1), copy);
        return string.Join("\n", lines);
    }

    private static string SwapTokens(string text, Random random)
    {
        var tokens = Tokens(text);
        if (tokens.Count < 2)
        {
            return text;
        }

        var i = random.Next(tokens.Count - 1);
        var (a, b) = (tokens[i], tokens[i + 1]);
        var builder = new StringBuilder(text);
        builder.Remove(a.SpanStart, b.Span.End - a.SpanStart);
        builder.Insert(a.SpanStart, b.Text + text.Substring(a.Span.End, b.SpanStart - a.Span.End) + a.Text);
        return builder.ToString();
    }

    private static string RenameToPhi(string text, Random random)
    {
        var identifiers = Tokens(text).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
        if (identifiers.Count == 0)
        {
            return text;
        }

        var token = identifiers[random.Next(identifiers.Count)];
        return text.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, Pick(random, PhiNames));
    }
}
