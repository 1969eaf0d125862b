using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>Application keys: the only keys whose bytes application code can get, by name.</summary>
public sealed class ApplicationKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-appkey-tests-").FullName;
    private readonly List<DataKey> _keys = new();

    public void Dispose()
    {
        HipaaKeys.Reset();
        _keys.ForEach(k => k.Dispose());
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Export_ReturnsACopyOfTheNamedApplicationKey()
    {
        byte[] material = TestKeys.Material(20, 48);
        KeyRing ring = TestKeys.Ring((Key("jwt-signing", KeyPurpose.Application, material), DataKeyStatus.Active));

        byte[] exported = ring.ExportApplicationKey("jwt-signing");

        Assert.Equal(material, exported);
        exported[0] ^= 0xFF;
        Assert.Equal(material, ring.ExportApplicationKey("jwt-signing"));
    }

    [Fact]
    public void ManyApplicationKeys_AreAllAvailable_AndNoneIsTheActiveKeyOfThePurpose()
    {
        KeyRing ring = TestKeys.Ring(
            (Key("jwt-signing", KeyPurpose.Application, TestKeys.Material(21)), DataKeyStatus.Active),
            (Key("webhook-hmac", KeyPurpose.Application, TestKeys.Material(22)), DataKeyStatus.Active),
            (Key("enc-1", KeyPurpose.Encryption, TestKeys.Material(23)), DataKeyStatus.Active));

        Assert.Equal(TestKeys.Material(21), ring.ExportApplicationKey("jwt-signing"));
        Assert.Equal(TestKeys.Material(22), ring.ExportApplicationKey("webhook-hmac"));
        Assert.Null(ring.GetActiveKey(KeyPurpose.Application));
        Assert.Equal(2, ring.GetKeys(KeyPurpose.Application).Count);
        Assert.Equal("enc-1", ring.GetActiveKey(KeyPurpose.Encryption)?.KeyId);
    }

    [Fact]
    public void AddingOrActivatingAnApplicationKey_LeavesTheOtherApplicationKeysActive()
    {
        KeyRing ring = TestKeys.Ring(
            (Key("enc-1", KeyPurpose.Encryption, TestKeys.Material(40)), DataKeyStatus.Active),
            (Key("jwt-signing", KeyPurpose.Application, TestKeys.Material(41)), DataKeyStatus.Active));

        KeyRing added = ring.WithKey(Key("webhook-hmac", KeyPurpose.Application, TestKeys.Material(42)), DataKeyStatus.Active);
        KeyRing activated = added.WithActiveKey("jwt-signing");

        foreach (KeyRing r in new[] { added, activated })
        {
            Assert.All(r.Entries, e => Assert.Equal(DataKeyStatus.Active, e.Status));
            Assert.Equal("enc-1", r.GetActiveKey(KeyPurpose.Encryption)!.KeyId);
        }

        Assert.Equal(TestKeys.Material(42), added.ExportApplicationKey("webhook-hmac"));
        KeyRing removed = added.WithoutKey("webhook-hmac");
        Assert.Equal(new[] { "enc-1", "jwt-signing" }, removed.Entries.Select(e => e.Key.KeyId));
    }

    [Theory]
    [InlineData(KeyPurpose.Encryption, "encryption")]
    [InlineData(KeyPurpose.BlindIndex, "blind-index")]
    [InlineData(KeyPurpose.Pseudonymization, "pseudonymization")]
    public void OtherPurposes_AreNeverExported(KeyPurpose purpose, string text)
    {
        byte[] material = TestKeys.Material(24);
        KeyRing ring = TestKeys.Ring((Key("k-1", purpose, material), DataKeyStatus.Active));

        var exception = Assert.Throws<InvalidOperationException>(() => ring.ExportApplicationKey("k-1"));

        Assert.Contains("'k-1' has the purpose '" + text + "'", exception.Message, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(exception.ToString(), material);
    }

    [Fact]
    public void UnknownName_IsAPreciseError()
    {
        byte[] material = TestKeys.Material(25);
        KeyRing ring = TestKeys.Ring((Key("jwt-signing", KeyPurpose.Application, material), DataKeyStatus.Active));

        var exception = Assert.Throws<KeyNotFoundException>(() => ring.ExportApplicationKey("jwt-signin"));

        Assert.Contains("no application key named 'jwt-signin'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HIPAA_APPLICATION_KEYS", exception.Message, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(exception.ToString(), material);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public void InvalidName_IsRejected(string name)
    {
        Assert.Throws<ArgumentException>(() => KeyRing.Empty.ExportApplicationKey(name));
        Assert.Throws<ArgumentNullException>(() => KeyRing.Empty.ExportApplicationKey(null!));
    }

    [Fact]
    public void DisposedKey_IsNotExported()
    {
        DataKey key = Key("jwt-signing", KeyPurpose.Application, TestKeys.Material(26));
        KeyRing ring = TestKeys.Ring((key, DataKeyStatus.Active));
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ring.ExportApplicationKey("jwt-signing"));
    }

    [Fact]
    public void AnApplicationKey_MustNotReuseTheMaterialOfAnotherKey()
    {
        byte[] material = TestKeys.Material(27);
        var exception = Assert.Throws<ArgumentException>(() => TestKeys.Ring(
            (Key("enc-1", KeyPurpose.Encryption, material), DataKeyStatus.Active),
            (Key("jwt-signing", KeyPurpose.Application, material), DataKeyStatus.Active)));

        Assert.Contains("same key material", exception.Message, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(exception.ToString(), material);
    }

    [Fact]
    public void ShortApplicationKey_InTheEnvironment_IsAPreciseError()
    {
        byte[] material = TestKeys.Material(28, 16);
        var variables = new Dictionary<string, string?> { ["HIPAA_APPLICATION_KEYS"] = "jwt-signing:" + Convert.ToBase64String(material) };

        var exception = Assert.Throws<PhiConfigurationException>(() => new EnvironmentKeyRingProvider(new EnvironmentKeyRingOptions(), variables.GetValueOrDefault, null));

        Assert.Contains("HIPAA_APPLICATION_KEYS (entry 1)", exception.Message, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(exception.ToString(), material);
    }

    [Fact]
    public void EnvironmentProvider_ReadsEveryApplicationKeyAsActive()
    {
        var variables = new Dictionary<string, string?>
        {
            ["HIPAA_ENCRYPTION_KEYS"] = "enc-1:" + Convert.ToBase64String(TestKeys.Material(29)),
            ["HIPAA_APPLICATION_KEYS"] = "jwt-signing:" + Convert.ToBase64String(TestKeys.Material(30)) + ";webhook-hmac@2025-07-01:" + Convert.ToBase64String(TestKeys.Material(31, 64)),
        };

        using var provider = new EnvironmentKeyRingProvider(new EnvironmentKeyRingOptions(), variables.GetValueOrDefault, null);
        KeyRing ring = provider.GetKeyRing();

        Assert.All(ring.Entries.Where(e => e.Key.Purpose == KeyPurpose.Application), e => Assert.Equal(DataKeyStatus.Active, e.Status));
        Assert.Equal(TestKeys.Material(30), ring.ExportApplicationKey("jwt-signing"));
        Assert.Equal(TestKeys.Material(31, 64), ring.ExportApplicationKey("webhook-hmac"));
        Assert.Throws<InvalidOperationException>(() => ring.ExportApplicationKey("enc-1"));
    }

    [Fact]
    public void KeyRingFile_RoundTripsApplicationKeys()
    {
        using var master = new LocalMasterKey(TestKeys.Material(32));
        KeyRing ring = TestKeys.Ring(
            (Key("enc-1", KeyPurpose.Encryption, TestKeys.Material(33)), DataKeyStatus.Active),
            (Key("jwt-signing", KeyPurpose.Application, TestKeys.Material(34)), DataKeyStatus.Active),
            (Key("webhook-hmac", KeyPurpose.Application, TestKeys.Material(35)), DataKeyStatus.Active));
        string path = Path.Combine(_directory, "keyring.json");

        KeyRingFile.Save(path, ring, master);
        Assert.Contains("\"purpose\": \"application\"", File.ReadAllText(path), StringComparison.Ordinal);
        KeyRing loaded = KeyRingFile.Load(path, master);
        try
        {
            Assert.Equal(TestKeys.Material(34), loaded.ExportApplicationKey("jwt-signing"));
            Assert.Equal(TestKeys.Material(35), loaded.ExportApplicationKey("webhook-hmac"));
        }
        finally
        {
            loaded.DisposeKeys();
        }
    }

    [Fact]
    public void HipaaKeys_ReadsTheConfiguredProvider_OnEveryCall()
    {
        using var provider = new InMemoryKeyRingProvider(TestKeys.Ring((Key("jwt-signing", KeyPurpose.Application, TestKeys.Material(36)), DataKeyStatus.Active)));
        HipaaKeys.UseKeyRing(provider);

        Assert.Equal(TestKeys.Material(36), HipaaKeys.Get("jwt-signing"));

        provider.Update(TestKeys.Ring((Key("jwt-signing", KeyPurpose.Application, TestKeys.Material(37)), DataKeyStatus.Active)));
        Assert.Equal(TestKeys.Material(37), HipaaKeys.Get("jwt-signing"));
        Assert.Throws<KeyNotFoundException>(() => HipaaKeys.Get("other"));
        Assert.Throws<ArgumentNullException>(() => HipaaKeys.UseKeyRing(null!));
    }

    [Fact]
    public void ApplicationKeys_DescribeThemselvesWithoutTheirBytes()
    {
        byte[] material = TestKeys.Material(38);
        DataKey key = Key("jwt-signing", KeyPurpose.Application, material);
        KeyRing ring = TestKeys.Ring((key, DataKeyStatus.Active));

        Assert.Contains("application", key.ToString(), StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(key.ToString(), material);
        SecretAssert.DoesNotRevealKey(ring.ToString(), material);
        SecretAssert.DoesNotRevealKey(ring.Entries[0].ToString(), material);
    }

    private DataKey Key(string id, KeyPurpose purpose, byte[] material)
    {
        DataKey key = DataKey.FromBytes(id, purpose, material, TestKeys.Created);
        _keys.Add(key);
        return key;
    }
}
