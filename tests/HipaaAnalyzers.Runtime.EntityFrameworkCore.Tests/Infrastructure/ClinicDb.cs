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

public sealed class ClinicDb : DbContext
{
    public ClinicDb(DbContextOptions<ClinicDb> options)
        : base(options)
    {
    }

    public DbSet<Patient> Patients => Set<Patient>();
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

    public ClinicDb CreateContext(string connectionString) => CreateContext<ClinicDb>(connectionString);

    /// <summary>Any context type with a constructor taking its options, on the same keys and interceptor.</summary>
    public TContext CreateContext<TContext>(string connectionString)
        where TContext : DbContext =>
        (TContext)Activator.CreateInstance(typeof(TContext), Configure(new DbContextOptionsBuilder<TContext>(), connectionString).Options)!;

    /// <summary>
    /// Npgsql with this interceptor. Every <see cref="TestKeys"/> has its own interceptor, hence its own internal service
    /// provider: the tests create more than the twenty after which EF Core warns (an application has one interceptor).
    /// </summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString).UseFieldEncryption(Interceptor)
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning));
}
