using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Npgsql;
using Xunit;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> in a temporary directory, listening on 127.0.0.1 only
/// on a free port, with <c>log_statement=all</c> and <c>pg_stat_statements</c>, logging to a file the tests read.
/// When the tests run as root, initdb and pg_ctl (which refuse to run as root) run as the <c>postgres</c> user, who
/// owns the directory. The cluster is stopped (<c>pg_ctl stop -m immediate</c>) and the directory deleted on Dispose,
/// on process exit, and by a watchdog process if the test host dies without either.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Superuser = "postgres";

    private readonly string _bin;
    private readonly string? _runAs;
    private readonly object _stopLock = new();
    private readonly HashSet<string> _databases = new(StringComparer.Ordinal);
    private bool _stopped;

    /// <summary>
    /// The cluster's directory when the server runs as another user: under /tmp, which every user can traverse, not under
    /// TMPDIR, which may be a private directory of the test user (<c>TMPDIR=$(mktemp -d)</c> makes one mode 0700).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string CreateServerUserRoot()
    {
        string path = Path.Combine("/tmp", "hipaa-efcore-pg-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public PostgresServer()
    {
        _bin = LocateBinaries();
        _runAs = Environment.IsPrivilegedProcess ? "postgres" : null;
        Root = _runAs is null || OperatingSystem.IsWindows() ? Directory.CreateTempSubdirectory("hipaa-efcore-pg-").FullName : CreateServerUserRoot();
        DataDirectory = Path.Combine(Root, "data");
        LogFile = Path.Combine(Root, "server.log");
        SuperuserPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Port = FreePort();

        try
        {
            string passwordFile = Path.Combine(Root, "pw");
            File.WriteAllText(passwordFile, SuperuserPassword + "\n");
            if (_runAs is not null)
            {
                Run("chown", ["-R", _runAs + ":", Root], asServerUser: false);
            }

            Run(Path.Combine(_bin, "initdb"), [
                "-D", DataDirectory, "-U", Superuser, "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C",
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--no-sync",
            ]);
            File.Delete(passwordFile);

            // 127.0.0.1 only; the Unix socket goes to the private directory, not /var/run/postgresql.
            File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), string.Join('\n', [
                "",
                "listen_addresses = '127.0.0.1'",
                $"port = {Port}",
                $"unix_socket_directories = '{Root}'",
                "log_statement = 'all'",
                "log_destination = 'stderr'",
                "logging_collector = off",
                "log_line_prefix = '%m [%p] %q%u@%d '",
                "shared_preload_libraries = 'pg_stat_statements'",
                "pg_stat_statements.track = all",
                "pg_stat_statements.track_utility = on",
                "max_connections = 40",
                "shared_buffers = 32MB",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "",
            ]));

            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            Run(Path.Combine(_bin, "pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-s"]);
            StartWatchdog();

            using NpgsqlConnection connection = OpenConnection("postgres");
            Execute(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
        catch (Exception exception)
        {
            string log = File.Exists(LogFile) ? ReadLog() : "(no server log)";
            Stop();
            throw new InvalidOperationException($"Could not start the test PostgreSQL cluster ({_bin}): {exception.Message}\nServer log:\n{log}", exception);
        }
    }

    public string Root { get; }

    public string DataDirectory { get; }

    public string LogFile { get; }

    public int Port { get; }

    public string SuperuserPassword { get; }

    public string ConnectionString(string database, string user = Superuser, string? password = null) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = user,
            Password = password ?? (user == Superuser ? SuperuserPassword : null),
            Timeout = 15,
            MaxPoolSize = 10,
        }.ConnectionString;

    public NpgsqlConnection OpenConnection(string database, string user = Superuser, string? password = null)
    {
        var connection = new NpgsqlConnection(ConnectionString(database, user, password));
        connection.Open();
        return connection;
    }

    /// <summary>Creates an empty database the first time it is asked for, and returns its name.</summary>
    public string CreateDatabase(string name)
    {
        lock (_databases)
        {
            if (_databases.Add(name))
            {
                using NpgsqlConnection connection = OpenConnection("postgres");
                Execute(connection, $"CREATE DATABASE {name}");
            }
        }

        return name;
    }

    /// <summary>The whole server log so far.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The log lines written after <paramref name="offset"/> characters (take the offset with <c>ReadLog().Length</c>).</summary>
    public string ReadLogSince(int offset)
    {
        string log = ReadLog();
        return offset <= log.Length ? log[offset..] : log;
    }

    /// <summary>Every query text pg_stat_statements keeps, cluster-wide.</summary>
    public IReadOnlyList<string> ReadStatementStatistics()
    {
        using NpgsqlConnection connection = OpenConnection("postgres");
        using var command = new NpgsqlCommand("SELECT query FROM pg_stat_statements", connection);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var queries = new List<string>();
        while (reader.Read())
        {
            queries.Add(reader.GetString(0));
        }

        return queries;
    }

    /// <summary>The bytes of every file of the data directory (tables, WAL, statistics), for byte searches.</summary>
    public IEnumerable<(string Path, byte[] Bytes)> ReadDataFiles()
    {
        foreach (string file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (IOException)
            {
                continue;
            }

            yield return (Path.GetRelativePath(DataDirectory, file), bytes);
        }
    }

    public static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        lock (_stopLock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-s"]);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            // Reported below only if the directory cannot be removed either; the watchdog also stops the cluster.
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Stops the cluster when this test process is gone, even after a SIGKILL.</summary>
    private void StartWatchdog()
    {
        string script =
            $"while [ -d /proc/{Environment.ProcessId} ]; do sleep 1; done; " +
            $"'{Path.Combine(_bin, "pg_ctl")}' stop -D '{DataDirectory}' -m immediate -s >/dev/null 2>&1; rm -rf '{Root}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (_runAs is not null)
        {
            foreach (string argument in (string[])["runuser", "-u", _runAs, "--"])
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using Process? process = Process.Start(start);
    }

    private void Run(string file, string[] arguments, bool asServerUser = true)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        if (asServerUser && _runAs is not null)
        {
            start.FileName = "runuser";
            foreach (string argument in (string[])["-u", _runAs, "--", file])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl start leaves the server holding inherited pipes open: read to the end only after the process exits.
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within 90 seconds.");
        }

        if (process.ExitCode != 0)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with code {process.ExitCode}: {text.Trim()}");
        }
    }

    private static string LocateBinaries()
    {
        const string root = "/usr/lib/postgresql";
        string? bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : -1))
                .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Dir, "bin", "initdb")) && File.Exists(Path.Combine(x.Dir, "bin", "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin"))
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "These tests start their own PostgreSQL server, and no server binaries were found under /usr/lib/postgresql/<version>/bin. " +
            "Install them with: apt-get update && apt-get install -y postgresql postgresql-contrib (scripts/test.sh does this).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One cluster for every test class of the collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
