using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class KeyRingFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-keyring-tests-").FullName;
    private readonly LocalMasterKey _master = new(TestKeys.Material(100));
    private readonly List<DataKey> _keys = new();

    public void Dispose()
    {
        _master.Dispose();
        _keys.ForEach(k => k.Dispose());
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void SaveAndLoad_RoundTripsKeysStatusesAndDates()
    {
        KeyRing ring = SampleRing();
        string path = Path.Combine(_directory, "keyring.json");

        KeyRingFile.Save(path, ring, _master);
        KeyRing loaded = KeyRingFile.Load(path, _master);
        _keys.AddRange(loaded.Entries.Select(e => e.Key));

        Assert.Equal(
            ring.Entries.Select(e => (e.Key.KeyId, e.Key.Purpose, e.Status, e.Key.CreatedAt, e.Key.KeyCheckValue)),
            loaded.Entries.Select(e => (e.Key.KeyId, e.Key.Purpose, e.Status, e.Key.CreatedAt, e.Key.KeyCheckValue)));

        // The loaded keys decrypt what the original keys encrypted.
        var context = EncryptionContext.ForField("Patients", "Ssn", "1");
        byte[] ciphertext = new FieldEncryptor(ring).Encrypt(TestPlaintexts.SsnBytes, context);
        Assert.Equal(TestPlaintexts.SsnBytes, new FieldEncryptor(loaded).Decrypt(ciphertext, context));
    }

    [Fact]
    public void TheFile_HoldsNoKeyInTheClear_AndIsReadableByTheOwnerOnly()
    {
        string path = Path.Combine(_directory, "keyring.json");

        KeyRingFile.Save(path, SampleRing(), _master);

        string text = File.ReadAllText(path);
        foreach (int seed in new[] { 1, 2, 3, 100 })
        {
            SecretAssert.DoesNotRevealKey(text, TestKeys.Material(seed));
        }

        Assert.Contains(KeyRingFile.FormatId, text, StringComparison.Ordinal);
        Assert.Contains(_master.MasterKeyId, text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Save_ReplacesAnExistingFile()
    {
        string path = Path.Combine(_directory, "keyring.json");
        KeyRing ring = SampleRing();
        KeyRingFile.Save(path, ring, _master);

        KeyRingFile.Save(path, ring.WithoutKey("enc-q2"), _master);

        KeyRing loaded = KeyRingFile.Load(path, _master);
        _keys.AddRange(loaded.Entries.Select(e => e.Key));
        Assert.Equal(2, loaded.Entries.Count);
    }

    [Fact]
    public void WrongMasterKey_IsReportedAsSuch()
    {
        byte[] json = KeyRingFile.Serialize(SampleRing(), _master);
        using var other = new LocalMasterKey(TestKeys.Material(101));

        var exception = Assert.Throws<KeyUnwrapException>(() => KeyRingFile.Parse(json, other));

        Assert.Contains(_master.MasterKeyId, exception.Message, StringComparison.Ordinal);
        Assert.Contains(other.MasterKeyId, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Configure the master key", exception.Message, StringComparison.Ordinal);
        AssertNoKeys(exception);
    }

    [Fact]
    public void WrappedKeyMovedToAnotherEntry_FailsToUnwrap()
    {
        JsonObject document = Document(SampleRing());
        JsonArray keys = document["keys"]!.AsArray();
        (keys[0]!["wrappedKey"], keys[1]!["wrappedKey"]) = (keys[1]!["wrappedKey"]!.DeepClone(), keys[0]!["wrappedKey"]!.DeepClone());

        var exception = Assert.Throws<KeyUnwrapException>(() => Parse(document));

        Assert.Contains("'enc-q3'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("moved from another key ring entry", exception.Message, StringComparison.Ordinal);
        AssertNoKeys(exception);
    }

    [Theory]
    [InlineData("id", "enc-q9")]
    [InlineData("purpose", "blind-index")]
    [InlineData("createdAt", "2020-01-01T00:00:00Z")]
    public void EditedBoundFields_FailToUnwrap(string property, string value)
    {
        JsonObject document = Document(SampleRing());
        document["keys"]![0]![property] = value;

        Assert.Throws<KeyUnwrapException>(() => Parse(document));
    }

    [Fact]
    public void TamperedWrappedKey_FailsToUnwrap()
    {
        JsonObject document = Document(SampleRing());
        byte[] wrapped = Convert.FromBase64String(document["keys"]![0]!["wrappedKey"]!.GetValue<string>());
        wrapped[20] ^= 1;
        document["keys"]![0]!["wrappedKey"] = Convert.ToBase64String(wrapped);

        var exception = Assert.Throws<KeyUnwrapException>(() => Parse(document));

        AssertNoKeys(exception);
    }

    [Fact]
    public void StatusIsNotBound_SoActivatingAStagedKeyByHandWorks()
    {
        JsonObject document = Document(SampleRing());
        document["keys"]![0]!["status"] = "retired";
        document["keys"]![1]!["status"] = "active";

        KeyRing ring = Parse(document);

        Assert.Equal("enc-q2", ring.GetActiveKey(KeyPurpose.Encryption)!.KeyId);
    }

    public static IEnumerable<object[]> MalformedDocuments() =>
    [
        ["not json { 123-45-6789", "is not valid JSON (error at line 1"],
        ["[]", "the document is not a JSON object"],
        ["{}", "the document.format is missing or not a string"],
        ["""{"format":"other/2","masterKeyId":"x","keys":[]}""", "its format is not 'hipaa-analyzers-key-ring/1'"],
        ["""{"format":"hipaa-analyzers-key-ring/1","format":"hipaa-analyzers-key-ring/1","masterKeyId":"x","keys":[]}""", "has the property 'format' more than once"],
        ["""{"format":"hipaa-analyzers-key-ring/1","masterKeyId":"MASTER","keys":[],"secret":"123-45-6789"}""", "the document has an unknown property"],
        ["""{"format":"hipaa-analyzers-key-ring/1","masterKeyId":"MASTER"}""", "the document has no 'keys' array"],
        ["""{"format":"hipaa-analyzers-key-ring/1","masterKeyId":"MASTER","keys":[1]}""", "keys[0] is not a JSON object"],
    ];

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void MalformedDocuments_AreKeyRingFormatErrors(string json, string expected)
    {
        json = json.Replace("MASTER", _master.MasterKeyId, StringComparison.Ordinal);

        var exception = Assert.Throws<KeyRingFormatException>(() => KeyRingFile.Parse(Encoding.UTF8.GetBytes(json), _master));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("6789", exception.ToString(), StringComparison.Ordinal);
        Assert.Null(exception.InnerException);
    }

    [Theory]
    [InlineData("id", "has space", "keys[0].id is not a valid key id")]
    [InlineData("purpose", "signing", "keys[0].purpose is not one of")]
    [InlineData("status", "revoked", "keys[0].status is not one of")]
    [InlineData("createdAt", "yesterday", "keys[0].createdAt is not an ISO 8601 date")]
    [InlineData("wrappedKey", "***123-45-6789***", "keys[0].wrappedKey is not valid base64")]
    [InlineData("keyCheck", "00000000", "keys[0].keyCheck does not match the key 'enc-q3'")]
    [InlineData("extra", "x", "keys[0] has an unknown property")]
    public void MalformedEntries_AreKeyRingFormatErrors(string property, string value, string expected)
    {
        JsonObject document = Document(SampleRing());
        document["keys"]![0]![property] = value;

        var exception = Assert.Throws<KeyRingFormatException>(() => Parse(document));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("6789", exception.ToString(), StringComparison.Ordinal);
        AssertNoKeys(exception);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("purpose")]
    [InlineData("status")]
    [InlineData("keyCheck")]
    [InlineData("wrappedKey")]
    public void MissingEntryProperties_AreKeyRingFormatErrors(string property)
    {
        JsonObject document = Document(SampleRing());
        document["keys"]![0]!.AsObject().Remove(property);

        var exception = Assert.Throws<KeyRingFormatException>(() => Parse(document));

        Assert.Contains("keys[0]." + property + " is missing", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RingRules_AreEnforcedOnLoad()
    {
        JsonObject document = Document(SampleRing());
        document["keys"]![1]!["status"] = "active";

        var exception = Assert.Throws<KeyRingFormatException>(() => Parse(document));

        Assert.Contains("both active", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsAConfigurationError()
    {
        string path = Path.Combine(_directory, "absent.json");

        var exception = Assert.Throws<PhiConfigurationException>(() => KeyRingFile.Load(path, _master));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RewrappingWithANewMasterKey_RotatesTheMasterKey()
    {
        KeyRing ring = SampleRing();
        using var newMaster = new LocalMasterKey(TestKeys.Material(102));

        byte[] rewrapped = KeyRingFile.Serialize(KeyRingFile.Parse(KeyRingFile.Serialize(ring, _master), _master), newMaster);

        Assert.Throws<KeyUnwrapException>(() => KeyRingFile.Parse(rewrapped, _master));
        KeyRing loaded = KeyRingFile.Parse(rewrapped, newMaster);
        _keys.AddRange(loaded.Entries.Select(e => e.Key));
        Assert.Equal(ring.Entries.Select(e => e.Key.KeyCheckValue), loaded.Entries.Select(e => e.Key.KeyCheckValue));
    }

    [Fact]
    public void LocalMasterKey_IdIsAFingerprint_AndToStringHidesTheKey()
    {
        using var same = new LocalMasterKey(TestKeys.Material(100));

        Assert.Matches("^local:[0-9a-f]{8}$", _master.MasterKeyId);
        Assert.Equal(_master.MasterKeyId, same.MasterKeyId);
        SecretAssert.DoesNotRevealKey(_master.ToString(), TestKeys.Material(100));
        Assert.Throws<ArgumentException>(() => new LocalMasterKey(TestKeys.Material(1, 16)));
    }

    [Fact]
    public void LocalMasterKey_RejectsMalformedWrappedKeys()
    {
        byte[] wrapped = _master.WrapKey(TestKeys.Material(1), "ad"u8);
        var destination = new byte[64];

        Assert.Equal(32, _master.UnwrapKey(wrapped, "ad"u8, destination));
        Assert.Throws<KeyUnwrapException>(() => _master.UnwrapKey(wrapped, "other"u8, destination));
        Assert.Throws<KeyUnwrapException>(() => _master.UnwrapKey(wrapped.AsSpan(0, 20), "ad"u8, destination));
        byte[] future = (byte[])wrapped.Clone();
        future[0] = 2;
        Assert.Contains("version 2", Assert.Throws<KeyUnwrapException>(() => _master.UnwrapKey(future, "ad"u8, destination)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("", "is not set")]
    [InlineData("not base64 123-45-6789", "is not valid base64")]
    [InlineData("c2hvcnQ=", "decodes to fewer than 32 bytes")]
    public void LocalMasterKey_FromEnvironment_ReportsProblemsWithoutTheValue(string? value, string expected)
    {
        var exception = Assert.Throws<PhiConfigurationException>(() => LocalMasterKey.FromEnvironment("MY_MASTER", _ => value));

        Assert.Contains("MY_MASTER", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(value))
        {
            Assert.DoesNotContain(value, exception.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LocalMasterKey_FromEnvironment_ReadsTheKey()
    {
        using LocalMasterKey fromEnvironment = LocalMasterKey.FromEnvironment("MY_MASTER", _ => " " + Convert.ToBase64String(TestKeys.Material(100)) + "\n");

        Assert.Equal(_master.MasterKeyId, fromEnvironment.MasterKeyId);
    }

    [Fact]
    public void FileProvider_LoadsLazily_Reloads_AndOwnsItsKeys()
    {
        string path = Path.Combine(_directory, "keyring.json");
        KeyRing ring = SampleRing();
        KeyRingFile.Save(path, ring, _master);
        var logger = new CapturingLogger<FileKeyRingProvider>();
        var provider = new FileKeyRingProvider(path, _master, logger);

        Assert.Contains("not loaded", provider.ToString(), StringComparison.Ordinal);
        KeyRing first = provider.GetKeyRing();
        Assert.Same(first, provider.GetKeyRing());
        Assert.Equal("enc-q3", first.GetActiveKey(KeyPurpose.Encryption)!.KeyId);

        KeyRingFile.Save(path, ring.WithActiveKey("enc-q2"), _master);
        KeyRing second = provider.Reload();
        Assert.Equal("enc-q2", provider.GetKeyRing().GetActiveKey(KeyPurpose.Encryption)!.KeyId);

        File.WriteAllText(path, "{ broken");
        Assert.Throws<KeyRingFormatException>(() => provider.Reload());
        Assert.Same(second, provider.GetKeyRing());

        provider.Dispose();
        Assert.All(first.Entries.Concat(second.Entries), e => Assert.True(e.Key.IsDisposed));
        Assert.Throws<ObjectDisposedException>(() => provider.Reload());

        Assert.Contains(path, logger.AllText, StringComparison.Ordinal);
        Assert.Contains("enc-q3", logger.AllText, StringComparison.Ordinal);
        Assert.Contains(nameof(KeyRingFormatException), logger.AllText, StringComparison.Ordinal);
        foreach (int seed in new[] { 1, 2, 3, 100 })
        {
            SecretAssert.DoesNotRevealKey(logger.AllText, TestKeys.Material(seed));
        }
    }

    private KeyRing SampleRing()
    {
        DataKey q3 = TestKeys.Encryption("enc-q3", 1, new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));
        DataKey q2 = TestKeys.Encryption("enc-q2", 2, new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        DataKey idx = DataKey.FromBytes("idx-1", KeyPurpose.BlindIndex, TestKeys.Material(3));
        _keys.AddRange(new[] { q3, q2, idx });
        return TestKeys.Ring((q3, DataKeyStatus.Active), (q2, DataKeyStatus.Retired), (idx, DataKeyStatus.Active));
    }

    private JsonObject Document(KeyRing ring) => JsonNode.Parse(KeyRingFile.Serialize(ring, _master))!.AsObject();

    private KeyRing Parse(JsonObject document)
    {
        KeyRing ring = KeyRingFile.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()), _master);
        _keys.AddRange(ring.Entries.Select(e => e.Key));
        return ring;
    }

    private static void AssertNoKeys(Exception exception)
    {
        foreach (int seed in new[] { 1, 2, 3, 100 })
        {
            SecretAssert.DoesNotRevealKey(exception.ToString(), TestKeys.Material(seed));
        }
    }
}
