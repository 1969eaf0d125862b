using System;
using System.Security.Cryptography;
using System.Text;

namespace PeerComparison.Corpus;

// Category weak-cipher: DES, 3DES, RC2 and Rijndael with a non-AES block size, by type or by name, next to AES-GCM,
// ChaCha20-Poly1305, AES key wrap and code that only names an old algorithm to refuse it.
public static class DisallowedCipher
{
    // Vulnerable: a nightly lab-result export encrypted with DES.
    public static byte[] EncryptLabExport(byte[] key, byte[] iv, byte[] export)
    {
        using var des = DES.Create(); // expect: weak-cipher @des
        des.Key = key;
        return des.EncryptCbc(export, iv); // expect: weak-cipher @des
    }

    // Vulnerable: claim files for a clearinghouse encrypted with 3DES.
    public static byte[] EncryptClaimFile(byte[] key, byte[] iv, byte[] claim)
    {
        using var tripleDes = TripleDES.Create(); // expect: weak-cipher @3des
        tripleDes.Key = key;
        return tripleDes.EncryptCbc(claim, iv); // expect: weak-cipher @3des
    }

    // Vulnerable: RC2 kept for a legacy imaging archive.
    public static byte[] EncryptImagingNote(byte[] key, byte[] iv, byte[] note)
    {
        using var rc2 = RC2.Create(); // expect: weak-cipher @rc2
        rc2.Key = key;
        return rc2.EncryptCbc(note, iv); // expect: weak-cipher @rc2
    }

    // Vulnerable: Rijndael with a 256-bit block is not AES.
    public static ICryptoTransform CreateReferralEncryptor(byte[] key, byte[] iv)
    {
        var rijndael = new RijndaelManaged { BlockSize = 256 }; // expect: weak-cipher @rijndael
        return rijndael.CreateEncryptor(key, iv); // expect: weak-cipher @rijndael
    }

    // Vulnerable: the algorithm picked by name from configuration defaults to 3DES.
    public static SymmetricAlgorithm CreateFromSetting(string configuredName)
    {
        return (SymmetricAlgorithm)CryptoConfig.CreateFromName(configuredName ?? "TripleDES"); // expect: weak-cipher
    }

    // Safe: AES-256-GCM for a progress note.
    public static byte[] EncryptProgressNote(byte[] key, byte[] nonce, byte[] note, byte[] tag)
    {
        var ciphertext = new byte[note.Length];
        using var aes = new AesGcm(key, 16); // safe: weak-cipher
        aes.Encrypt(nonce, note, ciphertext, tag);
        return ciphertext;
    }

    // Safe: ChaCha20-Poly1305 on devices without AES instructions.
    public static void EncryptOnDevice(byte[] key, byte[] nonce, byte[] reading, byte[] ciphertext, byte[] tag)
    {
        using var chacha = new ChaCha20Poly1305(key); // safe: weak-cipher
        chacha.Encrypt(nonce, reading, ciphertext, tag);
    }

    // Safe: a data key wrapped with AES key wrap (RFC 5649) under a master key.
    public static byte[] WrapDataKey(byte[] masterKey, byte[] dataKey)
    {
        using var aes = Aes.Create();
        aes.Key = masterKey;
        return aes.EncryptKeyWrapPadded(dataKey); // safe: weak-cipher
    }

    // Safe: a configuration validator that names the old algorithms only to refuse them.
    public static void ValidateAlgorithmSetting(string algorithm)
    {
        if (algorithm is "DES" or "3DES" or "TripleDES" or "RC2") // safe: weak-cipher
        {
            throw new NotSupportedException("Encryption:Algorithm must be AES-256-GCM.");
        }
    }
}
