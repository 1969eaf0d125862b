using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Package.Tests.EndToEnd;

/// <summary>
/// What a team does with a clinic web API that leaks PHI, end to end and with real parts only: <c>dotnet new webapi</c>,
/// the packed packages from the local folder, the app's code with its violations (ClinicWeb/ beside this file),
/// <c>hipaa-scan --fix</c> from the installed tool, <c>dotnet build</c>, keys provisioned as the documentation says
/// (openssl), then the built app started as a process and driven over HTTP. The fixed app must build without
/// findings, start, answer 401 / 403 / 200 on its patient endpoint, write one verifiable audit event per PHI request,
/// keep only ciphertext in its database columns, and hold none of the secrets its code had.
/// </summary>
/// <remarks>
/// The app's Program.cs registers its DbContext without field encryption, as a team that has not met the runtime
/// does: HIPAA005's fix marks the PHI columns [Encrypted], and HIPAA902's fix then configures the context with
/// UseFieldEncryption and registers the encryption services, so the database check below holds only if the fixes
/// together leave an app that encrypts.
/// </remarks>
[Collection(PackedPackagesCollection.Name)]
public sealed class ClinicAppEndToEndTests
{
    // The EF Core provider of the app: SQLite needs no server and works offline.
    private const string SqliteProviderVersion = "10.0.15";

    // The lab system's database client (the version HipaaAnalyzers.Runtime.EntityFrameworkCore already brings).
    private const string NpgsqlVersion = "10.0.3";

    private static readonly TimeSpan TemplateTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan AddPackageTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan KeyCommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    // The secrets written into ClinicWeb/Services: the AES key text and the MAC key (DocumentProtector.cs), the lab
    // database password (LabResultsRepository.cs).
    private const string AesKeyText = "ClinicExport#2026!Key0123456789a";
    private const string MacKeyBase64 = "q1oS8cuoDT6lkQzE5xBIHIDJAU5AEJhDp8PwCXIWtNQ=";
    private const string LabPassword = "Lab$Reader2026";

    // The patient the test registers through the API.
    private const string PatientName = "Rosalind Quenby";
    private const string PatientSsn = "512-44-8096";
    private static readonly DateOnly PatientDateOfBirth = new(1984, 3, 9);

    /// <summary>What the build reports for the app as written, before the fix: one entry per finding, "rule file".</summary>
    private static readonly string[] FindingsBeforeFix =
    {
        "HIPAA001 Controllers/PatientsController.cs",   // logger.LogInformation("... {Ssn}", patient.Ssn)
        "HIPAA002 Controllers/PatientsController.cs",   // logger.LogInformation("... {@Patient}", patient)
        "HIPAA003 Controllers/PatientsController.cs",   // new ArgumentException($"SSN {request.Ssn} ...")
        "HIPAA004 Controllers/PatientsController.cs",   // Activity.Current?.SetTag("patient.ssn", patient.Ssn)
        "HIPAA004 Services/EligibilityClient.cs",       // http.GetAsync($"...?ssn={patient.Ssn}")
        "HIPAA005 Models/Patient.cs",                   // Name
        "HIPAA005 Models/Patient.cs",                   // Ssn
        "HIPAA005 Models/Patient.cs",                   // DateOfBirth
        "HIPAA006 Program.cs",                          // .EnableSensitiveDataLogging() in every environment
        "HIPAA006 Program.cs",                          // HTTP logging of HttpLoggingFields.All (bodies included)
        "HIPAA006 Program.cs",                          // app.UseDeveloperExceptionPage() in every environment
        "HIPAA006 appsettings.json",                    // EF Core's command log at Information, while sensitive data logging is on
        "HIPAA101 Services/DocumentProtector.cs",       // new HMACMD5(...)
        "HIPAA201 Services/DocumentProtector.cs",       // aes.Key = AesKey
        "HIPAA201 Services/DocumentProtector.cs",       // new HMACMD5(MacKey)
        "HIPAA202 Services/LabResultsRepository.cs",    // the lab database's connection string with its password
        "HIPAA301 Controllers/PatientsController.cs",   // GET /patients/{id}
        "HIPAA301 Controllers/PatientsController.cs",   // POST /patients
        "HIPAA301 Controllers/PatientsController.cs",   // GET /patients/{id}/export
        "HIPAA401 Controllers/PatientsController.cs",   // GET /patients/{id}
        "HIPAA401 Controllers/PatientsController.cs",   // POST /patients
        "HIPAA401 Controllers/PatientsController.cs",   // GET /patients/{id}/export
    };

