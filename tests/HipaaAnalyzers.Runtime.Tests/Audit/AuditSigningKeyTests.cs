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
