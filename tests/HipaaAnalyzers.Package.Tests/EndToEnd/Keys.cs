using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Package.Tests.EndToEnd;

/// <summary>
/// The keys and secrets the fixed app needs, made as the documentation says: the audit signing key with the commands of
/// docs/runtime/audit.md, data and application keys with <c>openssl rand -base64 32</c> (docs/runtime/key-management.md).
/// Without openssl, the same keys are made with .NET: an ECDSA P-256 key exported as PKCS#8 DER in base64, and 32
/// random bytes in base64.
/// </summary>
public sealed class Keys
{
    /// <summary>The id of the field encryption key, in HIPAA_ENCRYPTION_KEYS and in every ciphertext it makes.</summary>
    public const string EncryptionKeyId = "enc-1";

    private Keys(string auditSigningKey, string auditPublicKeyPath, string encryptionKey, string aesKey, string macKey, string labPassword)
    {
        AuditSigningKey = auditSigningKey;
        AuditPublicKeyPath = auditPublicKeyPath;
        EncryptionKey = encryptionKey;
        AesKey = aesKey;
        MacKey = macKey;
        LabPassword = labPassword;
    }

    /// <summary>HIPAA_AUDIT_SIGNING_KEY: the base64 of the PKCS#8 DER bytes of an ECDSA P-256 private key.</summary>
    public string AuditSigningKey { get; }

    /// <summary>The audit signing key's public key (PEM), for whoever verifies the log.</summary>
    public string AuditPublicKeyPath { get; }

    /// <summary>The field encryption key, base64.</summary>
    public string EncryptionKey { get; }

    /// <summary>The application key aes-key, base64.</summary>
    public string AesKey { get; }

    /// <summary>The application key mac-key, base64.</summary>
    public string MacKey { get; }

    /// <summary>A new password for the lab database (the old one was in the code).</summary>
    public string LabPassword { get; }

    public static Keys Provision(string directory, TimeSpan timeout, ITestOutputHelper output)
    {
        var openssl = ProcessRunner.FindOnPath("openssl");
        var bash = ProcessRunner.FindOnPath("bash");
        if (openssl is null || bash is null)
        {
            output.WriteLine("openssl (or bash) is not installed: the keys are made with .NET instead.");
            return WithDotnet(directory);
        }

        string Run(string program, params string[] arguments)
        {
            var standardOutput = new StringBuilder();
            var result = ProcessRunner.Run(program, directory, timeout, arguments, standardOutput: standardOutput);
            output.WriteLine(result.CommandLine);
            Assert.True(result.Succeeded, result.Describe());
            return standardOutput.ToString().Trim();
        }

        // docs/runtime/audit.md, "Signed checkpoints and keys" (and the quick start of docs/runtime/aspnetcore.md).
        Run(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "audit-signing-key.pem");
        Run(openssl, "pkey", "-in", "audit-signing-key.pem", "-pubout", "-out", "audit-signing-key.pub.pem");
        var signingKey = Run(bash, "-c", "export HIPAA_AUDIT_SIGNING_KEY=\"$(openssl pkcs8 -topk8 -nocrypt -in audit-signing-key.pem -outform DER | base64 -w0)\"; printf %s \"$HIPAA_AUDIT_SIGNING_KEY\"");

        // docs/runtime/key-management.md: "Make a key with openssl rand -base64 32".
        return new Keys(
            signingKey,
            Path.Combine(directory, "audit-signing-key.pub.pem"),
            Run(openssl, "rand", "-base64", "32"),
            Run(openssl, "rand", "-base64", "32"),
            Run(openssl, "rand", "-base64", "32"),
            Run(openssl, "rand", "-hex", "16"));
    }

    private static Keys WithDotnet(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKeyPath = Path.Combine(directory, "audit-signing-key.pub.pem");
        File.WriteAllText(publicKeyPath, key.ExportSubjectPublicKeyInfoPem());
        static string Random32() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return new Keys(
            Convert.ToBase64String(key.ExportPkcs8PrivateKey()),
            publicKeyPath,
            Random32(),
            Random32(),
            Random32(),
            Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
    }
}
