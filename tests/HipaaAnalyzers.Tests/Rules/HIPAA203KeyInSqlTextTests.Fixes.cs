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
