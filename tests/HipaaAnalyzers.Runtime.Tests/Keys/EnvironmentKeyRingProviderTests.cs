using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>The provider reads variables through a lookup function here, so no test changes the process environment.</summary>
public sealed class EnvironmentKeyRingProviderTests
{
    private static readonly string KeyA = Convert.ToBase64String(TestKeys.Material(1));
    private static readonly string KeyB = Convert.ToBase64String(TestKeys.Material(2));
    private static readonly string KeyC = Convert.ToBase64String(TestKeys.Material(3));
    private static readonly string KeyD = Convert.ToBase64String(TestKeys.Material(4));

    [Fact]
    public void ReadsAllThreePurposes_FirstEntryActive()
    {
        using EnvironmentKeyRingProvider provider = Create(new()
        {
            ["HIPAA_ENCRYPTION_KEYS"] = $"enc-q3@2025-07-01:{KeyA}; enc-q2@2025-04-01:{KeyB}",
            ["HIPAA_BLIND_INDEX_KEYS"] = $"idx-1:{KeyC}",
            ["HIPAA_PSEUDONYMIZATION_KEY"] = KeyD,
        });

        KeyRing ring = provider.GetKeyRing();

        Assert.Equal("enc-q3", ring.GetActiveKey(KeyPurpose.Encryption)!.KeyId);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), ring.GetActiveKey(KeyPurpose.Encryption)!.CreatedAt);
        Assert.Equal(DataKeyStatus.Retired, ring.Entries.Single(e => e.Key.KeyId == "enc-q2").Status);
        Assert.Equal("idx-1", ring.GetActiveKey(KeyPurpose.BlindIndex)!.KeyId);
        Assert.Null(ring.GetActiveKey(KeyPurpose.BlindIndex)!.CreatedAt);
        Assert.Equal(EnvironmentKeyRingProvider.PseudonymizationKeyId, ring.GetActiveKey(KeyPurpose.Pseudonymization)!.KeyId);
        SecretAssert.DoesNotRevealKey(provider.ToString(), TestKeys.Material(1));
    }

    [Fact]
    public void UnsetVariables_GiveAnEmptyRing()
    {
        using EnvironmentKeyRingProvider provider = Create(new());

        Assert.Empty(provider.GetKeyRing().Entries);
    }

    [Fact]
    public void PseudonymizationKey_GivesTheSameTokensAsThePhiDefault()
    {
        using EnvironmentKeyRingProvider provider = Create(new() { ["HIPAA_PSEUDONYMIZATION_KEY"] = KeyD });

        var fromRing = new PhiPseudonymizer(provider.GetKeyRing().GetActiveKey(KeyPurpose.Pseudonymization)!);

        Assert.Equal(Phi.CreateDefaultPseudonymizer(KeyD).Pseudonymize("MRN-000417"), fromRing.Pseudonymize("MRN-000417"));
    }

    [Fact]
    public void VariableNames_AreConfigurable()
    {
        var options = new EnvironmentKeyRingOptions { EncryptionKeysVariable = "APP_KEYS" };
        using var provider = new EnvironmentKeyRingProvider(options, new Dictionary<string, string?> { ["APP_KEYS"] = $"k:{KeyA}" }.GetValueOrDefault, null);

        Assert.Equal("k", provider.GetKeyRing().GetActiveKey(KeyPurpose.Encryption)!.KeyId);
    }

    [Fact]
    public void Dispose_ZeroesTheKeys()
    {
        EnvironmentKeyRingProvider provider = Create(new() { ["HIPAA_ENCRYPTION_KEYS"] = $"k:{KeyA}" });
        DataKey key = provider.GetKeyRing().Entries[0].Key;

        provider.Dispose();

        Assert.True(key.IsDisposed);
    }

    public static IEnumerable<object[]> Malformed() =>
    [
        ["HIPAA_ENCRYPTION_KEYS", "", "holds no key"],
        ["HIPAA_ENCRYPTION_KEYS", " ; ", "holds no key"],
        ["HIPAA_ENCRYPTION_KEYS", KeyA, "(entry 1) is not of the form"],
        ["HIPAA_ENCRYPTION_KEYS", $"bad id:{KeyA}", "(entry 1) has an invalid key id"],
        ["HIPAA_ENCRYPTION_KEYS", $"k1:{KeyA};k1:{KeyB}", "(entry 2) repeats the key id 'k1'"],
        ["HIPAA_ENCRYPTION_KEYS", $"k1@someday:{KeyA}", "(entry 1) has a creation date that is not a date"],
        ["HIPAA_ENCRYPTION_KEYS", "k1:not-base64-123-45-6789!", "(entry 1) is not valid base64"],
        ["HIPAA_ENCRYPTION_KEYS", "k1:" + Convert.ToBase64String(TestKeys.Material(1, 16)), "decodes to fewer than 32 bytes"],
        ["HIPAA_ENCRYPTION_KEYS", "k1:" + Convert.ToBase64String(TestKeys.Material(1, 65)), "decodes to more than 64 bytes"],
        ["HIPAA_BLIND_INDEX_KEYS", $"ok:{KeyA};bad:{KeyB}x", "HIPAA_BLIND_INDEX_KEYS (entry 2) is not valid base64"],
        ["HIPAA_PSEUDONYMIZATION_KEY", "@@@@", "HIPAA_PSEUDONYMIZATION_KEY is not valid base64"],
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedVariables_ThrowConfigurationErrors_ThatNameTheVariableButNotTheValue(string variable, string value, string expected)
    {
        var exception = Assert.Throws<PhiConfigurationException>(() => Create(new() { [variable] = value }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains(variable, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("6789", exception.ToString(), StringComparison.Ordinal);
        foreach (int seed in new[] { 1, 2 })
        {
            SecretAssert.DoesNotRevealKey(exception.ToString(), TestKeys.Material(seed));
        }

        if (value.Length > 8)
        {
            Assert.DoesNotContain(value, exception.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheSameKeyUnderTwoPurposes_IsRejected()
    {
        var exception = Assert.Throws<PhiConfigurationException>(() => Create(new()
        {
            ["HIPAA_ENCRYPTION_KEYS"] = $"enc:{KeyA}",
            ["HIPAA_PSEUDONYMIZATION_KEY"] = KeyA,
        }));

        Assert.Contains("same key material", exception.Message, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(exception.ToString(), TestKeys.Material(1));
    }

    [Fact]
    public void Loading_LogsKeyIdsOnly()
    {
        var logger = new CapturingLogger<EnvironmentKeyRingProvider>();
        var variables = new Dictionary<string, string?> { ["HIPAA_ENCRYPTION_KEYS"] = $"enc-q3:{KeyA}" };

        using var provider = new EnvironmentKeyRingProvider(new EnvironmentKeyRingOptions(), variables.GetValueOrDefault, logger);

        Assert.Contains("enc-q3", logger.AllText, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(logger.AllText, TestKeys.Material(1));
    }

    private static EnvironmentKeyRingProvider Create(Dictionary<string, string?> variables) =>
        new(new EnvironmentKeyRingOptions(), variables.GetValueOrDefault, null);
}
