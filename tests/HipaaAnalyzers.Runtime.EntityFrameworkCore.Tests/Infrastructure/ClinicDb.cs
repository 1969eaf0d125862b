using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;

public sealed class Patient
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    [Phi(Category = "SSN"), Encrypted(BlindIndex = true)]
    public string Ssn { get; set; } = "";

    [Phi, Encrypted]
    public string? Diagnosis { get; set; }

    // Two bits: most rows share an index value with others, so searches must verify by decrypting.
    [Phi, Encrypted(BlindIndex = true, BlindIndexBits = 2)]
    public string? MedicalRecordNumber { get; set; }
}

/// <summary>A key the database generates at insert time: not known when the value must be encrypted.</summary>
public sealed class Visit
{
    public int Id { get; set; }

    [Phi, Encrypted]
    public string Notes { get; set; } = "";
}

public sealed class ClinicDb : DbContext
{
    public ClinicDb(DbContextOptions<ClinicDb> options)
        : base(options)
    {
    }

    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<Visit> Visits => Set<Visit>();
}

/// <summary>Key material the tests know the bytes of, so they can look for it (raw, base64, hex) where it must not be.</summary>
public sealed class TestKeys
{
    public TestKeys(string encryptionKeyId = "enc-1")
    {
        EncryptionKeyBytes = RandomNumberGenerator.GetBytes(32);
        BlindIndexKeyBytes = RandomNumberGenerator.GetBytes(32);
        Provider = new InMemoryKeyRingProvider(new KeyRing([
            new KeyRingEntry(DataKey.FromBytes(encryptionKeyId, KeyPurpose.Encryption, EncryptionKeyBytes), DataKeyStatus.Active),
            new KeyRingEntry(DataKey.FromBytes("idx-1", KeyPurpose.BlindIndex, BlindIndexKeyBytes), DataKeyStatus.Active),
        ]));
        Encryptor = new FieldEncryptor(Provider);
        Interceptor = new FieldEncryptionInterceptor(Encryptor, new BlindIndexer(Provider), new FieldEncryptionOptions()
            .ConfigureBlindIndex<Patient>(p => p.Ssn, normalizer: s => s.Replace("-", "", StringComparison.Ordinal)));
    }

    public byte[] EncryptionKeyBytes { get; }

    public byte[] BlindIndexKeyBytes { get; }

    public List<byte[]> OtherKeyBytes { get; } = new();

    public InMemoryKeyRingProvider Provider { get; }

    public FieldEncryptor Encryptor { get; }

    public FieldEncryptionInterceptor Interceptor { get; }

    /// <summary>Adds a new encryption key and makes it active; the previous one is retired and still decrypts.</summary>
    public void Rotate(string keyId)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(32);
        OtherKeyBytes.Add(bytes);
        Provider.Update(Provider.GetKeyRing().WithKey(DataKey.FromBytes(keyId, KeyPurpose.Encryption, bytes), DataKeyStatus.Staged).WithActiveKey(keyId));
    }

    /// <summary>Every key in the forms it could be leaked in: raw bytes, base64 and hex (both cases).</summary>
    public IEnumerable<(string Form, byte[] Bytes)> KeyForms()
    {
        var all = new List<byte[]> { EncryptionKeyBytes, BlindIndexKeyBytes };
        all.AddRange(OtherKeyBytes);
        foreach (byte[] key in all)
        {
            yield return ("raw", key);
            yield return ("base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            yield return ("hex", Encoding.ASCII.GetBytes(Convert.ToHexString(key)));
            yield return ("hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key)));
        }
    }

    public ClinicDb CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<ClinicDb>().UseNpgsql(connectionString).UseFieldEncryption(Interceptor).Options);
}
