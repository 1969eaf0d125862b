using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA203KeyInSqlTextAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA203KeyInSqlTextFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA203KeyInSqlTextTests
{
    /// <summary>The code fix: the key becomes a command parameter.</summary>
    public class Fixes
    {
        private const string Key = "HIPAA203.UseParameter";

        [Fact]
        public async Task Offers_a_command_parameter_named_after_the_key()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
using Npgsql;
class Repository
{
    public void Save(NpgsqlConnection connection, string encryptionKey)
    {
        using var cmd = new NpgsqlCommand($""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt(@ssn, '{encryptionKey}'))"", connection);
    }
}" + Shapes);

            Assert.Equal(new (string, string?)[] { ("Pass the key as the command parameter @encryptionKey", Key) }, offered);
        }

        [Fact]
        public Task A_constant_key_is_read_from_configuration_and_its_declaration_goes() => VerifyFix.VerifyFixAsync(@"
using System;
using Npgsql;

class Repository
{
    private const string PgcryptoKey = ""pgcrypto-ssn-key-2024"";
    private readonly NpgsqlConnection _connection = new();

    public void Save(string ssn)
    {
        using var cmd = new NpgsqlCommand({|HIPAA203:$""UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, '{PgcryptoKey}')""|}, _connection);
        cmd.Parameters.AddWithValue(""ssn"", ssn);
        cmd.ExecuteNonQuery();
    }
}" + Shapes, @"
using System;
using Npgsql;

class Repository
{
    private readonly NpgsqlConnection _connection = new();

    public void Save(string ssn)
    {
        using var cmd = new NpgsqlCommand($""UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, @pgcryptoKey)"", _connection);
        cmd.Parameters.AddWithValue(""pgcryptoKey"", Environment.GetEnvironmentVariable(""Database__EncryptionKey"") ?? throw new InvalidOperationException(""The environment variable 'Database__EncryptionKey' is not set.""));
        cmd.Parameters.AddWithValue(""ssn"", ssn);
        cmd.ExecuteNonQuery();
    }
}" + Shapes, Key);

        [Fact]
        public Task A_constant_key_concatenated_into_the_sql_is_bound_too() => VerifyFix.VerifyFixAsync(@"
using System;
using Npgsql;

class Repository
{
    private const string PgcryptoKey = ""pgcrypto-ssn-key-2024"";
    private readonly NpgsqlConnection _connection = new();

    public object? Read()
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = {|HIPAA203:""SELECT pgp_sym_decrypt(ssn, '"" + PgcryptoKey + ""') FROM patients""|};
        return cmd.ExecuteScalar();
    }
}" + Shapes, @"
using System;
using Npgsql;

class Repository
{
    private readonly NpgsqlConnection _connection = new();

