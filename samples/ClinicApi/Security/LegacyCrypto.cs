using System;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace ClinicApi.Security;

/// <summary>
/// Encryption and hashing helpers from the clinic's first release, before it adopted field encryption: Triple DES,
/// ECB, unauthenticated CBC, MD5 passwords, SHA-1 signatures and small keys.
/// </summary>
public sealed class LegacyCrypto
{
    private readonly byte[] _key;
    private readonly byte[] _iv;

    public LegacyCrypto(byte[] key, byte[] iv)
    {
        _key = key;
        _iv = iv;
    }

    public string EncryptSsn(string ssn)
    {
        using var tdes = TripleDES.Create(); // HIPAA102
        tdes.Mode = CipherMode.ECB; // HIPAA103
        using var encryptor = tdes.CreateEncryptor(_key, _iv); // HIPAA106
        var bytes = Encoding.UTF8.GetBytes(ssn);
        return Convert.ToBase64String(encryptor.TransformFinalBlock(bytes, 0, bytes.Length));
    }

    public byte[] EncryptNote(byte[] note)
    {
        using var aes = Aes.Create(); // compliant
        aes.Key = _key;
        return aes.EncryptCbc(note, _iv); // HIPAA110, HIPAA106
    }

    public byte[] DecryptArchive(byte[] archived)
    {
        using var des = new DESCryptoServiceProvider { Mode = CipherMode.ECB }; // HIPAA102, HIPAA103
        using var decryptor = des.CreateDecryptor(_key, _iv);
        return decryptor.TransformFinalBlock(archived, 0, archived.Length);
    }

    public string HashPassword(string password) =>
        Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(password))); // HIPAA101

    public string ComputeChecksum(byte[] content) => Convert.ToHexString(MD5.HashData(content)); // compliant

    public byte[] SignClaim(RSA rsa, byte[] claim) =>
        rsa.SignData(claim, HashAlgorithmName.SHA1, RSASignaturePadding.Pss); // HIPAA101

    public byte[] WrapDataKey(RSA rsa, byte[] dataKey) =>
        rsa.Encrypt(dataKey, RSAEncryptionPadding.Pkcs1); // HIPAA103

    public RSA CreateSigningKey() => RSA.Create(1024); // HIPAA104

    public ECDsa CreateDeviceKey() => ECDsa.Create(ECCurve.CreateFromFriendlyName("secp160r1")); // HIPAA104

    public byte[] SignWithLegacyKey(byte[] claim)
    {
        using var rsa = RSA.Create();
        rsa.KeySize = 1024; // HIPAA104
        return rsa.SignData(claim, HashAlgorithmName.SHA256, RSASignaturePadding.Pss); // compliant
    }
}

/// <summary>HTTP clients set up for the payer's test environment and never changed back.</summary>
public static class LegacyTransport
{
    public static HttpClient CreatePayerClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true, // HIPAA109
            SslProtocols = SslProtocols.Tls11, // HIPAA109
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://eligibility.payer.example/") }; // HIPAA109
    }

    public static HttpClient CreatePinnedClient(string thumbprint)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || certificate?.Thumbprint == thumbprint, // compliant
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13, // compliant
        };
        return new HttpClient(handler);
    }

    public static HttpClient CreateSidecarClient() => new() { BaseAddress = new Uri("http://127.0.0.1:5000/") }; // compliant

    public static void ConfigureProtocols()
    {
        ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls | SecurityProtocolType.Tls12; // HIPAA109
        ServicePointManager.SecurityProtocol &= ~SecurityProtocolType.Tls11; // compliant
    }

    public static XNamespace SoapEnvelope { get; } = "http://schemas.xmlsoap.org/soap/envelope/"; // compliant
}
