using System;
using System.Security.Cryptography;

namespace PeerComparison.Corpus;

// Category cipher-mode: ECB, CBC without authentication and RSA PKCS#1 v1.5 encryption, next to encrypt-then-MAC,
// OAEP, PKCS#1 v1.5 signatures and GCM.
public static class CipherModes
{
    // Vulnerable: ECB on patient identifiers (equal plaintexts give equal ciphertexts).
    public static ICryptoTransform CreateIdentifierEncryptor(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.Mode = CipherMode.ECB; // expect: cipher-mode @ecb
        return aes.CreateEncryptor(); // expect: cipher-mode @ecb
    }

    // Vulnerable: the one-shot ECB API on an insurance member id.
    public static byte[] EncryptMemberId(byte[] key, byte[] memberId)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.EncryptEcb(memberId, PaddingMode.PKCS7); // expect: cipher-mode
    }

    // Vulnerable: RSA PKCS#1 v1.5 encryption of a data key.
    public static byte[] WrapKeyForPartner(RSA partnerKey, byte[] dataKey)
    {
        return partnerKey.Encrypt(dataKey, RSAEncryptionPadding.Pkcs1); // expect: cipher-mode
    }

    // Vulnerable: CBC with no MAC on a stored diagnosis (padding oracle, malleable).
    public static byte[] EncryptDiagnosis(byte[] key, byte[] diagnosis)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.Mode = CipherMode.CBC; // expect: cipher-mode @cbc-no-mac
        aes.GenerateIV();
        using var encryptor = aes.CreateEncryptor(); // expect: cipher-mode @cbc-no-mac
        var body = encryptor.TransformFinalBlock(diagnosis, 0, diagnosis.Length);
        var result = new byte[aes.IV.Length + body.Length];
        aes.IV.CopyTo(result, 0);
        body.CopyTo(result, aes.IV.Length);
        return result;
    }

    // Vulnerable: CFB mode for a streamed message.
    public static ICryptoTransform CreateMessageEncryptor(byte[] key, byte[] iv)
    {
        using var aes = Aes.Create();
        aes.Mode = CipherMode.CFB; // expect: cipher-mode @cfb
        return aes.CreateEncryptor(key, iv); // expect: cipher-mode @cfb
    }

    // Safe: CBC followed by an HMAC-SHA256 over IV and ciphertext (encrypt-then-MAC).
    public static byte[] EncryptThenMac(byte[] encryptionKey, byte[] macKey, byte[] iv, byte[] plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = encryptionKey;
        var ciphertext = aes.EncryptCbc(plaintext, iv); // safe: cipher-mode
        var signed = new byte[iv.Length + ciphertext.Length];
        iv.CopyTo(signed, 0);
        ciphertext.CopyTo(signed, iv.Length);
        var tag = HMACSHA256.HashData(macKey, signed);
        var result = new byte[signed.Length + tag.Length];
        signed.CopyTo(result, 0);
        tag.CopyTo(result, signed.Length);
        return result;
    }

    // Safe: RSA-OAEP with SHA-256.
    public static byte[] WrapKeyWithOaep(RSA partnerKey, byte[] dataKey)
    {
        return partnerKey.Encrypt(dataKey, RSAEncryptionPadding.OaepSHA256); // safe: cipher-mode
    }

    // Safe: PKCS#1 v1.5 is fine for signatures.
    public static byte[] SignPrescription(RSA signingKey, byte[] prescription)
    {
        return signingKey.SignData(prescription, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); // safe: cipher-mode
    }

    // Safe: AES-GCM.
    public static void EncryptVisitNote(byte[] key, byte[] nonce, byte[] note, byte[] ciphertext, byte[] tag)
    {
        using var aes = new AesGcm(key, tag.Length); // safe: cipher-mode
        aes.Encrypt(nonce, note, ciphertext, tag);
    }
}
