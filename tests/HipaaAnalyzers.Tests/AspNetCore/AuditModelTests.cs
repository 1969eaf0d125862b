using System.Linq;
using HipaaAnalyzers.AspNetCore;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HipaaAnalyzers.Tests.AspNetCore;

public class AuditModelTests
{
    /// <summary>
    /// The audit model's first look at every identifier of a callee compares ASCII names in place; it must answer as a
    /// case-insensitive search for "udit" does, for names with letters beyond ASCII too.
    /// </summary>
    [Fact]
    public void The_audit_word_test_answers_as_a_search_ignoring_case()
    {
        // Pieces that make the word, parts of it and near misses in every case.
        string[] pieces = { "u", "U", "d", "D", "i", "I", "t", "T", "\u0131", "\u00e9", "udit", "UDIT", "uDiT", "ud\u0131t", "udi", "A", "_", "9" };
        var random = new System.Random(20261207);
        int matched = 0;
        for (int round = 0; round < 50_000; round++)
        {
            var name = new System.Text.StringBuilder();
            for (int i = random.Next(0, 6); i > 0; i--)
            {
                name.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = name.ToString();
            bool expected = text.IndexOf("udit", System.StringComparison.OrdinalIgnoreCase) >= 0;
            matched += expected ? 1 : 0;
            Assert.True(expected == AuditModel.SaysAudit(text), text);
        }

        Assert.True(matched > 5_000, "too few names contain the word: " + matched);
        Assert.True(AuditModel.SaysAudit("IAuditLog") && AuditModel.SaysAudit("_AUDITtrail") && !AuditModel.SaysAudit("Audi"));
    }

    private const string Callees = """
        namespace Clinic
        {
            public class Journal { public static void Add(string entry) { } public void Write(string entry) { } }
            public interface IAuditTrail { void Write(string what); }
            public class Ledger { public void Add(string entry) { } }

            public class Service
            {
                private readonly IAuditTrail _trail;
                private readonly Journal _journal;
                private readonly Ledger _ledger = new Ledger();

                public Service(IAuditTrail trail, Journal journal) { _trail = trail; _journal = journal; }

                public void ByMemberName() => _trail.Write("viewed");
                public void ByConfiguredType() { Journal.Add("viewed"); }
                public void ByVerbatimName() { @Journal.Add("viewed"); }
                public void ByEscapedName() { Jour\u006eal.Add("viewed"); }
                public void ByConfiguredMember() => _journal.Write("viewed");
                public void ByMemberBesideOtherText() { if (true) { _trail.Write("viewed"); } }
                public void Nothing() { _ledger.Add("journal entry"); var journalish = 1; _ = journalish; }
                public void OnlyInComments() { /* the audit happens elsewhere: Journal */ _ledger.Add("x"); }
            }

            public class Endpoints
            {
                private readonly Service _service;
                public Endpoints(Service service) => _service = service;
                public void ByMemberName() => _service.ByMemberName();
                public void ByConfiguredType() => _service.ByConfiguredType();
                public void ByVerbatimName() => _service.ByVerbatimName();
                public void ByEscapedName() => _service.ByEscapedName();
                public void ByConfiguredMember() => _service.ByConfiguredMember();
                public void ByMemberBesideOtherText() => _service.ByMemberBesideOtherText();
                public void Nothing() => _service.Nothing();
                public void OnlyInComments() => _service.OnlyInComments();
            }
        }
        """;

    /// <summary>
    /// A method an endpoint calls is read only when its text or tokens may name an audit type, an access check or a data
    /// context; the first look at its text must never pass over one written with a verbatim or escaped name, or as a word
    /// of its own beside other text.
    /// </summary>
    [Theory]
    [InlineData("ByMemberName", "calls Service.ByMemberName, which calls IAuditTrail.Write")]
    [InlineData("ByConfiguredType", "calls Service.ByConfiguredType, which calls Journal.Add")]
    [InlineData("ByVerbatimName", "calls Service.ByVerbatimName, which calls Journal.Add")]
    [InlineData("ByEscapedName", "calls Service.ByEscapedName, which calls Journal.Add")]
    [InlineData("ByConfiguredMember", "calls Service.ByConfiguredMember, which calls Journal.Write")]
    [InlineData("ByMemberBesideOtherText", "calls Service.ByMemberBesideOtherText, which calls IAuditTrail.Write")]
    [InlineData("Nothing", null)]
    [InlineData("OnlyInComments", null)]
    public void A_callee_that_writes_the_audit_trail_is_read(string handler, string? expected)
    {
        var compilation = CSharpCompilation.Create(
            "Callees", new[] { CSharpSyntaxTree.ParseText(Callees) }, new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
        var model = new AuditModel(compilation, new[] { "Clinic.Journal" });
        var endpoints = compilation.GetTypeByMetadataName("Clinic.Endpoints")!;
        var method = endpoints.GetMembers(handler).OfType<IMethodSymbol>().Single();

        Assert.Equal(expected, model.DescribeAudit(method, null, default));
    }
}
