using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PeerComparison.Corpus;

// Category sql-key: an encryption key written into SQL text (pgp_sym_encrypt / pgp_sym_decrypt, MySQL AES_ENCRYPT),
// as a literal or interpolated, reaching NpgsqlCommand, Dapper, EF Core FromSqlRaw and DbCommand.CommandText, next to
// the same statements with the key as a parameter, EF Core's parameterizing FromSql, a key kept on the server, and
// SQL that only mentions encrypted columns.
public sealed class SqlKey
{
    private readonly string _phiKey;

    public SqlKey(string phiKey) => _phiKey = phiKey;

    // Vulnerable: a literal key in the INSERT.
    public static async Task SaveSsn(NpgsqlConnection connection, int patientId, string ssn)
    {
        await using var command = new NpgsqlCommand("UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, 'Rv-phi-key-2024') WHERE id = @id", connection); // expect: sql-key @literal-key
        command.Parameters.AddWithValue("ssn", ssn);
        command.Parameters.AddWithValue("id", patientId);
        await command.ExecuteNonQueryAsync(); // expect: sql-key @literal-key
    }

    // Vulnerable: the key from configuration, interpolated into the SELECT.
    public async Task<string> LoadSsn(NpgsqlConnection connection, int patientId)
    {
        await using var command = new NpgsqlCommand($"SELECT pgp_sym_decrypt(ssn, '{_phiKey}') FROM patients WHERE id = @id", connection); // expect: sql-key @interpolated-key
        command.Parameters.AddWithValue("id", patientId);
        return (string)await command.ExecuteScalarAsync(); // expect: sql-key @interpolated-key
    }

    // Vulnerable: Dapper with the key interpolated.
    public IEnumerable<string> LoadDiagnoses(NpgsqlConnection connection, int patientId)
    {
        return connection.Query<string>($"SELECT pgp_sym_decrypt(diagnosis, '{_phiKey}') FROM visits WHERE patient_id = @patientId", new { patientId }); // expect: sql-key
    }

    // Vulnerable: EF Core FromSqlRaw with the key concatenated.
    public IQueryable<PatientRow> PatientsWithSsn(ClinicDbContext db)
    {
        return db.Patients.FromSqlRaw("SELECT id, pgp_sym_decrypt(ssn, '" + _phiKey + "') AS ssn FROM patients"); // expect: sql-key
    }

    // Vulnerable: MySQL AES_ENCRYPT with a literal key through DbCommand.CommandText.
    public static async Task SaveNote(DbConnection connection, int visitId, string note)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE visits SET note = AES_ENCRYPT(@note, 'visit-notes-key') WHERE id = @id"; // expect: sql-key @mysql-literal-key
        var noteParameter = command.CreateParameter();
        noteParameter.ParameterName = "note";
        noteParameter.Value = note;
        command.Parameters.Add(noteParameter);
        await command.ExecuteNonQueryAsync(); // expect: sql-key @mysql-literal-key
    }

    // Safe: the key as a command parameter.
    public async Task SaveSsnWithKeyParameter(NpgsqlConnection connection, int patientId, string ssn)
    {
        await using var command = new NpgsqlCommand("UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, @key) WHERE id = @id", connection); // safe: sql-key @key-parameter
        command.Parameters.AddWithValue("ssn", ssn);
        command.Parameters.AddWithValue("key", _phiKey);
        command.Parameters.AddWithValue("id", patientId);
        await command.ExecuteNonQueryAsync(); // safe: sql-key @key-parameter
    }

    // Safe: Dapper with the key as a parameter.
    public IEnumerable<string> LoadDiagnosesWithKeyParameter(NpgsqlConnection connection, int patientId)
    {
        return connection.Query<string>("SELECT pgp_sym_decrypt(diagnosis, @key) FROM visits WHERE patient_id = @patientId", new { patientId, key = _phiKey }); // safe: sql-key
    }

    // Safe: EF Core's FromSql turns the interpolated key into a parameter.
    public IQueryable<PatientRow> PatientsWithSsnParameterized(ClinicDbContext db)
    {
        return db.Patients.FromSql($"SELECT id, pgp_sym_decrypt(ssn, {_phiKey}) AS ssn FROM patients"); // safe: sql-key
    }

    // Safe: the key stays on the server (a session setting set by the connection pool's init hook).
    public static async Task<string> LoadSsnWithServerKey(NpgsqlConnection connection, int patientId)
    {
        await using var command = new NpgsqlCommand("SELECT pgp_sym_decrypt(ssn, current_setting('app.phi_key')) FROM patients WHERE id = @id", connection); // safe: sql-key @server-side-key
        command.Parameters.AddWithValue("id", patientId);
        return (string)await command.ExecuteScalarAsync(); // safe: sql-key @server-side-key
    }

    // Safe: SQL that only names encrypted columns; the application decrypts.
    public static async Task<byte[]> LoadEncryptedSsn(NpgsqlConnection connection, int patientId)
    {
        await using var command = new NpgsqlCommand("SELECT encrypted_ssn FROM patients WHERE id = @id", connection); // safe: sql-key @encrypted-column
        command.Parameters.AddWithValue("id", patientId);
        return (byte[])await command.ExecuteScalarAsync(); // safe: sql-key @encrypted-column
    }
}

public sealed class PatientRow
{
    public int Id { get; set; }

    public string Ssn { get; set; }
}

public sealed class ClinicDbContext : DbContext
{
    public DbSet<PatientRow> Patients => Set<PatientRow>();
}
