using System;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Configuration;

namespace ClinicApi.Security;

/// <summary>The sign-in form of the patient portal.</summary>
public sealed class PortalSignInForm
{
    [Required(ErrorMessage = "Password is required")]
    [Display(Name = "Password")]
    public string Password { get; set; } = "";

    public const string PasswordResetPath = "/account/reset-password";
}

/// <summary>
/// Signs patient export links, seals exported files, loads the claim signing key, calls the payer and keeps SSNs
/// encrypted with pgcrypto. The symmetric keys handed to HMACSHA256 and AesGcm are application keys of the key ring
/// (<see cref="HipaaKeys.Get(string)"/>: the HIPAA_APPLICATION_KEYS environment variable unless a key ring provider is
/// configured); the private key and the passwords come from configuration (user secrets in development, the
/// environment or a secret store in production), and the pgcrypto key travels as a command parameter, never in the
/// SQL text.
/// </summary>
public sealed class SecretsAndSql
{
    private readonly DbConnection _connection;
    private readonly IConfiguration _configuration;

    public SecretsAndSql(DbConnection connection, IConfiguration configuration)
    {
        _connection = connection;
        _configuration = configuration;
    }

    public static string MigrationConnectionString() =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? throw new InvalidOperationException("The environment variable 'ConnectionStrings__Default' is not set.");

    public byte[] SignExportLink(string exportId)
    {
        using var hmac = new HMACSHA256(HipaaKeys.Get("export-link-signing-key"));
        return hmac.ComputeHash(Encoding.UTF8.GetBytes(exportId));
    }

    public byte[] SealExport(byte[] file, byte[] nonce, byte[] tag)
    {
        using var gcm = new AesGcm(HipaaKeys.Get("export-key"), 16);
        var sealedFile = new byte[file.Length];
        gcm.Encrypt(nonce, file, sealedFile, tag);
        return sealedFile;
    }

    public byte[] PseudonymizeForResearch(byte[] value)
    {
        return HMACSHA256.HashData(HipaaKeys.Get("research-pepper"), value);
    }

    public RSA LoadClaimSigningKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromEncryptedPem(Setting("Keys:ClaimSigningKeyPem"), Setting("Keys:ClaimSigningKeyPassphrase"));
        return rsa;
    }

    public NetworkCredential RelayCredential() => new("clinic-relay", Setting("Relay:Password"));

    public void ConfigurePayer(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(Setting("Payer:BasicCredentials"))));
    }

    public async Task SaveSsnAsync(int patientId, string ssn)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, @key) WHERE id = @id";
        AddParameter(command, "ssn", ssn);
        AddParameter(command, "key", Setting("Database:EncryptionKey"));
        AddParameter(command, "id", patientId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ReadSsnAsync(int patientId, string key)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT pgp_sym_decrypt(ssn, @key) FROM patients WHERE id = @id";
        AddParameter(command, "key", key);
        AddParameter(command, "id", patientId);
        return await command.ExecuteScalarAsync();
    }

    public async Task<object?> ReadBirthDateAsync(int patientId)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT pgp_sym_decrypt(birth_date, @key) FROM patients WHERE id = @id";
        AddParameter(command, "key", Setting("Database:EncryptionKey"));
        AddParameter(command, "id", patientId);
        return await command.ExecuteScalarAsync();
    }

    private string Setting(string key) =>
        _configuration[key] ?? throw new InvalidOperationException($"The configuration value '{key}' is not set.");

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
