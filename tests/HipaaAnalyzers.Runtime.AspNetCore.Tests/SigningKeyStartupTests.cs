using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>These tests set process environment variables, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentVariableCollection
{
    public const string Name = "environment variables";
}

/// <summary>
/// The file sink's signing key from <c>HIPAA_AUDIT_SIGNING_KEY</c>, as <c>AddHipaaAuditFileSink</c> reads it by default:
/// a missing or unusable key fails the host start, never the first audited request.
/// </summary>
[Collection(EnvironmentVariableCollection.Name)]
public sealed class SigningKeyStartupTests : IDisposable
{
    private const string Variable = "HIPAA_AUDIT_SIGNING_KEY";
    private const string KeyIdVariable = "HIPAA_AUDIT_SIGNING_KEY_ID";
    private const string DerCommand = "openssl pkcs8 -topk8 -nocrypt -in audit-signing-key.pem -outform DER | base64 -w0";
    private const string GenerateCommand = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out audit-signing-key.pem";
    private const string SinkFailed = "The audit sink (IAuditSink) could not be created: ";

    private readonly string? _savedKey = Environment.GetEnvironmentVariable(Variable);
    private readonly string? _savedKeyId = Environment.GetEnvironmentVariable(KeyIdVariable);
    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-signing-key-").FullName;

    public SigningKeyStartupTests()
    {
        Environment.SetEnvironmentVariable(KeyIdVariable, null);
    }

    private string Log => Path.Combine(_directory, "audit.jsonl");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Variable, _savedKey);
        Environment.SetEnvironmentVariable(KeyIdVariable, _savedKeyId);
        Directory.Delete(_directory, recursive: true);
    }

    private Task<TestApp> StartAsync() => TestApp.StartAsync(
        s =>
        {
            s.AddHipaaAuditFileSink(Log);
            s.AddHipaaAudit();
        },
        a => a.MapGet("/patients/{id}", (int id) => "patient " + id).AuditPhiAccess());

    private async Task<string> StartupProblemAsync(string? value)
    {
        Environment.SetEnvironmentVariable(Variable, value);
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(StartAsync);
        Assert.IsType<PhiConfigurationException>(ex.InnerException);
        Assert.False(File.Exists(Log), "the log must not be opened without a key");
        string problem = Assert.Single(ex.Problems);
        Assert.StartsWith(SinkFailed, problem, StringComparison.Ordinal);
        return problem[SinkFailed.Length..];
    }

    [Fact]
    public async Task Missing_key_fails_the_start()
    {
        Assert.Equal(
            $"The environment variable {Variable} is not set. Set it to the audit signing key, an ECDSA P-256 private key: its PEM text, or the base64 of its DER bytes (PKCS#8 or SEC 1), for example the output of '{DerCommand}' for a key made with '{GenerateCommand}'.",
            await StartupProblemAsync(null));
    }

    [Fact]
    public async Task Malformed_base64_fails_the_start()
    {
        Assert.Equal(
            $"The environment variable {Variable} is not valid base64. Expected the PEM text of an ECDSA P-256 private key or the base64 of its DER bytes (PKCS#8 or SEC 1), for example the output of '{DerCommand}'.",
            await StartupProblemAsync("MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg%%%"));
    }

    [Fact]
    public async Task Rsa_key_fails_the_start()
    {
        using RSA rsa = RSA.Create(2048);
        string value = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
        string problem = await StartupProblemAsync(value);
        Assert.Equal(
            $"The audit signing key in the environment variable {Variable} is an RSA private key; audit checkpoints are signed with ECDSA P-256: create a key with '{GenerateCommand}' and set the variable to the output of '{DerCommand}'.",
            problem);
        Assert.DoesNotContain(value.Substring(60, 20), problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ec_key_on_another_curve_fails_the_start()
    {
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal(
            $"The audit signing key in the environment variable {Variable} is not usable: The audit signing key must be an ECDSA key on the NIST P-256 curve.",
            await StartupProblemAsync(Convert.ToBase64String(p384.ExportPkcs8PrivateKey())));
    }

    [Theory]
    [InlineData("sec1")]
    [InlineData("pkcs8")]
    public async Task Der_key_starts_the_host_and_signs_the_log(string form)
    {
        using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] der = form == "sec1" ? ecdsa.ExportECPrivateKey() : ecdsa.ExportPkcs8PrivateKey();
        Environment.SetEnvironmentVariable(Variable, Convert.ToBase64String(der));

        TestApp app = await StartAsync();
        await using (app)
        {
            // The sink was opened at startup, before any request.
            Assert.True(File.Exists(Log));
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/patients/5"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using AuditVerificationKey key = AuditVerificationKey.FromPem(ecdsa.ExportSubjectPublicKeyInfoPem());
        AuditVerificationResult result = AuditChainVerifier.VerifyFile(Log, new AuditVerificationOptions { VerificationKeys = [key] });
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(1, result.EventCount);
        Assert.Equal(key.KeyId, result.LastCheckpoint!.Checkpoint!.KeyId);
    }
}
