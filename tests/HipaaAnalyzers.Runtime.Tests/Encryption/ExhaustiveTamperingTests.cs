using System;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>The deterministic complement of the property tests: every bit and every prefix of one ciphertext.</summary>
public sealed class ExhaustiveTamperingTests : IDisposable
{
    private readonly DataKey _key = TestKeys.Encryption("enc-x", seed: 5);
    private readonly FieldEncryptor _encryptor;

    public ExhaustiveTamperingTests()
    {
        _encryptor = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Active)));
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public void EveryBitFlip_IsRejected_WithTheErrorOfTheFieldItHits()
    {
        var context = EncryptionContext.ForField("Patients", "Ssn", "1");
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, context);

        for (int bit = 0; bit < ciphertext.Length * 8; bit++)
        {
            byte[] flipped = (byte[])ciphertext.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));

            var exception = Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.Decrypt(flipped, context));

            int offset = bit / 8;
            Type expected = offset switch
            {
                0 => typeof(UnsupportedCiphertextVersionException),
                < 2 + 5 => typeof(FieldEncryptionException),        // key id length or key id: malformed or unknown id
                < 2 + 5 + 4 => typeof(KeyMismatchException),          // key check value
                _ => typeof(CiphertextAuthenticationException),       // nonce, ciphertext, tag
            };
            Assert.IsAssignableFrom(expected, exception);
            FieldEncryptionErrorTests.AssertNoSecrets(exception, TestKeys.Material(5));
        }
    }

    [Fact]
    public void EveryProperPrefix_IsRejected()
    {
        var context = EncryptionContext.ForField("Patients", "Ssn", "1");
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, context);

        for (int length = 0; length < ciphertext.Length; length++)
        {
            byte[] prefix = ciphertext.AsSpan(0, length).ToArray();
            Assert.ThrowsAny<FieldEncryptionException>(() => _encryptor.Decrypt(prefix, context));
        }
    }

    [Fact]
    public void AppendedBytes_AreRejected()
    {
        var context = EncryptionContext.None;
        byte[] ciphertext = _encryptor.Encrypt(TestPlaintexts.SsnBytes, context);

        Assert.Throws<CiphertextAuthenticationException>(() => _encryptor.Decrypt([.. ciphertext, 0], context));
    }
}
