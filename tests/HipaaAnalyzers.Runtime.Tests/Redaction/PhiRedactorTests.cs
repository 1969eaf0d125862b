using System;
using System.Reflection;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class PhiRedactorTests : IDisposable
{
    private readonly DataKey _pseudonymizationKey = DataKey.FromBytes("ps-1", KeyPurpose.Pseudonymization, TestKeys.Material(20));

    public void Dispose() => _pseudonymizationKey.Dispose();

    [Theory]
    [InlineData("123-45-6789")]
    [InlineData("")]
    [InlineData("Jane Q. Doe")]
    public void PhiRedactor_WritesTheRedactMarker(string value)
    {
        var redactor = new PhiRedactor();

        Assert.Equal("[REDACTED]", redactor.Redact(value));
        Assert.Equal(Phi.Redact(value), redactor.Redact(value));
        Assert.Equal(10, redactor.GetRedactedLength(value));
    }

    [Theory]
    [InlineData("MRN-000417")]
    [InlineData("")]
    [InlineData("Zoë Ångström 山田")]
    public void PseudonymizingRedactor_GivesTheSameTokenAsThePseudonymizer(string value)
    {
        var pseudonymizer = new PhiPseudonymizer(_pseudonymizationKey);
        var redactor = new PhiPseudonymizingRedactor(pseudonymizer);

        string token = redactor.Redact(value);

        Assert.Equal(pseudonymizer.Pseudonymize(value), token);
        Assert.Matches("^phi_[0-9a-f]{32}$", token);
        Assert.Equal(36, redactor.GetRedactedLength(value));
    }

    [Fact]
    public void Redactors_RejectShortDestinations()
    {
        Assert.Throws<ArgumentException>(() => new PhiRedactor().Redact("x", new char[9]));
        Assert.Throws<ArgumentException>(() => new PhiPseudonymizingRedactor(new PhiPseudonymizer(_pseudonymizationKey)).Redact("x", new char[35]));
    }

    [Fact]
    public void PseudonymizerFromAKey_MatchesTheRawKeyConstructor_AndRejectsOtherPurposes()
    {
        Assert.Equal(new PhiPseudonymizer(TestKeys.Material(20)).Pseudonymize("MRN-1"), new PhiPseudonymizer(_pseudonymizationKey).Pseudonymize("MRN-1"));

        using DataKey encryption = TestKeys.Encryption();
        var exception = Assert.Throws<ArgumentException>(() => new PhiPseudonymizer(encryption));
        Assert.Contains("not a pseudonymization key", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new PhiPseudonymizer((DataKey)null!));
    }

    [Fact]
    public void PhiDataAttribute_ClassifiesAsHipaaPhi()
    {
        DataClassificationAttribute attribute = typeof(Sample).GetProperty(nameof(Sample.Mrn))!.GetCustomAttribute<PhiDataAttribute>()!;

        Assert.Equal(HipaaDataClassifications.Phi, attribute.Classification);
        Assert.Equal("HIPAA", attribute.Classification.TaxonomyName);
        Assert.Equal("PHI", attribute.Classification.Value);
    }

    [Theory]
    [InlineData(PhiRedactionMode.Redact, typeof(PhiRedactor))]
    [InlineData(PhiRedactionMode.Pseudonymize, typeof(PhiPseudonymizingRedactor))]
    public void AddHipaaRedaction_RegistersTheRedactorForPhi(PhiRedactionMode mode, Type expected)
    {
        var services = new ServiceCollection();
        services.AddHipaaKeys().UseKeyRing(TestKeys.Ring((_pseudonymizationKey, DataKeyStatus.Active)));
        services.AddHipaaRedaction(mode);
        using ServiceProvider provider = services.BuildServiceProvider();

        Redactor redactor = provider.GetRequiredService<IRedactorProvider>().GetRedactor(HipaaDataClassifications.Phi);

        Assert.IsType(expected, redactor);
        string redacted = redactor.Redact("123-45-6789");
        Assert.DoesNotContain("6789", redacted, StringComparison.Ordinal);
        if (mode == PhiRedactionMode.Pseudonymize)
        {
            Assert.Equal(new PhiPseudonymizer(TestKeys.Material(20)).Pseudonymize("123-45-6789"), redacted);
        }
    }

    [Fact]
    public void SetPhiRedactor_CoversExtraClassifications_AndLeavesOthersToTheDefault()
    {
        var teamPrivate = new DataClassification("Contoso", "Private");
        var services = new ServiceCollection();
        services.AddRedaction(builder => builder.SetPhiRedactor(PhiRedactionMode.Redact, teamPrivate));
        using ServiceProvider provider = services.BuildServiceProvider();
        var redactors = provider.GetRequiredService<IRedactorProvider>();

        Assert.IsType<PhiRedactor>(redactors.GetRedactor(teamPrivate));
        Assert.IsNotType<PhiRedactor>(redactors.GetRedactor(new DataClassification("Contoso", "Public")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddRedaction(b => b.SetPhiRedactor((PhiRedactionMode)9)));
    }

    [Fact]
    public void ToStrings_HideTheKey()
    {
        var redactor = new PhiPseudonymizingRedactor(new PhiPseudonymizer(_pseudonymizationKey));

        SecretAssert.DoesNotRevealKey(redactor.ToString(), TestKeys.Material(20));
        Assert.Equal("PhiRedactor ([REDACTED])", new PhiRedactor().ToString());
    }

    private sealed class Sample
    {
        [PhiData]
        public string Mrn { get; set; } = "";
    }
}