    /// <summary>
    /// Findings the build may still report after <c>hipaa-scan --fix</c> ("rule file"), each with the reason no fix
    /// removes it; any other finding fails the test. None: every finding of this app has a fix, and the one in a settings
    /// file (HIPAA006 in appsettings.json, which no fix edits) goes away with the code fix of EnableSensitiveDataLogging.
    /// What has no fix (the README's rule table: HIPAA204, HIPAA205, HIPAA304, HIPAA900, HIPAA901; HIPAA102 and HIPAA103
    /// outside the helper methods their fixes rewrite; HIPAA201 and HIPAA202 in settings files) has no case in this app.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> FixlessFindings = new Dictionary<string, string>();

    private static readonly Regex Finding = new(
        @"^\s*(?<file>[^\r\n]+?)\((?<line>\d+),(?<column>\d+)(,\d+,\d+)?\): (?<severity>warning|error|info) (?<id>HIPAA\d{3}):",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private readonly PackedPackagesFixture _fixture;
    private readonly ITestOutputHelper _output;

    public ClinicAppEndToEndTests(PackedPackagesFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task ClinicApi_FixedByHipaaScan_WithKeysProvisionedAsDocumented_BuildsStartsAndProtectsPhi()
    {
        _fixture.RequireAnalyzerPackage();
        _fixture.RequireRuntimePackage();
        _fixture.RequireAspNetCorePackage();
        _fixture.RequireEntityFrameworkCorePackage();
        var hipaaScan = _fixture.RequireHipaaScan();

        var workspace = _fixture.NewConsumerDirectory("clinic-e2e");
        var project = Path.Combine(workspace, "ClinicWeb");
        var projectFile = Path.Combine(project, "ClinicWeb.csproj");
        var secrets = Path.Combine(workspace, "secrets");
        var data = Path.Combine(workspace, "data");
        Directory.CreateDirectory(secrets);
        Directory.CreateDirectory(data);
        RunningApp? app = null;
        try
        {
            // 1. The ASP.NET Core Web API template with controllers, from the installed SDK.
            Dotnet(workspace, TemplateTimeout, "new", "webapi", "--use-controllers", "-n", "ClinicWeb", "-o", project, "--no-restore", "--no-update-check");

            // 2. The packages, as the README installs them, and the EF Core provider.
            foreach (var (package, version) in new[]
            {
                ("HipaaAnalyzers", _fixture.Version),
                ("HipaaAnalyzers.Runtime", _fixture.Version),
                ("HipaaAnalyzers.Runtime.AspNetCore", _fixture.Version),
                ("HipaaAnalyzers.Runtime.EntityFrameworkCore", _fixture.Version),
                ("Microsoft.EntityFrameworkCore.Sqlite", SqliteProviderVersion),
                ("Npgsql", NpgsqlVersion),
            })
            {
                Dotnet(project, AddPackageTimeout, "add", projectFile, "package", package, "--version", version);
            }

            // 3. The app's code: patients in EF Core, a controller, an export service, a payer client, a lab database
            // client and the gateway's authentication; Program.cs and appsettings.json replace the template's.
            CopyDirectory(Path.Combine(AppContext.BaseDirectory, "ClinicWeb"), project);
            var before = Build(projectFile, Path.Combine(workspace, "build-before-fix"));
            Assert.True(before.Succeeded, before.Describe());
            Assert.True(
                Findings(before.Output, project).SequenceEqual(FindingsBeforeFix.Order(StringComparer.Ordinal)),
                "The build of the app as written should report exactly the planted findings." + Environment.NewLine +
                $"Expected:{Environment.NewLine}{string.Join(Environment.NewLine, FindingsBeforeFix.Order(StringComparer.Ordinal))}{Environment.NewLine}" +
                $"Reported:{Environment.NewLine}{string.Join(Environment.NewLine, Findings(before.Output, project))}{Environment.NewLine}{before.Describe()}");
            var sourcesBefore = ReadSources(project);

            // 4. hipaa-scan --fix (docs/cli.md), then the build a team runs next.
            var scan = ProcessRunner.Run(hipaaScan, project, ScanTimeout, new[] { "ClinicWeb.csproj", "--fix" }, PackedPackagesFixture.ScannerEnvironment(), displayName: "hipaa-scan");
            _output.WriteLine(scan.Describe());
            Assert.True(scan.Succeeded, scan.Describe());
            Assert.Contains($"Fixed {FindingsBeforeFix.Length} of {FindingsBeforeFix.Length} findings", scan.Output, StringComparison.Ordinal);
            WriteChanges(sourcesBefore, ReadSources(project));

            var after = Build(projectFile, artifactsPath: null);
            Assert.True(after.Succeeded, after.Describe());
            Assert.Contains(" 0 Error(s)", after.Output, StringComparison.Ordinal);
            var surprises = Findings(after.Output, project).Where(f => !FixlessFindings.ContainsKey(f)).ToList();
            Assert.True(
                surprises.Count == 0,
                $"After hipaa-scan --fix the build reports findings that have a fix:{Environment.NewLine}{string.Join(Environment.NewLine, surprises)}{Environment.NewLine}{after.Describe()}");

            // What the fixes read, named as their rule pages say: HIPAA201 turns the keys into application keys named
            // after their fields (Keys:AesKey gives aes-key), HIPAA202 reads the connection string from the variable
            // that ASP.NET Core maps to ConnectionStrings:Lab, HIPAA902 takes the audit log's path from Audit:Path.
            var protector = File.ReadAllText(Path.Combine(project, "Services", "DocumentProtector.cs"));
            Assert.Contains("HipaaKeys.Get(\"aes-key\")", protector, StringComparison.Ordinal);
            Assert.Contains("HipaaKeys.Get(\"mac-key\")", protector, StringComparison.Ordinal);
            Assert.Contains("\"ConnectionStrings__Lab\"", File.ReadAllText(Path.Combine(project, "Services", "LabResultsRepository.cs")), StringComparison.Ordinal);
            Assert.Contains("Configuration[\"Audit:Path\"]", File.ReadAllText(Path.Combine(project, "Program.cs")), StringComparison.Ordinal);

            // 5. Keys and settings, provisioned as the documentation says.
            var keys = Keys.Provision(secrets, KeyCommandTimeout, _output);
            var auditLog = Path.Combine(data, "audit", "audit.jsonl");
            var database = Path.Combine(data, "clinic.db");
            var environment = new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = null,
                ["HIPAA_AUDIT_SIGNING_KEY"] = keys.AuditSigningKey,
                ["HIPAA_AUDIT_SIGNING_KEY_ID"] = null,
                ["HIPAA_ENCRYPTION_KEYS"] = $"{Keys.EncryptionKeyId}@{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{keys.EncryptionKey}",
                ["HIPAA_APPLICATION_KEYS"] = $"aes-key:{keys.AesKey};mac-key:{keys.MacKey}",
                ["HIPAA_BLIND_INDEX_KEYS"] = null,
                ["HIPAA_PSEUDONYMIZATION_KEY"] = null,
                ["HIPAA_MASTER_KEY"] = null,
                ["ConnectionStrings__Clinic"] = $"Data Source={database}",
                ["ConnectionStrings__Lab"] = $"Host=127.0.0.1;Database=lab;Username=clinic_api;Password={keys.LabPassword}",
                ["Audit__Path"] = auditLog,
            };

            // 6. The built app, started as a deployment starts it, and driven over HTTP.
            var output = Path.Combine(project, "bin", "Release", "net10.0");
            app = RunningApp.Start(Path.Combine(output, "ClinicWeb.dll"), output, environment, StartTimeout);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = app.BaseAddress, Timeout = RequestTimeout };

            var weather = await Send(http, app, HttpMethod.Get, "weatherforecast", user: null);
            Assert.True(weather.Status == HttpStatusCode.OK, weather.Describe(app));

            var created = await Send(http, app, HttpMethod.Post, "patients", ("dr.grey", "edit:patients"), JsonSerializer.Serialize(new
            {
                name = PatientName,
                ssn = PatientSsn,
                dateOfBirth = PatientDateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }));
            Assert.True(created.Status == HttpStatusCode.Created, created.Describe(app));
            var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString();
            Assert.False(string.IsNullOrEmpty(id), created.Describe(app));
            var patientPath = "patients/" + id;

            var anonymous = await Send(http, app, HttpMethod.Get, patientPath, user: null);
            Assert.True(anonymous.Status == HttpStatusCode.Unauthorized, anonymous.Describe(app));

            var clerk = await Send(http, app, HttpMethod.Get, patientPath, ("clerk.bob", "front-desk"));
            Assert.True(clerk.Status == HttpStatusCode.Forbidden, clerk.Describe(app));

            // The permission policy HIPAA902's fix defines grants view:patients to a role of that name (HIPAA902.md).
            var physician = await Send(http, app, HttpMethod.Get, patientPath, ("dr.grey", "view:patients"));
            Assert.True(physician.Status == HttpStatusCode.OK, physician.Describe(app));
            var patient = JsonDocument.Parse(physician.Body).RootElement;
            Assert.Equal(PatientName, patient.GetProperty("name").GetString());
            Assert.Equal(PatientSsn, patient.GetProperty("ssn").GetString());
            Assert.Equal(PatientDateOfBirth, DateOnly.Parse(patient.GetProperty("dateOfBirth").GetString()!, CultureInfo.InvariantCulture));

            // The export is sealed with the application keys provisioned above: HipaaKeys.Get read them.
            var export = await Send(http, app, HttpMethod.Get, patientPath + "/export", ("dr.grey", "view:patients"));
            Assert.True(export.Status == HttpStatusCode.OK, export.Describe(app));
            var exported = JsonDocument.Parse(Unseal(export.Bytes, Convert.FromBase64String(keys.AesKey), Convert.FromBase64String(keys.MacKey))).RootElement;
            Assert.Equal(PatientSsn, exported.GetProperty("Ssn").GetString());

            // 7. Stop the app gracefully, as a service manager stops it (the audit sink closes with a checkpoint), and
            // check what it left behind.
            var (graceful, exitCode) = app.Stop(StopTimeout);
            var appOutput = app.Output;
            _output.WriteLine(app.Describe());
            Assert.True(graceful && exitCode == 0, $"The app did not stop gracefully (exit code {exitCode}).{Environment.NewLine}{app.Describe()}");

            // The audit log: a valid, signed chain with exactly one event per PHI request, denials included.
            using (var verificationKey = AuditVerificationKey.FromPemFile(keys.AuditPublicKeyPath))
            {
                var verification = AuditChainVerifier.VerifyFile(auditLog, new AuditVerificationOptions { VerificationKeys = new[] { verificationKey } });
                var log = File.ReadAllText(auditLog);
                Assert.True(verification.IsValid, $"{verification}{Environment.NewLine}{log}");
                Assert.True(verification.CheckpointCount >= 1 && verification.RecordsAfterLastCheckpoint == 0, $"{verification}{Environment.NewLine}{log}");
                var events = File.ReadLines(auditLog)
                    .Select(line => AuditRecord.TryParse(line, out var record, out _) ? record : null)
                    .Where(record => record?.Event is not null)
                    .Select(record => record!.Event!)
                    .Select(e => $"{e.User} {e.Action} {e.Resource} {e.Outcome} {e.Reason}".TrimEnd())
                    .ToList();
                Assert.Equal(
                    new[]
                    {
                        "dr.grey Modified /patients Success",
                        $"anonymous Viewed /{patientPath} Denied not authenticated",
                        $"clerk.bob Viewed /{patientPath} Denied no role grants view:patients",
                        $"dr.grey Viewed /{patientPath} Success",
                        $"dr.grey Viewed /{patientPath}/export Success",
                    },
                    events);
                Assert.Equal(events.Count, verification.EventCount);
            }

            // The database: ciphertext in the encrypted columns, no plaintext anywhere in its files.
            AssertDatabaseHoldsNoPlaintext(database);

            // The app's log: the redacted value where the SSN was logged, HTTP logging and EF Core's command log still
            // on (appsettings.json), and no PHI in any of them.
            Assert.Contains("[REDACTED]", appOutput, StringComparison.Ordinal);
            Assert.Contains("Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware", appOutput, StringComparison.Ordinal);
            Assert.Contains("INSERT INTO \"Patients\"", appOutput, StringComparison.Ordinal);
            foreach (var phi in new[] { PatientSsn, PatientName, PatientDateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
            {
                Assert.False(appOutput.Contains(phi, StringComparison.Ordinal), $"The app's log holds '{phi}'.{Environment.NewLine}{appOutput}");
            }

            // The project: none of the secrets its code held, in any file, the fixed build's output included.
            AssertProjectHoldsNoSecret(project);
        }
        finally
        {
            // 8. Stop the app if a step failed while it ran, and remove the app, its data and its keys.
            app?.Dispose();
            TryDelete(workspace);
        }
    }

    private ProcessResult Dotnet(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var result = DotnetCli.Run(workingDirectory, timeout, arguments, PackedPackagesFixture.ConsumerEnvironment);
        _output.WriteLine(result.Describe());
        Assert.True(result.Succeeded, result.Describe());
        return result;
    }

    /// <summary>
    /// <c>dotnet build -c Release</c>; with <paramref name="artifactsPath"/>, its output and intermediate files go there
    /// instead of the project folder (the check build before the fix leaves nothing in the project).
    /// </summary>
    private ProcessResult Build(string projectFile, string? artifactsPath)
    {
        var arguments = new List<string> { "build", projectFile, "-c", "Release" };
        if (artifactsPath is not null)
        {
            arguments.AddRange(new[] { "--artifacts-path", artifactsPath });
        }

        arguments.AddRange(DotnetCli.NoLingeringServers);
        var result = DotnetCli.Run(Path.GetDirectoryName(projectFile)!, BuildTimeout, arguments, PackedPackagesFixture.ConsumerEnvironment);
        _output.WriteLine(result.Describe());
        return result;
    }

    /// <summary>The scanner's environment: the consumers' build settings, and the .NET it runs on.</summary>
    /// <summary>The distinct HipaaAnalyzers findings of a build output, "rule file" (relative to the project), sorted.</summary>
    private static List<string> Findings(string buildOutput, string project) =>
        Finding.Matches(buildOutput)
            .Select(m => (Id: m.Groups["id"].Value, File: m.Groups["file"].Value.Trim(), Line: m.Groups["line"].Value, Column: m.Groups["column"].Value))
            .Distinct()
            .Select(f => f.Id + " " + Path.GetRelativePath(project, f.File).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private async Task<Exchange> Send(HttpClient http, RunningApp app, HttpMethod method, string path, (string Id, string Roles)? user, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is { } signedIn)
        {
            // What the clinic's gateway forwards (ClinicWeb/Security/GatewayAuthenticationHandler.cs).
            request.Headers.Add("X-User-Id", signedIn.Id);
            request.Headers.Add("X-User-Roles", signedIn.Roles);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var description = $"{method} /{path} as {(user is { } u ? $"{u.Id} ({u.Roles})" : "nobody")}";
        try
        {
            using var response = await http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var exchange = new Exchange(description, response.StatusCode, bytes);
            _output.WriteLine($"{description}: {(int)response.StatusCode}");
            return exchange;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException($"{description} failed: {e.Message}{Environment.NewLine}{app.Describe()}", e);
        }
    }

    private sealed record Exchange(string Request, HttpStatusCode Status, byte[] Bytes)
    {
        public string Body => Encoding.UTF8.GetString(Bytes);

        public string Describe(RunningApp app) =>
            $"{Request}: {(int)Status} {Status}{Environment.NewLine}{Body}{Environment.NewLine}--- app ---{Environment.NewLine}{app.Describe()}";
    }

    /// <summary>
    /// Opens DocumentProtector's format: IV (16 bytes), AES-CBC ciphertext, HMAC-SHA256 of both (32 bytes). Fails
    /// unless the MAC verifies with <paramref name="macKey"/> and the ciphertext decrypts with <paramref name="aesKey"/>.
    /// </summary>
    private static byte[] Unseal(byte[] document, byte[] aesKey, byte[] macKey)
    {
        Assert.True(document.Length > 16 + 32, $"The export is {document.Length} bytes.");
        var sealedPart = document.AsSpan(0, document.Length - 32);
        Assert.True(
            CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(macKey, sealedPart), document.AsSpan(document.Length - 32)),
            "The export's MAC does not verify with the provisioned mac-key.");
        using var aes = Aes.Create();
        aes.Key = aesKey;
        return aes.DecryptCbc(sealedPart.Slice(16), sealedPart.Slice(0, 16));
    }

    private static void AssertDatabaseHoldsNoPlaintext(string database)
    {
        // The raw files first (the database, and a write-ahead log if one is left), before SQLite opens them.
        var plaintexts = new[] { PatientSsn, PatientName, PatientDateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        var files = Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var plaintext in plaintexts)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(plaintext)), $"{Path.GetFileName(file)} holds '{plaintext}' as UTF-8 text.");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(plaintext)), $"{Path.GetFileName(file)} holds '{plaintext}' as UTF-16 text.");
            }
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Patients') ORDER BY cid";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }

        // The column layout of docs/runtime/efcore.md: each [Encrypted] property is a <Name>_ciphertext column, and
        // the plaintext has no column at all.
        var encrypted = new[] { "DateOfBirth_ciphertext", "Name_ciphertext", "Ssn_ciphertext" };
        Assert.True(
            columns.Order(StringComparer.Ordinal).SequenceEqual(encrypted.Append("Id").Order(StringComparer.Ordinal)),
            "Patients columns: " + string.Join(", ", columns));

        using var select = connection.CreateCommand();
        select.CommandText = "SELECT Id, " + string.Join(", ", encrypted) + " FROM Patients";
        using var rows = select.ExecuteReader();
        var count = 0;
        while (rows.Read())
        {
            count++;
            for (var i = 1; i < rows.FieldCount; i++)
            {
                var value = rows.GetValue(i);
                Assert.True(value is byte[], $"{rows.GetName(i)} holds a {value.GetType().Name}, not a ciphertext.");
                var ciphertext = (byte[])value;

                // Format version 1 (docs/runtime/encryption.md): 0x01, the key id's length and the key id, which must
                // be the encryption key provisioned for the app.
                var keyId = Encoding.ASCII.GetBytes(Keys.EncryptionKeyId);
                Assert.True(
                    ciphertext.Length > 2 + keyId.Length && ciphertext[0] == 0x01 && ciphertext[1] == keyId.Length && ciphertext.AsSpan(2, keyId.Length).SequenceEqual(keyId),
                    $"{rows.GetName(i)} does not hold a version 1 ciphertext under key {Keys.EncryptionKeyId}: {Convert.ToHexString(ciphertext)}");
                foreach (var plaintext in plaintexts)
                {
                    Assert.False(Contains(ciphertext, Encoding.UTF8.GetBytes(plaintext)), $"{rows.GetName(i)} holds '{plaintext}'.");
                }
            }
        }

        Assert.Equal(1, count);
    }

    private static void AssertProjectHoldsNoSecret(string project)
    {
        var secrets = new (string Name, byte[] Bytes)[]
        {
            ("the AES key text (UTF-8)", Encoding.UTF8.GetBytes(AesKeyText)),
            ("the AES key text (UTF-16, as in a compiled assembly)", Encoding.Unicode.GetBytes(AesKeyText)),
            ("the MAC key's base64 (UTF-8)", Encoding.UTF8.GetBytes(MacKeyBase64)),
            ("the MAC key's base64 (UTF-16)", Encoding.Unicode.GetBytes(MacKeyBase64)),
            ("the MAC key's bytes", Convert.FromBase64String(MacKeyBase64)),
            ("the lab database password (UTF-8)", Encoding.UTF8.GetBytes(LabPassword)),
            ("the lab database password (UTF-16)", Encoding.Unicode.GetBytes(LabPassword)),
        };
        var files = Directory.GetFiles(project, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("ClinicWeb.dll", StringComparison.Ordinal));
        var found = new List<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            found.AddRange(secrets.Where(s => Contains(bytes, s.Bytes)).Select(s => $"{Path.GetRelativePath(project, file)}: {s.Name}"));
        }

        Assert.True(found.Count == 0, "Secrets left in the project after the fix:" + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static Dictionary<string, string> ReadSources(string project) =>
        Directory.GetFiles(project, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(project, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToDictionary(f => Path.GetRelativePath(project, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

    /// <summary>Writes each file the fix changed, as it is after the fix, to the test output.</summary>
    private void WriteChanges(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        foreach (var (path, text) in after.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(path, out var old) || old != text)
            {
                _output.WriteLine($"--- {path} after hipaa-scan --fix ---{Environment.NewLine}{text}");
            }
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        Assert.True(Directory.Exists(source), $"{source} is missing: the test project copies ClinicWeb/ to its output.");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the fixture removes its whole folder at the end of the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
