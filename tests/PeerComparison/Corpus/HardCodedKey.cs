using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace PeerComparison.Corpus;

// Category hardcoded-key: a literal, constant or static readonly value that becomes a key (JWT signing key, AES key,
// HMAC key, AES-GCM key), next to keys from configuration, the environment, options and the RNG, and a constant that
// is only the configuration key's name.
public sealed class HardCodedKey
{
    private const string RecordEncryptionKey = "9f86d081884c7d659a2feaa0c55ad015"; // expect: hardcoded-key @const-key

    private static readonly byte[] WebhookHmacKey = Encoding.ASCII.GetBytes("hl7-webhook-shared-secret-v2"); // expect: hardcoded-key @hmac-key

    private const string EncryptionKeySetting = "Encryption:RecordKey"; // safe: hardcoded-key @setting-name

    private readonly IConfiguration _configuration;

    public HardCodedKey(IConfiguration configuration) => _configuration = configuration;

    // Vulnerable: the patient portal's JWT signing key in source.
    public static SymmetricSecurityKey PortalSigningKey()
    {
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes("riverside-portal-jwt-signing-key-2024!")); // expect: hardcoded-key
    }

    // Vulnerable: a Base64 AES key in source.
    public static Aes CreateRecordCipher()
    {
        var aes = Aes.Create();
        aes.Key = Convert.FromBase64String("Eq6l9M1hTmu83SFMDiKG511i1cbDSAltVri9IDkyJtg="); // expect: hardcoded-key
        return aes;
    }

    // Vulnerable: a constant string as the AES key.
    public static byte[] EncryptRecord(byte[] record, byte[] iv)
    {
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(RecordEncryptionKey); // expect: hardcoded-key @const-key
        return aes.EncryptCbc(record, iv);
    }

    // Vulnerable: a static readonly HMAC key.
    public static byte[] SignWebhook(byte[] payload)
    {
        using var hmac = new HMACSHA256(WebhookHmacKey); // expect: hardcoded-key @hmac-key
        return hmac.ComputeHash(payload);
    }

    // Vulnerable: a byte-array literal as the AES-GCM key.
    public static AesGcm CreateNoteCipher()
    {
        byte[] key = { 0x60, 0x3D, 0xEB, 0x10, 0x15, 0xCA, 0x71, 0xBE, 0x2B, 0x73, 0xAE, 0xF0, 0x85, 0x7D, 0x77, 0x81, 0x1F, 0x35, 0x2C, 0x07, 0x3B, 0x61, 0x08, 0xD7, 0x2D, 0x98, 0x10, 0xA3, 0x09, 0x14, 0xDF, 0xF4 }; // expect: hardcoded-key @array-key
        return new AesGcm(key, 16); // expect: hardcoded-key @array-key
    }

    // Safe: the key from configuration (user secrets, Key Vault, environment).
    public AesGcm CreateCipherFromConfiguration()
    {
        var key = Convert.FromBase64String(_configuration[EncryptionKeySetting]); // safe: hardcoded-key @config-key
        return new AesGcm(key, 16); // safe: hardcoded-key @config-key
    }

    // Safe: the key from an environment variable.
    public static byte[] SignWithEnvironmentKey(byte[] payload)
    {
        var key = Convert.FromBase64String(Environment.GetEnvironmentVariable("WEBHOOK_HMAC_KEY") ?? string.Empty); // safe: hardcoded-key @env-key
        using var hmac = new HMACSHA256(key); // safe: hardcoded-key @env-key
        return hmac.ComputeHash(payload);
    }

    // Safe: the JWT signing key from bound options.
    public static SymmetricSecurityKey SigningKeyFromOptions(JwtSettings settings)
    {
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey)); // safe: hardcoded-key
    }

    // Safe: a new random data key.
    public static byte[] NewDataKey()
    {
        return RandomNumberGenerator.GetBytes(32); // safe: hardcoded-key
    }

    // Safe: reads the key named by a constant; the constant is the setting's name, not the key.
    public byte[] RecordKey()
    {
        return Convert.FromBase64String(_configuration.GetValue<string>(EncryptionKeySetting)); // safe: hardcoded-key @setting-name
    }
}

public sealed class JwtSettings
{
    public string SigningKey { get; set; } = string.Empty;
}
