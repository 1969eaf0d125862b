using System;
using System.Buffers.Binary;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class BlindIndexTests : IDisposable
{
    private readonly DataKey _root = DataKey.FromBytes("idx-1", KeyPurpose.BlindIndex, TestKeys.Material(7));
    private readonly InMemoryKeyRingProvider _provider;
    private readonly BlindIndexer _indexer;

    public BlindIndexTests()
    {
        _provider = new InMemoryKeyRingProvider(TestKeys.Ring((_root, DataKeyStatus.Active)));
        _indexer = new BlindIndexer(_provider);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Index_IsTheTruncatedHmacUnderTheHkdfColumnKey()
    {
        BlindIndexColumn column = _indexer.ForColumn("Patients", "Ssn", new BlindIndexDefinition(32));

        byte[] index = column.Compute("123-45-6789");

        byte[] info = Encoding.ASCII.GetBytes("HipaaAnalyzers.Runtime/v1/blind-index").Concat(LengthPrefixed("Patients")).Concat(LengthPrefixed("Ssn")).ToArray();
        byte[] columnKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, TestKeys.Material(7), 32, Array.Empty<byte>(), info);
        byte[] mac = HMACSHA256.HashData(columnKey, Encoding.UTF8.GetBytes("123-45-6789"));
        Assert.Equal(mac.AsSpan(0, 4).ToArray(), index);
        Assert.Equal(Convert.ToHexString(index).ToLowerInvariant(), column.ComputeHex("123-45-6789"));
    }

    [Fact]
    public void Index_IsDeterministic_AndDiffersPerValueColumnAndTable()
    {
        BlindIndexColumn ssn = _indexer.ForColumn("Patients", "Ssn", new BlindIndexDefinition(64));

        Assert.Equal(ssn.Compute("123-45-6789"), ssn.Compute("123-45-6789"));
        Assert.Equal(ssn.Compute("123-45-6789"), _indexer.ForColumn("Patients", "Ssn", new BlindIndexDefinition(64)).Compute("123-45-6789"));
        Assert.NotEqual(ssn.Compute("123-45-6789"), ssn.Compute("123-45-6788"));
        Assert.NotEqual(ssn.Compute("123-45-6789"), _indexer.ForColumn("Patients", "Mrn", new BlindIndexDefinition(64)).Compute("123-45-6789"));
        Assert.NotEqual(ssn.Compute("123-45-6789"), _indexer.ForColumn("Staff", "Ssn", new BlindIndexDefinition(64)).Compute("123-45-6789"));
        Assert.NotEqual(
            _indexer.ForColumn("ab", "c", new BlindIndexDefinition(64)).Compute("v"),
            _indexer.ForColumn("a", "bc", new BlindIndexDefinition(64)).Compute("v"));
    }

    [Theory]
    [InlineData(1, 1, 0x80)]
    [InlineData(12, 2, 0xF0)]
    [InlineData(16, 2, 0xFF)]
    [InlineData(20, 3, 0xF0)]
    [InlineData(256, 32, 0xFF)]
    public void Truncation_KeepsTheChosenNumberOfBits(int bits, int bytes, int lastByteMask)
    {
        BlindIndexColumn column = _indexer.ForColumn("Patients", "Dob", new BlindIndexDefinition(bits));
        BlindIndexColumn full = _indexer.ForColumn("Patients", "Dob", new BlindIndexDefinition(256));

        for (int i = 0; i < 50; i++)
        {
            byte[] index = column.Compute("1984-07-" + i);
            byte[] reference = full.Compute("1984-07-" + i);

            Assert.Equal(bytes, index.Length);
            Assert.Equal(bytes, column.SizeInBytes);
            Assert.Equal(0, index[^1] & ~lastByteMask);
            Assert.Equal(reference[bytes - 1] & lastByteMask, index[^1]);
            Assert.Equal(reference.AsSpan(0, bytes - 1).ToArray(), index.AsSpan(0, bytes - 1).ToArray());
        }
    }

    [Fact]
    public void Normalizer_MakesSpellingsMatch_ForTextOnly()
    {
        var definition = new BlindIndexDefinition(32) { Normalizer = s => new string(s.Where(char.IsDigit).ToArray()) };
        BlindIndexColumn column = _indexer.ForColumn("Patients", "Ssn", definition);

        Assert.Equal(column.Compute("123-45-6789"), column.Compute("123 45 6789"));
        Assert.Equal(column.Compute("123456789"), column.Compute(Encoding.UTF8.GetBytes("123456789")));
    }

    [Fact]
    public void LongValues_TakeThePooledPath()
    {
        BlindIndexColumn column = _indexer.ForColumn("Notes", "Body", new BlindIndexDefinition(128));
        string value = string.Concat(Enumerable.Repeat("Zoë 山田 ", 400));

        Assert.Equal(column.Compute(Encoding.UTF8.GetBytes(value)), column.Compute(value));
    }

    [Fact]
    public void Rotation_ComputeForAllKeys_CoversTheTransition()
    {
        BlindIndexColumn column = _indexer.ForColumn("Patients", "Ssn", new BlindIndexDefinition(32));
        byte[] before = column.Compute("123-45-6789");
        using DataKey next = DataKey.FromBytes("idx-2", KeyPurpose.BlindIndex, TestKeys.Material(8));

        _provider.Update(_provider.GetKeyRing().WithKey(next, DataKeyStatus.Active));

        byte[] after = column.Compute("123-45-6789");
        Assert.NotEqual(before, after);
        Assert.Equal(new[] { after, before }, column.ComputeForAllKeys("123-45-6789"));
    }

    [Fact]
    public void NoBlindIndexKey_IsAConfigurationError()
    {
        using DataKey encryption = TestKeys.Encryption();
        var indexer = new BlindIndexer(new InMemoryKeyRingProvider(TestKeys.Ring((encryption, DataKeyStatus.Active))));

        var exception = Assert.Throws<PhiConfigurationException>(() => indexer.ForColumn("T", "C", new BlindIndexDefinition(16)).Compute("x"));

        Assert.Contains("no active blind-index key", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HIPAA_BLIND_INDEX_KEYS", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisposingTheRootKey_ZeroesDerivedKeys_AndStopsIndexing()
    {
        DataKey root = DataKey.FromBytes("idx-temp", KeyPurpose.BlindIndex, TestKeys.Material(9));
        var indexer = new BlindIndexer(new InMemoryKeyRingProvider(TestKeys.Ring((root, DataKeyStatus.Active))));
        BlindIndexColumn column = indexer.ForColumn("T", "C", new BlindIndexDefinition(16));
        column.Compute("x");

        root.Dispose();

        Assert.Throws<ObjectDisposedException>(() => column.Compute("x"));
    }

    [Fact]
    public void InvalidInput_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlindIndexDefinition(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlindIndexDefinition(257));
        BlindIndexColumn column = _indexer.ForColumn("T", "C", new BlindIndexDefinition(16));
        Assert.Throws<ArgumentNullException>(() => column.Compute((string)null!));
        var exception = Assert.Throws<ArgumentException>(() => column.Compute("MRN-7\uD800"));
        Assert.DoesNotContain("MRN-7", exception.ToString(), StringComparison.Ordinal);
        BlindIndexColumn badNormalizer = _indexer.ForColumn("T", "C", new BlindIndexDefinition(16) { Normalizer = _ => null! });
        Assert.Throws<InvalidOperationException>(() => badNormalizer.Compute("x"));
    }

    [Fact]
    public void ForColumn_RunsThePlanner_AndLogsItsWarnings()
    {
        var logger = new CapturingLogger<BlindIndexer>();
        var indexer = new BlindIndexer(_provider, logger);

        BlindIndexColumn dob = indexer.ForColumn("Patients", "DateOfBirth", new BlindIndexDefinition(32) { DomainSize = 36_525, ExpectedRows = 1_000_000 });
        BlindIndexColumn ssn = indexer.ForColumn("Patients", "Ssn", new BlindIndexDefinition(16) { DomainSize = 1e9, ExpectedRows = 1_000_000 });

        Assert.False(dob.Plan!.IsAcceptable);
        Assert.True(ssn.Plan!.IsAcceptable);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Patients.DateOfBirth", warning.Text, StringComparison.Ordinal);
        Assert.Contains("TooLong", warning.Text, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(logger.AllText, TestKeys.Material(7));
        Assert.Null(_indexer.ForColumn("T", "C", new BlindIndexDefinition(16)).Plan);
    }

    [Fact]
    public void ToStrings_HideTheKey()
    {
        BlindIndexColumn column = _indexer.ForColumn("Patients", "Ssn", new BlindIndexDefinition(24));

        Assert.Equal("BlindIndexColumn Patients.Ssn (24 bits)", column.ToString());
        SecretAssert.DoesNotRevealKey(_indexer.ToString(), TestKeys.Material(7));
    }

    private static byte[] LengthPrefixed(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)utf8.Length);
        return prefix.Concat(utf8).ToArray();
    }
}
