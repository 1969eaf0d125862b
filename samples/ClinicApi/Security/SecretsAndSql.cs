using System;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;

namespace ClinicApi.Security;

/// <summary>The sign-in form of the patient portal.</summary>
public sealed class PortalSignInForm
{
    [Required(ErrorMessage = "Password is required")] // compliant
    [Display(Name = "Password")] // compliant
    public string Password { get; set; } = ""; // compliant

    public const string PasswordResetPath = "/account/reset-password"; // compliant
}

/// <summary>
/// Signs patient export links, seals exported files, loads the claim signing key, calls the payer and keeps SSNs
/// encrypted with pgcrypto, the way the first version did it: with the keys and passwords written into the code.
/// </summary>
public sealed class SecretsAndSql
{
    private const string ConnectionString = "Host=db.clinic.internal;Username=clinic_app;Password=Cl1nic-Db-2024!"; // HIPAA202
    private const string RelayPassword = "Relay#2024-clinic"; // HIPAA202
    private const string PgcryptoKey = "pgcrypto-ssn-key-2024";
    private static readonly byte[] ExportKey = Convert.FromBase64String("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=");
    private const string ClaimSigningKeyPem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAb\n-----END ENCRYPTED PRIVATE KEY-----";

    private readonly DbConnection _connection;
    private readonly IConfiguration _configuration;

    public SecretsAndSql(DbConnection connection, IConfiguration configuration)
    {
        _connection = connection;
        _configuration = configuration;
    }

    public static string MigrationConnectionString() => ConnectionString;

    public byte[] SignExportLink(string exportId)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("export-link-signing-key-2024")); // HIPAA201
        return hmac.ComputeHash(Encoding.UTF8.GetBytes(exportId)); // compliant
    }

    public byte[] SealExport(byte[] file, byte[] nonce, byte[] tag)
    {
        using var gcm = new AesGcm(ExportKey, 16); // HIPAA201
        var sealedFile = new byte[file.Length];
        gcm.Encrypt(nonce, file, sealedFile, tag);
        return sealedFile;
    }

    public byte[] PseudonymizeForResearch(byte[] value)
    {
        var pepper = _configuration["Research:Pepper"] ?? throw new InvalidOperationException("The configuration value 'Research:Pepper' is not set.");
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(pepper), value); // compliant
    }

    public RSA LoadClaimSigningKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromEncryptedPem(ClaimSigningKeyPem, "pem-passphrase-2024"); // HIPAA201, HIPAA202
        return rsa;
    }

    public static NetworkCredential RelayCredential() => new("clinic-relay", RelayPassword);

    public static void ConfigurePayer(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("clinic:Payer#2024"))); // HIPAA202
    }

    public async Task SaveSsnAsync(int patientId, string ssn)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, '{PgcryptoKey}') WHERE id = @id"; // HIPAA203
        AddParameter(command, "ssn", ssn);
        AddParameter(command, "id", patientId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ReadSsnAsync(int patientId, string key)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT pgp_sym_decrypt(ssn, '" + key + "') FROM patients WHERE id = @id"; // HIPAA203
        AddParameter(command, "id", patientId);
        return await command.ExecuteScalarAsync();
    }

    public async Task<object?> ReadBirthDateAsync(int patientId)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT pgp_sym_decrypt(birth_date, @key) FROM patients WHERE id = @id"; // compliant
        AddParameter(command, "key", _configuration["Database:EncryptionKey"] ?? throw new InvalidOperationException("The configuration value 'Database:EncryptionKey' is not set.")); // compliant
        AddParameter(command, "id", patientId);
        return await command.ExecuteScalarAsync();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
