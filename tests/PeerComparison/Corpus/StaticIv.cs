using System;
using System.Security.Cryptography;
using System.Text;

namespace PeerComparison.Corpus;

// Category static-iv: zero, constant, key-derived or reused IVs, nonces and salts, next to IVs read from the
// ciphertext on decryption, generated IVs and nonces, and stored per-user salts.
public static class StaticIv
{
    private static readonly byte[] FixedIv = { 0x0A, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F, 0x60, 0x71, 0x82, 0x93, 0xA4, 0xB5, 0xC6, 0xD7, 0xE8, 0xF9 }; // expect: static-iv @fixed-iv

    private static readonly byte[] PasswordSalt = Encoding.UTF8.GetBytes("riverside-clinic-salt"); // expect: static-iv @fixed-salt

    // Vulnerable: an all-zero IV.
    public static byte[] EncryptAllergyList(byte[] key, byte[] allergies)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.IV = new byte[16]; // expect: static-iv @zero-iv
        using var encryptor = aes.CreateEncryptor(); // expect: static-iv @zero-iv
        return encryptor.TransformFinalBlock(allergies, 0, allergies.Length);
    }

    // Vulnerable: the same IV for every message, from a static field.
    public static ICryptoTransform CreateMessageEncryptor(byte[] key)
    {
        using var aes = Aes.Create();
        return aes.CreateEncryptor(key, FixedIv); // expect: static-iv @fixed-iv
    }

    // Vulnerable: one salt for every user's password.
    public static byte[] HashPassword(string password)
    {
        return Rfc2898DeriveBytes.Pbkdf2(password, PasswordSalt, 600_000, HashAlgorithmName.SHA256, 32); // expect: static-iv @fixed-salt
    }

    // Vulnerable: a zero nonce with AES-GCM (every message under the key reuses it).
    public static void EncryptInsuranceCard(byte[] key, byte[] card, byte[] ciphertext, byte[] tag)
    {
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(new byte[12], card, ciphertext, tag); // expect: static-iv
    }

    // Vulnerable: the IV taken from the key, so it repeats for every message under that key.
    public static byte[] EncryptWithKeyAsIv(byte[] key, byte[] record)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.IV = key.AsSpan(0, 16).ToArray(); // expect: static-iv @key-as-iv
        using var encryptor = aes.CreateEncryptor(); // expect: static-iv @key-as-iv
        return encryptor.TransformFinalBlock(record, 0, record.Length);
    }

    // Safe: the nonce is read back from the front of the stored value when decrypting (nonce | ciphertext | tag).
    public static byte[] DecryptRecord(byte[] key, byte[] stored)
    {
        var nonce = stored.AsSpan(0, 12);
        var tag = stored.AsSpan(stored.Length - 16);
        var plaintext = new byte[stored.Length - 12 - 16];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(nonce, stored.AsSpan(12, plaintext.Length), tag, plaintext); // safe: static-iv
        return plaintext;
    }

    // Safe: a fresh IV from the algorithm itself, and an HMAC over IV and ciphertext (encrypt-then-MAC).
    public static byte[] EncryptWithGeneratedIv(byte[] key, byte[] macKey, byte[] record, out byte[] mac)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.GenerateIV(); // safe: static-iv @generated-iv
        using var encryptor = aes.CreateEncryptor(); // safe: static-iv @generated-iv
        var ciphertext = encryptor.TransformFinalBlock(record, 0, record.Length);
        var result = new byte[aes.IV.Length + ciphertext.Length];
        aes.IV.CopyTo(result, 0);
        ciphertext.CopyTo(result, aes.IV.Length);
        mac = HMACSHA256.HashData(macKey, result);
        return result;
    }

    // Safe: a random IV set explicitly before CreateEncryptor, with an HMAC over IV and ciphertext.
    public static byte[] EncryptWithRandomIv(byte[] key, byte[] macKey, byte[] record, out byte[] mac)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.IV = RandomNumberGenerator.GetBytes(16); // safe: static-iv @random-iv
        using var encryptor = aes.CreateEncryptor(); // safe: static-iv @random-iv
        var ciphertext = encryptor.TransformFinalBlock(record, 0, record.Length);
        var result = new byte[aes.IV.Length + ciphertext.Length];
        aes.IV.CopyTo(result, 0);
        ciphertext.CopyTo(result, aes.IV.Length);
        mac = HMACSHA256.HashData(macKey, result);
        return result;
    }

    // Safe: a random nonce per message for AES-GCM.
    public static byte[] EncryptWithRandomNonce(byte[] key, byte[] note, byte[] ciphertext, byte[] tag)
    {
        var nonce = new byte[AesGcm.NonceByteSizes.MaxSize];
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, note, ciphertext, tag); // safe: static-iv
        return nonce;
    }

    // Safe: verifying a password against the salt stored with the user's hash.
    public static bool VerifyPassword(string password, byte[] storedSalt, byte[] storedHash)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, storedSalt, 600_000, HashAlgorithmName.SHA256, 32); // safe: static-iv
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    // Safe: a fresh random salt for a new password.
    public static byte[] NewSalt()
    {
        return RandomNumberGenerator.GetBytes(16); // safe: static-iv
    }
}
