using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

public sealed class AuditSigningKeyTests
{
    [Fact]
    public void Pkcs8Pem_FromFileAndEnvironment_GivesTheSameKeyId_DerivedFromThePublicKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = ecdsa.ExportPkcs8PrivateKeyPem();
        using var directory = new TempDirectory();
        string path = directory.File("audit-signing.pem");
        File.WriteAllText(path, pem);

        using AuditSigningKey fromFile = AuditSigningKey.FromPemFile(path);
        using AuditSigningKey fromPemVariable = AuditSigningKey.FromEnvironment("K", "KID", Env(("K", pem)));
        using AuditSigningKey fromDerVariable = AuditSigningKey.FromEnvironment("K", "KID", Env(("K", Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()))));
        using AuditSigningKey named = AuditSigningKey.FromEnvironment("K", "KID", Env(("K", pem), ("KID", "audit-2026")));
        using AuditSigningKey sec1 = AuditSigningKey.FromPem(ecdsa.ExportECPrivateKeyPem());

        Assert.StartsWith("p256-", fromFile.KeyId);
        Assert.Equal(21, fromFile.KeyId.Length);
        Assert.Equal(fromFile.KeyId, fromPemVariable.KeyId);
        Assert.Equal(fromFile.KeyId, fromDerVariable.KeyId);
        Assert.Equal(fromFile.KeyId, sec1.KeyId);
        Assert.Equal(fromFile.KeyId, AuditVerificationKey.ComputeKeyId(ecdsa));
        Assert.Equal("audit-2026", named.KeyId);

        // The verifier needs only the public key, and derives the same id from it.
        using AuditVerificationKey verification = AuditVerificationKey.FromPem(fromFile.ExportPublicKeyPem());
        Assert.Equal(fromFile.KeyId, verification.KeyId);
        AuditRecord checkpoint = SignedCheckpoint(fromDerVariable);
        Assert.True(checkpoint.Checkpoint!.VerifySignature(verification));
        Assert.Contains("BEGIN PUBLIC KEY", fromFile.ExportPublicKeyPem());
        Assert.DoesNotContain("PRIVATE", fromFile.ExportPublicKeyPem());
    }

    [Fact]
    public void BadKeys_FailWithoutRevealingThem()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = ecdsa.ExportPkcs8PrivateKeyPem();
        string body = pem.Split('\n')[1];
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        var failures = new List<Exception>
        {
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromEnvironment("K", "KID", Env())),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromEnvironment("K", "KID", Env(("K", "not base64 " + body)))),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromEnvironment("K", "KID", Env(("K", Convert.ToBase64String(new byte[40]))))),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromPem(pem.Replace(body, body.Substring(0, 20) + "AAAA", StringComparison.Ordinal))),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromPem(p384.ExportPkcs8PrivateKeyPem())),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem())),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromPem(ecdsa.ExportSubjectPublicKeyInfoPem())),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromEnvironment("K", "KID", Env(("K", pem), ("KID", "bad id!")))),
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromPemFile("/nonexistent/audit.pem")),
            Assert.Throws<PhiConfigurationException>(() => AuditVerificationKey.FromPem(p384.ExportSubjectPublicKeyInfoPem())),
            Assert.Throws<ArgumentException>(() => AuditSigningKey.Create(p384)),
        };

        foreach (Exception failure in failures)
        {
            Assert.DoesNotContain(body.Substring(0, 16), failure.Message, StringComparison.Ordinal);
            Assert.Null(failure.InnerException);
        }

        Assert.Contains("HIPAA_AUDIT_SIGNING_KEY", Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromEnvironment("HIPAA_AUDIT_SIGNING_KEY", "X", Env())).Message);
    }

    [Fact]
    public void EnvironmentDer_AcceptsPkcs8AndSec1_AsOpenSslWritesThem()
    {
        // 'openssl pkcs8 -topk8 -nocrypt ... -outform DER' writes PKCS#8; 'openssl pkey ... -outform DER' (OpenSSL 3) and
        // 'openssl genpkey ... -outform DER' write SEC 1 ECPrivateKey for EC keys. Both load, as the same key.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using AuditSigningKey pkcs8 = AuditSigningKey.FromEnvironment("K", "KID", Env(("K", Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()))));
        using AuditSigningKey sec1 = AuditSigningKey.FromEnvironment("K", "KID", Env(("K", Convert.ToBase64String(ecdsa.ExportECPrivateKey()) + "\n")));

        Assert.Equal(AuditVerificationKey.ComputeKeyId(ecdsa), pkcs8.KeyId);
        Assert.Equal(pkcs8.KeyId, sec1.KeyId);
        using AuditVerificationKey verification = AuditVerificationKey.FromPem(ecdsa.ExportSubjectPublicKeyInfoPem());
        Assert.True(SignedCheckpoint(sec1).Checkpoint!.VerifySignature(verification));
    }

    [Fact]
    public void EnvironmentErrors_SayWhatIsWrongAndHowToFixIt()
    {
        const string Command = "openssl pkcs8 -topk8 -nocrypt -in audit-signing-key.pem -outform DER | base64 -w0";
        const string Generate = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out audit-signing-key.pem";
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        string rsaDer = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());

        string Message(string? value) =>
            Assert.Throws<PhiConfigurationException>(() => AuditSigningKey.FromEnvironment("HIPAA_AUDIT_SIGNING_KEY", "X", value is null ? Env() : Env(("HIPAA_AUDIT_SIGNING_KEY", value)))).Message;

        Assert.Equal(
            $"The environment variable HIPAA_AUDIT_SIGNING_KEY is not set. Set it to the audit signing key, an ECDSA P-256 private key: its PEM text, or the base64 of its DER bytes (PKCS#8 or SEC 1), for example the output of '{Command}' for a key made with '{Generate}'.",
            Message(null));
        Assert.Equal(
            $"The environment variable HIPAA_AUDIT_SIGNING_KEY is not valid base64. Expected the PEM text of an ECDSA P-256 private key or the base64 of its DER bytes (PKCS#8 or SEC 1), for example the output of '{Command}'.",
            Message("MHcCAQEEI#not-base64"));
        Assert.Equal(
            $"The audit signing key in the environment variable HIPAA_AUDIT_SIGNING_KEY is an RSA private key; audit checkpoints are signed with ECDSA P-256: create a key with '{Generate}' and set the variable to the output of '{Command}'.",
            Message(rsaDer));
        Assert.Equal(
            $"The audit signing key in the environment variable HIPAA_AUDIT_SIGNING_KEY is an RSA private key; audit checkpoints are signed with ECDSA P-256: create a key with '{Generate}'.",
            Message(rsa.ExportRSAPrivateKeyPem()));
        Assert.Equal(
            $"The audit signing key in the environment variable HIPAA_AUDIT_SIGNING_KEY is not an EC private key in PKCS#8 or SEC 1 (ECPrivateKey) DER form: set the variable to the base64 of the key's DER bytes, for example the output of '{Command}'.",
            Message(Convert.ToBase64String(new byte[48])));
        Assert.Equal(
            "The audit signing key in the environment variable HIPAA_AUDIT_SIGNING_KEY is not usable: The audit signing key must be an ECDSA key on the NIST P-256 curve.",
            Message(Convert.ToBase64String(p384.ExportECPrivateKey())));
        Assert.DoesNotContain(rsaDer.Substring(40, 16), Message(rsaDer), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_ShowsTheKeyIdOnly()
    {
        using AuditSigningKey key = AuditSigningKey.Generate("audit-1");
        Assert.Equal("AuditSigningKey 'audit-1' (ECDSA P-256, private key hidden)", key.ToString());
        Assert.Equal("AuditVerificationKey 'audit-1' (ECDSA P-256)", key.PublicKey.ToString());
    }

    [Fact]
    public void DisposedKey_DoesNotSign()
    {
        AuditSigningKey key = AuditSigningKey.Generate();
        var writer = new AuditChainWriter();
        writer.AppendEvent(AuditSamples.Event(1));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.AppendCheckpoint(key, AuditSamples.Time));
    }

    [Fact]
    public async System.Threading.Tasks.Task AddHipaaAuditFileSink_RegistersOneSinkAsIAuditSink_AndClosesItWithTheContainer()
    {
        using var directory = new TempDirectory();
        using AuditSigningKey key = AuditSigningKey.Generate("audit-di");
        string log = directory.File("logs/audit.jsonl");
        var services = new ServiceCollection();
        services.AddSingleton(key);
        services.AddHipaaAuditFileSink(log, o => o.CheckpointEveryRecords = 2);
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IAuditSink sink = provider.GetRequiredService<IAuditSink>();
            Assert.Same(provider.GetRequiredService<FileAuditSink>(), sink);
            await sink.WriteAsync(AuditSamples.Event(1));
            await sink.WriteAsync(AuditSamples.Event(2));
            await sink.WriteAsync(AuditSamples.Event(3));
        }

        AuditVerificationResult result = AuditChainVerifier.VerifyFile(log, new AuditVerificationOptions { VerificationKeys = new[] { key.PublicKey } });
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(5, result.RecordCount);
        Assert.Equal("audit-di", result.LastCheckpoint!.Checkpoint!.KeyId);
    }

    [Fact]
    public void AddHipaaAuditFileSink_WithoutAKey_AsksForOne()
    {
        using var directory = new TempDirectory();
        var services = new ServiceCollection();
        services.AddHipaaAuditFileSink(directory.File("audit.jsonl"));
        using ServiceProvider provider = services.BuildServiceProvider();
        if (Environment.GetEnvironmentVariable(AuditSigningKey.DefaultEnvironmentVariable) is null)
        {
            var exception = Assert.Throws<PhiConfigurationException>(() => provider.GetRequiredService<IAuditSink>());
            Assert.Contains(AuditSigningKey.DefaultEnvironmentVariable, exception.Message);
        }
    }

    private static AuditRecord SignedCheckpoint(AuditSigningKey key)
    {
        var writer = new AuditChainWriter();
        writer.AppendEvent(AuditSamples.Event(1));
        return writer.AppendCheckpoint(key, AuditSamples.Time);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => Array.Find(values, v => v.Name == name).Value;
}
