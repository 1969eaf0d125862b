using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>
/// Every kind of bad input gets its own exception type and an actionable message, and no message or
/// <c>ToString()</c> contains the plaintext or key bytes.
/// </summary>
public sealed class FieldEncryptionErrorTests : IDisposable
{
    private static readonly EncryptionContext Row = EncryptionContext.ForField("Patients", "Ssn", "42");

    private readonly DataKey _key = TestKeys.Encryption("enc-1", seed: 1);
    private readonly FieldEncryptor _encryptor;
    private readonly byte[] _ciphertext;

    public FieldEncryptionErrorTests()
    {
        _encryptor = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Active)));
        _ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, Row);
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public void WrongKey_SameIdDifferentKey_IsAKeyMismatch()
    {
        using DataKey impostor = TestKeys.Encryption("enc-1", seed: 2);
        var otherEnvironment = new FieldEncryptor(TestKeys.Ring((impostor, DataKeyStatus.Active)));

        var exception = Assert.Throws<KeyMismatchException>(() => otherEnvironment.Decrypt(_ciphertext, Row));

        Assert.Equal("enc-1", exception.KeyId);
        Assert.Contains("'enc-1'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("not the key that encrypted this value", exception.Message, StringComparison.Ordinal);
        AssertNoSecrets(exception, TestKeys.Material(1), TestKeys.Material(2));
    }

    [Fact]
    public void UnknownKeyId_SaysWhichKeyIsMissing()
    {
        using DataKey other = TestKeys.Encryption("enc-other", seed: 3);
        var withoutTheKey = new FieldEncryptor(TestKeys.Ring((other, DataKeyStatus.Active)));

        var exception = Assert.Throws<UnknownKeyIdException>(() => withoutTheKey.Decrypt(_ciphertext, Row));

        Assert.Equal("enc-1", exception.KeyId);
        Assert.Contains("'enc-1'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("does not hold", exception.Message, StringComparison.Ordinal);
        AssertNoSecrets(exception, TestKeys.Material(1), TestKeys.Material(3));
    }

    [Fact]
    public void KeyOfAnotherPurpose_IsNotUsedToDecrypt()
    {
        using DataKey blindIndexKey = DataKey.FromBytes("enc-1", KeyPurpose.BlindIndex, TestKeys.Material(1));
        var wrongPurpose = new FieldEncryptor(TestKeys.Ring((blindIndexKey, DataKeyStatus.Active)));

        Assert.Throws<UnknownKeyIdException>(() => wrongPurpose.Decrypt(_ciphertext, Row));
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    public void TamperedCiphertext_FailsAuthentication(string where)
    {
        byte[] tampered = (byte[])_ciphertext.Clone();
        int offset = where switch
        {
            "nonce" => 2 + 5 + 4,
            "ciphertext" => 2 + 5 + 4 + 12 + 3,
            _ => tampered.Length - 1,
        };
        tampered[offset] ^= 0x10;

        var exception = Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(tampered, Row));

        Assert.Equal("enc-1", exception.KeyId);
        Assert.Contains("modified", exception.Message, StringComparison.Ordinal);
        AssertNoSecrets(exception, TestKeys.Material(1));
    }

    [Fact]
    public void WrongAssociatedData_FailsAuthentication_AndSaysTheContextMayDiffer()
    {
        var exception = Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(_ciphertext, EncryptionContext.ForField("Patients", "Ssn", "43")));

        Assert.Contains("different context", exception.Message, StringComparison.Ordinal);
        Assert.Contains("copied from another row", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("43", exception.Message, StringComparison.Ordinal);
        AssertNoSecrets(exception, TestKeys.Material(1));
    }

    [Fact]
    public void TamperedKeyCheck_IsReportedAsAMismatch()
    {
        byte[] tampered = (byte[])_ciphertext.Clone();
        tampered[2 + 5] ^= 0x01;

        Assert.Throws<KeyMismatchException>(() => _encryptor.Decrypt(tampered, Row));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(40)]
    public void TruncatedCiphertext_IsMalformedOrFailsAuthentication(int removed)
    {
        byte[] truncated = _ciphertext.AsSpan(0, _ciphertext.Length - removed).ToArray();

        var exception = Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.Decrypt(truncated, Row));

        Assert.True(exception is MalformedCiphertextException or CiphertextAuthenticationException, exception.GetType().Name);
        AssertNoSecrets(exception, TestKeys.Material(1));
    }

    [Fact]
    public void TruncatedBelowTheHeader_SaysTruncated_WithTheLengths()
    {
        byte[] truncated = _ciphertext.AsSpan(0, 20).ToArray();

        var exception = Assert.Throws<MalformedCiphertextException>(() => _encryptor.Decrypt(truncated, Row));

        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
        Assert.Contains("20 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains("39", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyCiphertext_IsMalformed()
    {
        var exception = Assert.Throws<MalformedCiphertextException>(() => _encryptor.Decrypt(ReadOnlySpan<byte>.Empty, Row));

        Assert.Contains("empty", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)]
    [InlineData(0x7B)]
    [InlineData(0xFF)]
    public void UnknownVersion_IsReportedFirst_EvenForShortValues(byte version)
    {
        byte[] future = (byte[])_ciphertext.Clone();
        future[0] = version;

        var exception = Assert.Throws<UnsupportedCiphertextVersionException>(() => _encryptor.Decrypt(future, Row));
        var shortFuture = Assert.Throws<UnsupportedCiphertextVersionException>(() => _encryptor.Decrypt(new[] { version }, Row));

        Assert.Equal(version, exception.Version);
        Assert.Equal(version, shortFuture.Version);
        Assert.Contains("version " + version, exception.Message, StringComparison.Ordinal);
        AssertNoSecrets(exception, TestKeys.Material(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(255)]
    public void InvalidKeyIdLength_IsMalformed(byte length)
    {
        byte[] bad = (byte[])_ciphertext.Clone();
        bad[1] = length;

        var exception = Assert.Throws<MalformedCiphertextException>(() => _encryptor.Decrypt(bad, Row));

        Assert.Contains("key id length", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidKeyIdCharacters_AreMalformed_AndNotEchoed()
    {
        byte[] bad = (byte[])_ciphertext.Clone();
        bad[2] = (byte)'\n';

        var exception = Assert.Throws<MalformedCiphertextException>(() => _encryptor.Decrypt(bad, Row));

        Assert.DoesNotContain("\n", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all: 123-45-6789")]
    [InlineData("AQ==")]
    [InlineData("")]
    public void BadStringCiphertext_IsMalformed(string ciphertext)
    {
        var exception = Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.DecryptString(ciphertext, Row));

        Assert.IsType<MalformedCiphertextException>(exception);
        Assert.DoesNotContain("6789", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exceptions_DeriveFromCryptographicException_AndCarryNoInnerException()
    {
        var errors = new List<FieldEncryptionException>
        {
            Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.Decrypt(new byte[] { 9 }, Row)),
            Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.Decrypt(new byte[] { 1, 1 }, Row)),
            Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.Decrypt(_ciphertext, EncryptionContext.None)),
        };

        Assert.All(errors, e =>
        {
            Assert.IsAssignableFrom<CryptographicException>(e);
            Assert.Null(e.InnerException);
        });
    }

    [Fact]
    public void ExceptionTypes_HaveTheStandardConstructors()
    {
        var inner = new InvalidOperationException("inner");
        Exception[] all =
        {
            new FieldEncryptionException(), new FieldEncryptionException("m"), new FieldEncryptionException("m", inner),
            new MalformedCiphertextException(), new MalformedCiphertextException("m"), new MalformedCiphertextException("m", inner),
            new UnsupportedCiphertextVersionException(), new UnsupportedCiphertextVersionException("m"), new UnsupportedCiphertextVersionException("m", inner),
            new UnknownKeyIdException(), new UnknownKeyIdException("m"), new UnknownKeyIdException("m", inner),
            new KeyMismatchException(), new KeyMismatchException("m"), new KeyMismatchException("m", inner),
            new CiphertextAuthenticationException(), new CiphertextAuthenticationException("m"), new CiphertextAuthenticationException("m", inner),
            new KeyUnwrapException(), new KeyUnwrapException("m"), new KeyUnwrapException("m", inner),
            new KeyRingFormatException(), new KeyRingFormatException("m"), new KeyRingFormatException("m", inner),
        };

        Assert.All(all, e => Assert.False(string.IsNullOrEmpty(e.Message)));
        Assert.Equal(8, all.Count(e => e.InnerException is not null));
    }

    internal static void AssertNoSecrets(Exception exception, params byte[][] keys)
    {
        foreach (string text in new[] { exception.Message, exception.ToString() })
        {
            TestPlaintexts.NotRevealed(text, TestPlaintexts.SsnBytes);
            foreach (byte[] key in keys)
            {
                SecretAssert.DoesNotRevealKey(text, key);
            }
        }
    }
}
