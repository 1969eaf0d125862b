using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>The PHI inventory lists what the PHI model treats as PHI, with the model's own reasons.</summary>
public sealed class PhiInventoryTests
{
    private const string Source = """
        using System;

        var service = new IntakeService();
        Console.WriteLine(service.Describe("123-45-6789", 42));

        [AttributeUsage(AttributeTargets.All)]
        public sealed class PhiAttribute : Attribute { }

        [AttributeUsage(AttributeTargets.All)]
        public sealed class NotPhiAttribute : Attribute { }

        public sealed class Patient
        {
            public int Id { get; set; }
            public string Ssn { get; set; } = "";
            [Phi] public string Notes { get; set; } = "";
            public string Email { get; set; } = "";
            [NotPhi] public string MemberId { get; set; } = "";
        }

        [Phi]
        public sealed class LabResult
        {
            public string Code { get; set; } = "";
        }

        public sealed record Admission(string Ssn, DateOnly DateOfBirth, string Ward);

        public sealed class Product
        {
            public string Name { get; set; } = "";
            public string Email { get; set; } = "";
        }

        public sealed class IntakeService
        {
            public string Describe(string ssn, int count) => count.ToString();

            public Admission Admit(Admission admission, IntakeService other) => admission;
        }
        """;

    [Fact]
    public void Lists_members_by_attribute_type_attribute_and_name_with_reasons()
    {
        var entries = Collect();

        AssertEntry(entries, "Patient.Ssn", PhiMemberKind.Property, PhiEvidence.Name, "name: social security number");
        AssertEntry(entries, "Patient.Notes", PhiMemberKind.Property, PhiEvidence.Attribute, "[Phi]");
        AssertEntry(entries, "Patient.Email", PhiMemberKind.Property, PhiEvidence.Name, "name: email address");
        AssertEntry(entries, "LabResult.Code", PhiMemberKind.Property, PhiEvidence.TypeAttribute, "member of [Phi] type LabResult");
        AssertEntry(entries, "IntakeService.Describe(ssn)", PhiMemberKind.Parameter, PhiEvidence.Name, "name: social security number");
        AssertEntry(entries, "Patient", PhiMemberKind.Type, PhiEvidence.CarriesPhi, "carries Patient.Ssn (name: social security number)");

        // [NotPhi] wins; ids and a product's email are not PHI; a record's parameter is listed once, as its property.
        Assert.DoesNotContain(entries, e => e.Member is "Patient.MemberId" or "Patient.Id" or "Product.Email" or "Product.Name" or "Admission.Ward");
        Assert.Single(entries, e => e.Member.EndsWith("(Ssn)", System.StringComparison.Ordinal) || e.Member == "Admission.Ssn");
        Assert.All(entries, e => Assert.True(e.Location.IsInSource));
    }

    [Fact]
    public void Describes_the_phi_a_handler_takes_and_returns_but_not_injected_services()
    {
        var compilation = TestCompilation.Create(Source);
        var inventory = PhiInventory.Create(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
        var service = compilation.GetTypeByMetadataName("IntakeService")!;

        var describe = inventory.DescribeHandledPhi(service.GetMembers("Describe").OfType<IMethodSymbol>().Single(), null, CancellationToken.None);
        Assert.Equal(new[] { "takes ssn (name: social security number)" }, describe);

        var admit = inventory.DescribeHandledPhi(service.GetMembers("Admit").OfType<IMethodSymbol>().Single(), null, CancellationToken.None);
        Assert.Equal(
            new[]
            {
                "takes Admission (carries Admission.Ssn (name: social security number))",
                "returns Admission (carries Admission.Ssn (name: social security number))",
            },
            admit);
    }

    private static ImmutableArray<PhiInventoryEntry> Collect()
    {
        var compilation = TestCompilation.Create(Source);
        return PhiInventory.Create(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)).CollectMembers(CancellationToken.None);
    }

    private static void AssertEntry(ImmutableArray<PhiInventoryEntry> entries, string member, PhiMemberKind kind, PhiEvidence evidence, string reason)
    {
        var entry = Assert.Single(entries, e => e.Member == member);
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(evidence, entry.Evidence);
        Assert.Equal(reason, entry.Reason);
    }
}
