using System;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// FieldEncryptor against the physical floor: raw <see cref="AesGcm"/> with the same AES-256 key, doing
/// what any correct use of AES-GCM must do for the same protection: a fresh random 96-bit nonce per
/// encryption from <see cref="RandomNumberGenerator"/>, the same associated data (the encoded
/// context), one new output array (nonce | ciphertext | tag) per encryption and one new plaintext array
/// per decryption. The difference is the library's own work: the header, the key lookup and check, the
/// associated-data assembly and the cipher pool.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
[MemoryDiagnoser]
public class FieldEncryptionBenchmarks
{
    private DataKey _key = null!;
    private FieldEncryptor _encryptor = null!;
    private AesGcm _raw = null!;
    private EncryptionContext _context = null!;
    private byte[] _associatedData = null!;
    private byte[] _plaintext = null!;
    private byte[] _fieldCiphertext = null!;
    private byte[] _rawCiphertext = null!;

    /// <summary>Gets or sets the plaintext size in bytes: 16 B, 1 KB and 64 KB.</summary>
    [Params(16, 1024, 65536)]
    public int Size { get; set; }

    /// <summary>Creates the key, both ciphers and one ciphertext of each kind to decrypt.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _key = DataKey.Generate("enc-2025q3", KeyPurpose.Encryption, DateTimeOffset.UtcNow);
        _encryptor = new FieldEncryptor(new KeyRing(new[] { new KeyRingEntry(_key, DataKeyStatus.Active) }));
        _raw = new AesGcm(_key.GetAesKey(), 16);
        _context = EncryptionContext.ForField("Patients", "Ssn", "6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        _associatedData = _context.Encoded.ToArray();
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _fieldCiphertext = _encryptor.Encrypt(_plaintext, _context);
        _rawCiphertext = RawAesGcm_Encrypt();
    }

    /// <summary>Disposes the key and the raw cipher.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _key.Dispose();
    }

    /// <summary>The floor: raw AesGcm encryption with a random nonce into a new array.</summary>
    /// <returns>nonce | ciphertext | tag.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encrypt")]
    public byte[] RawAesGcm_Encrypt()
    {
        var output = new byte[12 + _plaintext.Length + 16];
        Span<byte> nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        _raw.Encrypt(nonce, _plaintext, output.AsSpan(12, _plaintext.Length), output.AsSpan(12 + _plaintext.Length, 16), _associatedData);
        return output;
    }

    /// <summary>FieldEncryptor encryption under the active key, bound to the context.</summary>
    /// <returns>The field ciphertext.</returns>
    [Benchmark]
    [BenchmarkCategory("Encrypt")]
    public byte[] FieldEncryptor_Encrypt() => _encryptor.Encrypt(_plaintext, _context);

    /// <summary>The floor: raw AesGcm decryption into a new array.</summary>
    /// <returns>The plaintext.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decrypt")]
    public byte[] RawAesGcm_Decrypt()
    {
        var plaintext = new byte[_rawCiphertext.Length - 28];
        _raw.Decrypt(_rawCiphertext.AsSpan(0, 12), _rawCiphertext.AsSpan(12, plaintext.Length), _rawCiphertext.AsSpan(12 + plaintext.Length, 16), plaintext, _associatedData);
        return plaintext;
    }

    /// <summary>FieldEncryptor decryption: header parse, key lookup and check, then AES-GCM.</summary>
    /// <returns>The plaintext.</returns>
    [Benchmark]
    [BenchmarkCategory("Decrypt")]
    public byte[] FieldEncryptor_Decrypt() => _encryptor.Decrypt(_fieldCiphertext, _context);
}
