using System;
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime;

namespace ClinicApi.Security;

/// <summary>Patient portal invitations, reset codes, password hashing and export encryption.</summary>
public sealed class PortalAccountSecurity
{
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int Pbkdf2Iterations = 600_000;

    // Only for jitter and sampling; every security value comes from RandomNumberGenerator.
    private readonly Random _random = new();

    public string GenerateInviteToken() => RandomNumberGenerator.GetString(CodeAlphabet, 24);

    public int CreateResetCode() => RandomNumberGenerator.GetInt32(100_000, 1_000_000);

    public byte[] NewSessionKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>A new salt for every password, stored next to the hash.</summary>
    public (byte[] Salt, byte[] Hash) HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return (salt, Rfc2898DeriveBytes.Pbkdf2(password, salt, Pbkdf2Iterations, HashAlgorithmName.SHA256, 32));
    }

    public byte[] VerifyPassword(string password, byte[] storedSalt) =>
        Rfc2898DeriveBytes.Pbkdf2(password, storedSalt, Pbkdf2Iterations, HashAlgorithmName.SHA256, 32);

    public byte[] DeriveExportKey(string passphrase, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, Pbkdf2Iterations, HashAlgorithmName.SHA256, 32);

    /// <summary>A fresh nonce for every export, written to <paramref name="nonce"/> to be stored with the ciphertext.</summary>
    public void SealExport(AesGcm gcm, byte[] plaintext, byte[] ciphertext, byte[] tag, byte[] nonce)
    {
        RandomNumberGenerator.Fill(nonce);
        gcm.Encrypt(nonce, plaintext, ciphertext, tag);
    }

    public byte[] SealBackup(byte[] backupKey, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        using var gcm = new AesGcm(backupKey, 16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        gcm.Encrypt(nonce, plaintext, ciphertext, tag);
        return nonce;
    }

    public void OpenBackup(byte[] backupKey, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] plaintext)
    {
        using var gcm = new AesGcm(backupKey, 16);
        gcm.Decrypt(nonce, ciphertext, tag, plaintext);
    }

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt) + _random.Next(0, 250));

    public bool SampleForAudit() => _random.NextDouble() < 0.05;
}

/// <summary>Protects the free-text contact notes of the portal.</summary>
public sealed class ContactNoteProtector
{
    private readonly FieldEncryptor _encryptor;

    public ContactNoteProtector(FieldEncryptor encryptor) => _encryptor = encryptor;

    public string Encrypt(string note) => _encryptor.EncryptString(note, EncryptionContext.ForColumn("ContactNotes", "Body"));

    public string Decrypt(string stored) => _encryptor.DecryptString(stored, EncryptionContext.ForColumn("ContactNotes", "Body"));

    public string ToTransport(byte[] sealedNote) => Convert.ToBase64String(sealedNote);

    public static byte Checksum(byte[] data)
    {
        byte sum = 0;
        foreach (var b in data)
        {
            sum ^= b;
        }

        return sum;
    }
}
