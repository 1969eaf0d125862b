using System;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class EncryptionContextTests : IDisposable
{
    private readonly DataKey _key = TestKeys.Encryption();
    private readonly FieldEncryptor _encryptor;

    public EncryptionContextTests()
    {
        _encryptor = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Active)));
    }

    public void Dispose() => _key.Dispose();

    [Theory]
    [InlineData(new[] { "ab", "c" }, new[] { "a", "bc" })]
    [InlineData(new[] { "a" }, new[] { "a", "" })]
    [InlineData(new string[0], new[] { "" })]
    [InlineData(new[] { "Patients|Ssn", "1" }, new[] { "Patients", "Ssn|1" })]
    [InlineData(new[] { "Patients", "Ssn", "1" }, new[] { "Patients", "Ssn1" })]
    [InlineData(new[] { "a\0b" }, new[] { "a", "b" })]
    public void PartsAreEncodedUnambiguously(string[] encryptedWith, string[] decryptedWith)
    {
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, EncryptionContext.FromParts(encryptedWith));

        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt(ciphertext, EncryptionContext.FromParts(decryptedWith)));
        Assert.Equal(TestPlaintexts.SsnBytes, _encryptor.Decrypt(ciphertext, EncryptionContext.FromParts(encryptedWith)));
    }

    [Fact]
    public void Encoding_IsCountThenLengthPrefixedUtf8Parts()
    {
        var context = EncryptionContext.ForField("Patients", "Ssn", "Zoë");

        Assert.Equal(FieldEncryptorTests.EncodeContext("Patients", "Ssn", "Zoë"), context.Encoded.ToArray());
        Assert.Equal(new byte[] { 0, 0 }, EncryptionContext.None.Encoded.ToArray());
    }

    [Fact]
    public void TypedRowKeys_AreFormattedInvariantly()
    {
        var guid = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");

        Assert.Equal(EncryptionContext.ForField("T", "C", "6f9619ff-8b86-d011-b42d-00cf4fc964ff").Encoded.ToArray(), EncryptionContext.ForField("T", "C", guid).Encoded.ToArray());
        Assert.Equal(EncryptionContext.ForField("T", "C", "-42").Encoded.ToArray(), EncryptionContext.ForField("T", "C", -42L).Encoded.ToArray());
    }

    [Fact]
    public void ToString_ShowsThePartCountOnly()
    {
        var context = EncryptionContext.ForField("Patients", "Ssn", "123-45-6789");

        Assert.Equal("EncryptionContext (3 parts)", context.ToString());
        Assert.Equal(3, context.PartCount);
    }

    [Fact]
    public void FromParts_CopiesTheArray()
    {
        string[] parts = { "Patients", "Ssn", "1" };
        var context = EncryptionContext.FromParts(parts);
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, context);

        parts[2] = "2";

        Assert.Equal(TestPlaintexts.SsnBytes, _encryptor.Decrypt(ciphertext, context));
    }

    [Fact]
    public void InvalidParts_AreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => EncryptionContext.ForField(null!, "c", "r"));
        Assert.Throws<ArgumentNullException>(() => EncryptionContext.ForField("t", "c", (string)null!));
        Assert.Throws<ArgumentNullException>(() => EncryptionContext.FromParts("a", null!));
        Assert.Throws<ArgumentNullException>(() => EncryptionContext.FromParts(null!));

        var exception = Assert.Throws<ArgumentException>(() => EncryptionContext.ForField("Patients", "Ssn", "MRN-7\uDC00"));
        Assert.DoesNotContain("MRN-7", exception.ToString(), StringComparison.Ordinal);
    }
}
