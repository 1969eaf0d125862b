using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using HipaaAnalyzers.Runtime;

namespace ClinicApi.Security;

/// <summary>
/// The clinic's encryption and hashing helpers: AES-256-GCM field encryption from the runtime, SHA-256, RSA-OAEP and
/// keys of at least 2048 bits (RSA) and 256 bits (elliptic curves).
/// </summary>
public sealed class LegacyCrypto
{
    private readonly FieldEncryptor _fieldEncryptor;

    public LegacyCrypto(FieldEncryptor fieldEncryptor)
    {
        _fieldEncryptor = fieldEncryptor;
    }

    public string EncryptSsn(string ssn)
    {
        return _fieldEncryptor.EncryptString(ssn, EncryptionContext.None);
    }

    public byte[] EncryptNote(byte[] note)
    {
        return _fieldEncryptor.Encrypt(note, EncryptionContext.None);
    }

    public byte[] DecryptArchive(byte[] archived)
    {
        return _fieldEncryptor.Decrypt(archived, EncryptionContext.None);
    }

    /// <summary>PBKDF2-HMAC-SHA256 with a random salt; returns salt and hash, base64.</summary>
    public string HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 600_000, HashAlgorithmName.SHA256, 32);
        return Convert.ToBase64String(salt) + "." + Convert.ToBase64String(hash);
    }

    public string ComputeChecksum(byte[] content) => Convert.ToHexString(MD5.HashData(content));

    public byte[] SignClaim(RSA rsa, byte[] claim) =>
        rsa.SignData(claim, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    public byte[] WrapDataKey(RSA rsa, byte[] dataKey) =>
        rsa.Encrypt(dataKey, RSAEncryptionPadding.OaepSHA256);

    public RSA CreateSigningKey() => RSA.Create(3072);

    public ECDsa CreateDeviceKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] SignWithLegacyKey(byte[] claim)
    {
        using var rsa = RSA.Create();
        rsa.KeySize = 2048;
        return rsa.SignData(claim, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }
}

/// <summary>HTTP clients with the platform's certificate validation and protocol defaults.</summary>
public static class LegacyTransport
{
    public static HttpClient CreatePayerClient() => new() { BaseAddress = new Uri("https://eligibility.payer.example/") };

    public static HttpClient CreatePinnedClient(string thumbprint)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || certificate?.Thumbprint == thumbprint,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        return new HttpClient(handler);
    }

    public static HttpClient CreateSidecarClient() => new() { BaseAddress = new Uri("http://127.0.0.1:5000/") };

    public static XNamespace SoapEnvelope { get; } = "http://schemas.xmlsoap.org/soap/envelope/";
}
