using System;
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime;

namespace ClinicApi.Security;

/// <summary>Patient portal invitations, reset codes, password hashing and export encryption.</summary>
public sealed class PortalAccountSecurity
{
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static readonly byte[] PasswordSalt = Encoding.UTF8.GetBytes("clinic-portal-salt");

    private readonly Random _random = new();
    private readonly byte[] _exportNonce = RandomNumberGenerator.GetBytes(12);

    public string GenerateInviteToken()
    {
        var chars = new char[24];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = CodeAlphabet[_random.Next(CodeAlphabet.Length)]; // HIPAA105
        }

        return new string(chars);
    }

    public int CreateResetCode() => _random.Next(100_000, 1_000_000); // HIPAA105

    public byte[] NewSessionKey()
    {
        var key = new byte[32];
        _random.NextBytes(key); // HIPAA105
        return key;
    }

    public byte[] HashPassword(string password)
    {
        using var kdf = new Rfc2898DeriveBytes(password, PasswordSalt, 10_000); // HIPAA106, HIPAA107
        return kdf.GetBytes(32);
    }

    public byte[] VerifyPassword(string password, byte[] storedSalt) =>
        Rfc2898DeriveBytes.Pbkdf2(password, storedSalt, 600_000, HashAlgorithmName.SHA256, 32); // compliant

    public byte[] DeriveExportKey(string passphrase, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, 100_000, HashAlgorithmName.SHA256, 32); // HIPAA107

    public void SealExport(AesGcm gcm, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        gcm.Encrypt(_exportNonce, plaintext, ciphertext, tag); // HIPAA106
    }

    public void SealBackup(byte[] backupKey, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        using var gcm = new AesGcm(backupKey, 16);
        var nonce = new byte[12];
        gcm.Encrypt(nonce, plaintext, ciphertext, tag); // HIPAA106
    }

    public void OpenBackup(byte[] backupKey, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] plaintext)
    {
        using var gcm = new AesGcm(backupKey, 16);
        gcm.Decrypt(nonce, ciphertext, tag, plaintext); // compliant
    }

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt) + _random.Next(0, 250)); // compliant

    public bool SampleForAudit() => _random.NextDouble() < 0.05; // compliant
}

/// <summary>Protects the free-text contact notes of the portal.</summary>
public sealed class ContactNoteProtector
{
    private static readonly byte[] NoteKey = Encoding.UTF8.GetBytes("clinic-notes");
    private readonly FieldEncryptor _encryptor;

    public ContactNoteProtector(FieldEncryptor encryptor) => _encryptor = encryptor;

    public string Encrypt(string note)
    {
        var bytes = Encoding.UTF8.GetBytes(note);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(bytes[i] ^ NoteKey[i % NoteKey.Length]); // HIPAA108
        }

        return Convert.ToBase64String(bytes);
    }

    public string Decrypt(string stored)
    {
        var bytes = Convert.FromBase64String(stored);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(bytes[i] ^ NoteKey[i % NoteKey.Length]); // HIPAA108
        }

        return Encoding.UTF8.GetString(bytes);
    }

    public string EncryptPortalPin(string pin) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pin)); // HIPAA108

    public string ToTransport(byte[] sealedNote) => Convert.ToBase64String(sealedNote); // compliant

    public static byte Checksum(byte[] data)
    {
        byte sum = 0;
        foreach (var b in data)
        {
            sum ^= b; // compliant
        }

        return sum;
    }
}