    public object? Read()
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = ""SELECT pgp_sym_decrypt(ssn, @pgcryptoKey) FROM patients"";
        cmd.Parameters.AddWithValue(""pgcryptoKey"", Environment.GetEnvironmentVariable(""Database__EncryptionKey"") ?? throw new InvalidOperationException(""The environment variable 'Database__EncryptionKey' is not set.""));
        return cmd.ExecuteScalar();
    }
}" + Shapes, Key);

        [Fact]
        public Task Fix_all_binds_interpolated_concatenated_and_literal_keys() => VerifyFix.VerifyFixAsync(@"
using System;
using Npgsql;

class Repository
{
    private readonly NpgsqlConnection _connection = new();
    private readonly string _key = """";

    public void Save(string ssn, string encryptionKey)
    {
        using var cmd = new NpgsqlCommand({|HIPAA203:$""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt(@ssn, '{encryptionKey}'))""|}, _connection);
        cmd.Parameters.AddWithValue(""ssn"", ssn);
        cmd.ExecuteNonQuery();
    }

    public object? Read()
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = {|HIPAA203:""SELECT pgp_sym_decrypt(ssn, '"" + _key + ""') FROM patients""|};
        return cmd.ExecuteScalar();
    }

    public object? Legacy()
    {
        using (var cmd = new NpgsqlCommand({|HIPAA203:""SELECT pgp_sym_decrypt(ssn, 'k3y-literal') FROM patients""|}, _connection))
        {
            return cmd.ExecuteScalar();
        }
    }
}" + Shapes, @"
using System;
using Npgsql;

class Repository
{
    private readonly NpgsqlConnection _connection = new();
    private readonly string _key = """";

    public void Save(string ssn, string encryptionKey)
    {
        using var cmd = new NpgsqlCommand($""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt(@ssn, @encryptionKey))"", _connection);
        cmd.Parameters.AddWithValue(""encryptionKey"", encryptionKey);
        cmd.Parameters.AddWithValue(""ssn"", ssn);
        cmd.ExecuteNonQuery();
    }

    public object? Read()
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = ""SELECT pgp_sym_decrypt(ssn, @key) FROM patients"";
        cmd.Parameters.AddWithValue(""key"", _key);
        return cmd.ExecuteScalar();
    }

    public object? Legacy()
    {
        using (var cmd = new NpgsqlCommand(""SELECT pgp_sym_decrypt(ssn, @key) FROM patients"", _connection))
        {
            cmd.Parameters.AddWithValue(""key"", Environment.GetEnvironmentVariable(""Database__EncryptionKey"") ?? throw new InvalidOperationException(""The environment variable 'Database__EncryptionKey' is not set.""));
            return cmd.ExecuteScalar();
        }
    }
}" + Shapes, Key);

        [Fact]
        public Task Sql_built_in_a_local_is_rewritten_where_it_is_written() => VerifyFix.VerifyFixAsync(@"
using Npgsql;

class Repository
{
    public object? Read(NpgsqlConnection connection, int id, Options options)
    {
        var sql = $""SELECT pgp_sym_decrypt(ssn, {options.EncryptionKey}) FROM patients WHERE id = @id"";
        using var cmd = new NpgsqlCommand({|HIPAA203:sql|}, connection);
        cmd.Parameters.AddWithValue(""id"", id);
        return cmd.ExecuteScalar();
    }
}

class Options
{
    public string EncryptionKey { get; set; } = """";
}" + Shapes, @"
using Npgsql;

class Repository
{
    public object? Read(NpgsqlConnection connection, int id, Options options)
    {
        var sql = $""SELECT pgp_sym_decrypt(ssn, @encryptionKey) FROM patients WHERE id = @id"";
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddWithValue(""encryptionKey"", options.EncryptionKey);
        cmd.Parameters.AddWithValue(""id"", id);
        return cmd.ExecuteScalar();
    }
}

class Options
{
    public string EncryptionKey { get; set; } = """";
}" + Shapes, Key);

        [Fact]
        public Task No_fix_when_the_key_is_concatenated_without_quotes_or_built_elsewhere() => VerifyFix.VerifyNoFixAsync(@"
using System.Text;
using Npgsql;

class Repository
{
    public void Run(NpgsqlConnection connection, string key, string quotedKey)
    {
        using var bare = new NpgsqlCommand({|HIPAA203:""SELECT pgp_sym_decrypt(ssn, "" + quotedKey + "") FROM patients""|}, connection);
        using var mixed = new NpgsqlCommand({|HIPAA203:$""SELECT pgp_sym_decrypt(ssn, 'prefix-{key}') FROM patients""|}, connection);
    }
}" + Shapes);

        [Fact]
        public Task No_fix_for_dapper_and_ef_core_calls() => VerifyFix.VerifyNoFixAsync(@"
using System.Data;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Clinic;

class Repository
{
    public void Run(IDbConnection db, ClinicDb ef, string key)
    {
        db.Execute({|HIPAA203:$""INSERT INTO patients VALUES (pgp_sym_encrypt(@ssn, '{key}'))""|});
        ef.Database.ExecuteSqlRaw({|HIPAA203:$""UPDATE patients SET ssn = pgp_sym_encrypt(ssn, '{key}')""|});
    }
}" + Shapes);
    }
}
