using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>
/// The only tests that use the process-wide <see cref="Phi.Pseudonymize(object)"/> facade. xUnit runs
/// the tests of one class one after another, so <see cref="Phi.UsePseudonymizer"/> cannot race them.
/// </summary>
public sealed class PhiFacadeTests
{
    private static readonly Regex TokenFormat = new("^phi_[0-9a-f]{32}$", RegexOptions.CultureInvariant);

    [Fact]
    public void Pseudonymize_IsStableWithinTheProcess()
    {
        string first = Phi.Pseudonymize("MRN-000417");

        Assert.Matches(TokenFormat, first);
        Assert.Equal(first, Phi.Pseudonymize("MRN-000417"));
        Assert.NotEqual(first, Phi.Pseudonymize("MRN-000418"));
        Assert.Equal("phi_null", Phi.Pseudonymize(null));
    }

    [Fact]
    public void Pseudonymize_IsThreadSafe()
    {
        string expected = Phi.Pseudonymize("123-45-6789");

        string[] tokens = new string[10_000];
        Parallel.For(0, tokens.Length, i => tokens[i] = Phi.Pseudonymize("123-45-6789"));

        Assert.All(tokens, token => Assert.Equal(expected, token));
    }

    [Fact]
    public void UsePseudonymizer_ReplacesTheDefault()
    {
        var configured = new PhiPseudonymizer(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

        Phi.UsePseudonymizer(configured);

        Assert.Equal(configured.Pseudonymize("MRN-000417"), Phi.Pseudonymize("MRN-000417"));
        Assert.Equal(configured.Pseudonymize(new DateOnly(1984, 7, 21)), Phi.Pseudonymize(new DateOnly(1984, 7, 21)));
    }

    [Fact]
    public void UseKeyRing_UsesTheRingsPseudonymizationKey()
    {
        using DataKey key = DataKey.FromBytes("ps-1", KeyPurpose.Pseudonymization, TestKeys.Material(30));

        Phi.UseKeyRing(new InMemoryKeyRingProvider(TestKeys.Ring((key, DataKeyStatus.Active))));

        Assert.Equal(new PhiPseudonymizer(TestKeys.Material(30)).Pseudonymize("MRN-000417"), Phi.Pseudonymize("MRN-000417"));
        Assert.Throws<PhiConfigurationException>(() => Phi.UseKeyRing(new InMemoryKeyRingProvider(KeyRing.Empty)));
        Assert.Throws<ArgumentNullException>(() => Phi.UseKeyRing(null!));
    }

    [Fact]
    public void UseHipaaPseudonymizerForPhi_MakesTheFacadeAndTheServicesAgree()
    {
        using DataKey key = DataKey.FromBytes("ps-2", KeyPurpose.Pseudonymization, TestKeys.Material(31));
        var services = new ServiceCollection();
        services.AddHipaaPseudonymization().UseKeyRing(TestKeys.Ring((key, DataKeyStatus.Active)));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.UseHipaaPseudonymizerForPhi();

        Assert.Equal(provider.GetRequiredService<PhiPseudonymizer>().Pseudonymize("MRN-000417"), Phi.Pseudonymize("MRN-000417"));
    }

    [Fact]
    public void UsePseudonymizer_RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Phi.UsePseudonymizer(null!));
    }

    [Fact]
    public void EnvironmentVariableName_IsDocumentedName()
    {
        Assert.Equal("HIPAA_PSEUDONYMIZATION_KEY", Phi.PseudonymizationKeyEnvironmentVariable);
    }
}
