using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class FieldEncryptorTests : IDisposable
{
    private static readonly EncryptionContext Row = EncryptionContext.ForField("Patients", "Ssn", "42");

    private readonly DataKey _key = TestKeys.Encryption("enc-2025q3", seed: 1);
    private readonly FieldEncryptor _encryptor;

    public FieldEncryptorTests()
    {
        _encryptor = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Active)));
    }

    public void Dispose() => _key.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1024)]
    [InlineData(70_000)]
    public void Bytes_RoundTrip(int length)
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);

        byte[] ciphertext = _encryptor.Encrypt(plaintext, Row);

        Assert.Equal(plaintext, _encryptor.Decrypt(ciphertext, Row));
    }

    [Theory]
    [InlineData("")]
    [InlineData("123-45-6789")]
    [InlineData("Zoë Ångström 山田 🩺")]
    public void Strings_RoundTrip(string plaintext)
    {
        string ciphertext = _encryptor.EncryptString(plaintext, Row);

        Assert.Equal(plaintext, _encryptor.DecryptString(ciphertext, Row));
        Assert.DoesNotContain("6789", ciphertext, StringComparison.Ordinal);
    }

    [Fact]
    public void LongString_RoundTrips_ThroughThePooledPath()
    {
        string plaintext = string.Concat(Enumerable.Repeat("Zoë 山田 ", 2000));

        Assert.Equal(plaintext, _encryptor.DecryptString(_encryptor.EncryptString(plaintext, Row), Row));
    }

    [Fact]
    public void StringCiphertext_IsStandardBase64OfTheBinaryFormat()
    {
        string ciphertext = _encryptor.EncryptString(TestPlaintexts.Ssn, Row);

        byte[] binary = Convert.FromBase64String(ciphertext);
        Assert.Equal(TestPlaintexts.Ssn, Encoding.UTF8.GetString(_encryptor.Decrypt(binary, Row)));
    }

    [Fact]
    public void Format_IsVersionKeyIdCheckNonceCiphertextTag_ByteByByte()
    {
        byte[] plaintext = TestPlaintexts.SsnBytes;

        byte[] ciphertext = _encryptor.Encrypt(plaintext, Row);

        byte[] keyId = Encoding.ASCII.GetBytes("enc-2025q3");
        int l = keyId.Length;
        Assert.Equal(1 + 1 + l + 4 + 12 + plaintext.Length + 16, ciphertext.Length);
        Assert.Equal(0x01, ciphertext[0]);
        Assert.Equal(l, ciphertext[1]);
        Assert.Equal(keyId, ciphertext.AsSpan(2, l).ToArray());
        Assert.Equal(Convert.FromHexString(_key.KeyCheckValue), ciphertext.AsSpan(2 + l, 4).ToArray());

        // Decrypt by hand with the documented derivation and associated data: the format is exactly what the docs say.
        byte[] aesKey = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, TestKeys.Material(1), aesKey, Array.Empty<byte>(), Encoding.ASCII.GetBytes("HipaaAnalyzers.Runtime/v1/field-encryption/aes-256-gcm"));
        byte[] associatedData = ciphertext.AsSpan(0, 2 + l + 4).ToArray().Concat(EncodeContext("Patients", "Ssn", "42")).ToArray();
        byte[] decrypted = new byte[plaintext.Length];
        using var aes = new AesGcm(aesKey, 16);
        aes.Decrypt(
            ciphertext.AsSpan(6 + l, 12),
            ciphertext.AsSpan(18 + l, plaintext.Length),
            ciphertext.AsSpan(18 + l + plaintext.Length, 16),
            decrypted,
            associatedData);
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void KeyCheckValue_IsTheDocumentedHkdf()
    {
        byte[] check = new byte[4];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, TestKeys.Material(1), check, Array.Empty<byte>(), Encoding.ASCII.GetBytes("HipaaAnalyzers.Runtime/v1/key-check"));

        Assert.Equal(Convert.ToHexString(check).ToLowerInvariant(), _key.KeyCheckValue);
    }

    [Fact]
    public void EveryEncryption_UsesAFreshNonce()
    {
        int nonceOffset = 2 + "enc-2025q3".Length + 4;
        var nonces = new HashSet<string>(StringComparer.Ordinal);
        var ciphertexts = new HashSet<string>(StringComparer.Ordinal);

        for (int i = 0; i < 200; i++)
        {
            byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);
            nonces.Add(Convert.ToHexString(ciphertext, nonceOffset, 12));
            ciphertexts.Add(Convert.ToHexString(ciphertext));
        }

        Assert.Equal(200, nonces.Count);
        Assert.Equal(200, ciphertexts.Count);
    }

    [Fact]
    public void Ciphertext_DoesNotContainThePlaintext()
    {
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);

        Assert.Equal(-1, ciphertext.AsSpan().IndexOf(TestPlaintexts.SsnBytes));
    }

    [Fact]
    public void SpanApis_MatchTheArrayApis()
    {
        byte[] plaintext = TestPlaintexts.SsnBytes;
        int length = _encryptor.GetCiphertextLength(plaintext.Length);
        var destination = new byte[length + 10];

        int written = _encryptor.Encrypt(plaintext, Row, destination);

        Assert.Equal(length, written);
        CiphertextHeader header = FieldEncryptor.ReadHeader(destination.AsSpan(0, written));
        Assert.Equal(1, header.Version);
        Assert.Equal("enc-2025q3", header.KeyId);
        Assert.Equal(plaintext.Length, header.PlaintextLength);

        var decrypted = new byte[header.PlaintextLength];
        Assert.Equal(plaintext.Length, _encryptor.Decrypt(destination.AsSpan(0, written), Row, decrypted));
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void SpanApis_RejectShortOrOverlappingBuffers()
    {
        byte[] plaintext = TestPlaintexts.SsnBytes;
        byte[] ciphertext = _encryptor.Encrypt(plaintext, Row);
        var shared = new byte[200];

        Assert.Throws<ArgumentException>(() => _encryptor.Encrypt(plaintext, Row, new byte[ciphertext.Length - 1]));
        Assert.Throws<ArgumentException>(() => _encryptor.Encrypt(shared.AsSpan(0, 10), Row, shared.AsSpan(5)));
        Assert.Throws<ArgumentException>(() => _encryptor.Decrypt(ciphertext, Row, new byte[plaintext.Length - 1]));
    }

    [Fact]
    public void FailedDecryptInto_ClearsTheDestination()
    {
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);
        ciphertext[^1] ^= 1;
        byte[] destination = Enumerable.Repeat((byte)0xEE, TestPlaintexts.SsnBytes.Length).ToArray();

        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, Row, destination));
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Context_BindsTheCiphertextToItsRowColumnAndTable()
    {
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);

        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, EncryptionContext.ForField("Patients", "Ssn", "43")));
        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, EncryptionContext.ForField("Patients", "Mrn", "42")));
        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, EncryptionContext.ForField("Staff", "Ssn", "42")));
        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, EncryptionContext.ForColumn("Patients", "Ssn")));
        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, EncryptionContext.None));
        Assert.Equal(TestPlaintexts.SsnBytes, _encryptor.Decrypt(ciphertext, EncryptionContext.FromParts("Patients", "Ssn", "42")));
    }

    [Fact]
    public void IsEncryptedWithActiveKey_AndReEncrypt_MoveValuesToTheActiveKey()
    {
        using DataKey next = TestKeys.Encryption("enc-2025q4", seed: 2);
        KeyRing before = TestKeys.Ring((_key, DataKeyStatus.Active));
        var provider = new InMemoryKeyRingProvider(before);
        var encryptor = new FieldEncryptor(provider);
        byte[] old = encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);
        Assert.True(encryptor.IsEncryptedWithActiveKey(old));

        provider.Update(before.WithKey(next, DataKeyStatus.Active));

        Assert.False(encryptor.IsEncryptedWithActiveKey(old));
        Assert.Equal(TestPlaintexts.SsnBytes, encryptor.Decrypt(old, Row));
        byte[] moved = encryptor.ReEncrypt(old, Row);
        Assert.True(encryptor.IsEncryptedWithActiveKey(moved));
        Assert.Equal("enc-2025q4", FieldEncryptor.ReadHeader(moved).KeyId);
        Assert.Equal(TestPlaintexts.SsnBytes, encryptor.Decrypt(moved, Row));
    }

    [Fact]
    public void NoActiveKey_EncryptThrowsAConfigurationError_ButRetiredKeysStillDecrypt()
    {
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);
        var retiredOnly = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Retired)));

        var exception = Assert.Throws<PhiConfigurationException>(() => retiredOnly.Encrypt(TestPlaintexts.SsnBytes, Row));
        Assert.Contains("no active encryption key", exception.Message, StringComparison.Ordinal);
        Assert.Equal(TestPlaintexts.SsnBytes, retiredOnly.Decrypt(ciphertext, Row));
    }

    [Fact]
    public void StagedKeys_DecryptButAreNotUsedForNewValues()
    {
        using DataKey staged = TestKeys.Encryption("enc-next", seed: 3);
        var stagedWriter = new FieldEncryptor(TestKeys.Ring((staged, DataKeyStatus.Active)));
        var encryptor = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Active), (staged, DataKeyStatus.Staged)));

        byte[] fromNewInstance = stagedWriter.Encrypt(TestPlaintexts.SsnBytes, Row);

        Assert.Equal(TestPlaintexts.SsnBytes, encryptor.Decrypt(fromNewInstance, Row));
        Assert.Equal("enc-2025q3", FieldEncryptor.ReadHeader(encryptor.Encrypt(TestPlaintexts.SsnBytes, Row)).KeyId);
    }

    [Fact]
    public void UnpairedSurrogate_IsRejectedWithoutQuotingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => _encryptor.EncryptString("SSN 123-45-6789 \uD800", Row));

        Assert.DoesNotContain("6789", exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("D800", exception.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public void DecryptString_OfABinaryValue_FailsWithoutQuotingIt()
    {
        byte[] binary = { 0xC3, 0x28, 0xFF, 0x41, 0x42 };
        string ciphertext = Convert.ToBase64String(_encryptor.Encrypt(binary, Row));

        var exception = Assert.Throws<FieldEncryptionException>(() => _encryptor.DecryptString(ciphertext, Row));

        Assert.Contains("not UTF-8", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("C3", exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FF", exception.ToString(), StringComparison.Ordinal);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public void IsThreadSafe()
    {
        byte[][] plaintexts = Enumerable.Range(0, 32).Select(i => RandomNumberGenerator.GetBytes(i * 37)).ToArray();
        var failures = 0;

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            byte[] plaintext = plaintexts[i % plaintexts.Length];
            var context = EncryptionContext.ForField("T", "C", i);
            if (!_encryptor.Decrypt(_encryptor.Encrypt(plaintext, context), context).AsSpan().SequenceEqual(plaintext))
            {
                System.Threading.Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void DisposedKey_IsNotUsable()
    {
        DataKey key = TestKeys.Encryption("enc-disposable", seed: 9);
        var encryptor = new FieldEncryptor(TestKeys.Ring((key, DataKeyStatus.Active)));
        byte[] ciphertext = encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);

        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encryptor.Encrypt(TestPlaintexts.SsnBytes, Row));
        Assert.Throws<ObjectDisposedException>(() => encryptor.Decrypt(ciphertext, Row));
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Throws<ArgumentNullException>(() => new FieldEncryptor((IKeyRingProvider)null!));
        Assert.Throws<ArgumentNullException>(() => _encryptor.Encrypt(TestPlaintexts.SsnBytes, null!));
        Assert.Throws<ArgumentNullException>(() => _encryptor.EncryptString(null!, Row));
        Assert.Throws<ArgumentNullException>(() => _encryptor.DecryptString(null!, Row));
        Assert.Throws<ArgumentOutOfRangeException>(() => _encryptor.GetCiphertextLength(-1));
    }

    internal static byte[] EncodeContext(params string[] parts)
    {
        var bytes = new List<byte>();
        var count = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(count, (ushort)parts.Length);
        bytes.AddRange(count);
        foreach (string part in parts)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(part);
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }

        return bytes.ToArray();
    }
}
