using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA203KeyInSqlTextAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA203KeyInSqlTextTests
{
    /// <summary>
    /// The shapes of Npgsql, Dapper and EF Core's raw SQL methods, which the test references do not include: the rule
    /// matches ADO.NET by base type and interface, Dapper by method name on IDbConnection, EF Core by namespace.
    /// </summary>
    internal const string Shapes = @"
namespace Npgsql
{
    using System.Data;
    using System.Data.Common;

    public sealed class NpgsqlParameterCollection
    {
        public object AddWithValue(string parameterName, object value) => value;
    }

    public sealed class NpgsqlConnection : DbConnection
    {
        public override string ConnectionString { get; set; } = """";
        public override string Database => """";
        public override string DataSource => """";
        public override string ServerVersion => """";
        public override ConnectionState State => ConnectionState.Closed;
        public override void ChangeDatabase(string databaseName) { }
        public override void Close() { }
        public override void Open() { }
        public new NpgsqlCommand CreateCommand() => new NpgsqlCommand("""", this);
        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => throw new System.NotSupportedException();
        protected override DbCommand CreateDbCommand() => CreateCommand();
    }

    public sealed class NpgsqlCommand : DbCommand
    {
        public NpgsqlCommand(string cmdText, NpgsqlConnection connection) { CommandText = cmdText; }
        public new NpgsqlParameterCollection Parameters { get; } = new NpgsqlParameterCollection();
        public override string CommandText { get; set; } = """";
        public override int CommandTimeout { get; set; }
        public override CommandType CommandType { get; set; }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; }
        protected override DbParameterCollection DbParameterCollection => throw new System.NotSupportedException();
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        public override int ExecuteNonQuery() => 0;
        public override object? ExecuteScalar() => null;
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => throw new System.NotSupportedException();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw new System.NotSupportedException();
    }
}

namespace Dapper
{
    using System.Collections.Generic;
    using System.Data;
    using System.Threading.Tasks;

    public readonly struct CommandDefinition
    {
        public CommandDefinition(string commandText, object? parameters = null) { CommandText = commandText; }
        public string CommandText { get; }
    }

    public static class SqlMapper
    {
        public static int Execute(this IDbConnection cnn, string sql, object? param = null) => 0;
        public static Task<int> ExecuteAsync(this IDbConnection cnn, string sql, object? param = null) => Task.FromResult(0);
        public static IEnumerable<T> Query<T>(this IDbConnection cnn, string sql, object? param = null) => new List<T>();
        public static T QuerySingle<T>(this IDbConnection cnn, string sql, object? param = null) => default!;
    }
}

namespace Microsoft.EntityFrameworkCore
{
    using System;
    using System.Linq;

    public class DatabaseFacade { }

    public class DbSet<T> where T : class { }

    public static class RelationalDatabaseFacadeExtensions
    {
        public static int ExecuteSqlRaw(this DatabaseFacade databaseFacade, string sql, params object[] parameters) => 0;
        public static int ExecuteSql(this DatabaseFacade databaseFacade, FormattableString sql) => 0;
        public static IQueryable<T> SqlQueryRaw<T>(this DatabaseFacade databaseFacade, string sql, params object[] parameters) => Enumerable.Empty<T>().AsQueryable();
    }

    public static class RelationalQueryableExtensions
    {
        public static IQueryable<T> FromSqlRaw<T>(this DbSet<T> source, string sql, params object[] parameters) where T : class => Enumerable.Empty<T>().AsQueryable();
        public static IQueryable<T> FromSql<T>(this DbSet<T> source, FormattableString sql) where T : class => Enumerable.Empty<T>().AsQueryable();
    }
}

namespace Clinic
{
    public class Patient { public string Ssn { get; set; } = """"; }

    public class ClinicDb
    {
        public Microsoft.EntityFrameworkCore.DatabaseFacade Database { get; } = new();
        public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients { get; } = new();
    }
}
";

    [Fact]
    public Task Reports_keys_written_into_sql_that_reaches_a_command() => Verify.VerifyAsync(@"
using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Clinic;

class Repository
{
    private const string SelectSsn = ""SELECT pgp_pub_decrypt(ssn, dearmor('-----BEGIN PGP PRIVATE KEY BLOCK-----')) FROM patients"";
    private readonly NpgsqlConnection _connection = new();
    private readonly string _key = """";

    public void Run(string ssn, string key, IDbConnection db, ClinicDb ef)
    {
        using var insert = new NpgsqlCommand({|HIPAA203:""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt(@ssn, 'k3y-literal'))""|}, _connection);
        var sql = $""SELECT pgp_sym_decrypt(ssn::bytea, '{key}') FROM patients"";
        using var select = new NpgsqlCommand({|HIPAA203:sql|}, _connection);
        DbCommand update = _connection.CreateCommand();
        update.CommandText = {|HIPAA203:""UPDATE patients SET ssn = pgp_sym_encrypt(@ssn, '"" + _key + ""')""|};
        db.Execute({|HIPAA203:string.Format(""INSERT INTO patients VALUES (ENCRYPTBYPASSPHRASE('{0}', @ssn))"", key)|});
        db.Query<string>({|HIPAA203:""SELECT CONVERT(varchar, DECRYPTBYPASSPHRASE(N'clinic-passphrase', ssn)) FROM patients""|});
        ef.Database.ExecuteSqlRaw({|HIPAA203:$""UPDATE patients SET ssn = AES_ENCRYPT({{0}}, '{key}')""|}, ssn);
        ef.Patients.FromSqlRaw({|HIPAA203:""SELECT decrypt(ssn, convert_to('secret', 'utf8'), 'aes') AS ssn FROM patients""|});
        ef.Database.SqlQueryRaw<string>({|HIPAA203:""SELECT encrypt_iv(ssn, '"" + key + ""', '\\x00', 'aes-cbc') FROM patients""|});
        using var pub = new NpgsqlCommand({|HIPAA203:SelectSsn|}, _connection);
        var definition = new CommandDefinition({|HIPAA203:$""SELECT pgp_sym_decrypt(ssn, '{key}') FROM patients""|});
    }
}" + Shapes);

    [Fact]
    public Task Message_names_the_function_and_the_command() => Verify.VerifyAsync(@"
using Npgsql;

class Repository
{
    public void Save(NpgsqlConnection connection, string key)
    {
        using var cmd = new NpgsqlCommand({|#0:$""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt(@ssn, '{key}'))""|}, connection);
    }
}" + Shapes,
        Verify.Diagnostic("HIPAA203").WithLocation(0).WithArguments("pgp_sym_encrypt", "NpgsqlCommand")
            .WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task Leaves_alone_parameters_ef_core_interpolation_comments_and_text_that_is_not_a_command() => Verify.VerifyAsync(@"
using System.Data;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Clinic;

class Repository
{
    private readonly NpgsqlConnection _connection = new();

    public void Run(string ssn, string key, string table, IDbConnection db, ClinicDb ef)
    {
        using var named = new NpgsqlCommand(""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt(@ssn, @key))"", _connection);
        using var positional = new NpgsqlCommand(""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt($1, $2))"", _connection);
        using var colon = new NpgsqlCommand(""SELECT pgp_sym_decrypt(ssn::bytea, :key) FROM patients"", _connection);
        using var setting = new NpgsqlCommand(""SELECT pgp_sym_decrypt(ssn, current_setting('app.encryption_key')) FROM patients"", _connection);
        using var commented = new NpgsqlCommand(""-- was: pgp_sym_encrypt(ssn, 'old-key')\nSELECT pgp_sym_decrypt(ssn, @key) FROM patients"", _connection);
        using var quoted = new NpgsqlCommand(""SELECT 'call pgp_sym_encrypt(x, ''k'') first' AS hint, encrypt_name(ssn) FROM patients"", _connection);
        using var publicKey = new NpgsqlCommand(""SELECT pgp_pub_encrypt(ssn, dearmor('-----BEGIN PGP PUBLIC KEY BLOCK-----')) FROM patients"", _connection);
        using var tableName = new NpgsqlCommand($""SELECT pgp_sym_decrypt(ssn, @key) FROM {table}"", _connection);
        using var digest = new NpgsqlCommand(""SELECT digest(ssn, 'sha256') FROM patients"", _connection);
        db.Execute(""INSERT INTO patients VALUES (pgp_sym_encrypt(@ssn, @key))"", new { ssn, key });
        ef.Database.ExecuteSql($""UPDATE patients SET ssn = pgp_sym_encrypt({ssn}, {key})"");
        ef.Patients.FromSql($""SELECT pgp_sym_decrypt(ssn, {key}) AS ssn FROM patients"");
        ef.Database.ExecuteSqlRaw(""UPDATE patients SET ssn = pgp_sym_encrypt({0}, {1})"", ssn, key);
        var note = ""Use pgp_sym_encrypt(ssn, 'key') only in migrations"";
        var notACommand = $""SELECT pgp_sym_encrypt(@ssn, '{key}')"";
    }
}" + Shapes);
}
