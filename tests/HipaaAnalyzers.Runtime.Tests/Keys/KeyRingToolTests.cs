using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>
/// Runs the key ring tool of the docs (docs/runtime/tools/keyring.cs, a file-based app) as a process: built once with
/// <c>dotnet build keyring.cs --artifacts-path</c> into a temporary folder (about 20 s; nothing is written into the
/// repository and no package is downloaded beyond what the solution restore fetched), then run once per command.
/// </summary>
public sealed class KeyRingToolTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-keyring-tool-").FullName;
    private readonly byte[] _master = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Tool_creates_folders_provisions_application_keys_and_reports_errors_in_one_line()
    {
        string tool = await BuildToolAsync();
        string file = Path.Combine(_directory, "run", "secrets", "hipaa-keyring.json");
        byte[] imported = RandomNumberGenerator.GetBytes(32);
        var environment = new Dictionary<string, string?>
        {
            ["HIPAA_MASTER_KEY"] = Convert.ToBase64String(_master),
            ["IMPORTED_KEY"] = Convert.ToBase64String(imported),
        };

        // The folder of the file does not exist: it is created (owner only), then the file.
        Succeeds(await RunAsync(tool, environment, file, "init", "enc-2025q3"));
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }

        ToolResult added = await RunAsync(tool, environment, file, "add-application", "aes-key");
        Succeeds(added);
        Assert.StartsWith("Added application key 'aes-key' (random, check value ", added.Output, StringComparison.Ordinal);
        Succeeds(await RunAsync(tool, environment, file, "add-application", "jwt-signing-key", "--bytes", "64"));
        Succeeds(await RunAsync(tool, environment, file, "add-application", "export-key", "--from-env", "IMPORTED_KEY"));
        Succeeds(await RunAsync(tool, environment, file, "stage", "encryption", "enc-2025q4"));
        Succeeds(await RunAsync(tool, environment, file, "activate", "enc-2025q4"));

        ToolResult list = await RunAsync(tool, environment, file, "list");
        Succeeds(list);
        string[] rows = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^aes-key +application +active ", rows.Single(r => r.StartsWith("aes-key ", StringComparison.Ordinal)));
        Assert.Matches(@"^enc-2025q3 +encryption +retired ", rows.Single(r => r.StartsWith("enc-2025q3 ", StringComparison.Ordinal)));
        Assert.DoesNotContain(Convert.ToBase64String(imported), list.Output, StringComparison.Ordinal);

        // What the application does: FileKeyRingProvider (behind HipaaKeys.UseKeyRing or UseFileKeyRing) reads them by name.
        using (var master = new LocalMasterKey(_master))
        using (var provider = new FileKeyRingProvider(file, master))
        {
            KeyRing ring = provider.GetKeyRing();
            Assert.Equal(32, ring.ExportApplicationKey("aes-key").Length);
            Assert.Equal(64, ring.ExportApplicationKey("jwt-signing-key").Length);
            Assert.Equal(imported, ring.ExportApplicationKey("export-key"));
            Assert.Equal(new[] { "aes-key", "export-key", "jwt-signing-key" }, ring.GetKeys(KeyPurpose.Application).Select(k => k.KeyId).Order(StringComparer.Ordinal));
            Assert.Equal("enc-2025q4", ring.GetActiveKey(KeyPurpose.Encryption)!.KeyId);
        }

        // Errors: one line on standard error, exit code 1 (2 for wrong arguments), no stack trace.
        Fails(await RunAsync(tool, environment, file, "add-application", "aes-key"), 1,
            "error: the key ring holds an application key named 'aes-key' already (check ");
        Fails(await RunAsync(tool, environment, file, "stage", "application", "hmac-key"), 1,
            $"error: application keys are not staged; each is its own key and in use at once: keyring.cs {file} add-application hmac-key");
        Fails(await RunAsync(tool, environment, file, "add-application", "short-key", "--bytes", "16"), 2,
            "usage: keyring.cs <key ring file> add-application <name> [--bytes <32 to 64>] [--from-env <variable>] [--replace]");
        Fails(await RunAsync(tool, environment, file, "init"), 1, $"error: '{file}' exists already;");
        Fails(await RunAsync(tool, environment, Path.Combine(_directory, "missing", "k.json"), "list"), 1,
            $"error: The key ring file '{Path.Combine(_directory, "missing", "k.json")}' does not exist.");
        Fails(await RunAsync(tool, new Dictionary<string, string?> { ["HIPAA_MASTER_KEY"] = null }, file, "list"), 1,
            "error: The environment variable HIPAA_MASTER_KEY is not set.");
        Fails(await RunAsync(tool, new Dictionary<string, string?> { ["HIPAA_MASTER_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, file, "list"), 1,
            "error: ");
    }

    private static void Succeeds(ToolResult result) => Assert.True(result.ExitCode == 0, result.Describe());

    private static void Fails(ToolResult result, int exitCode, string errorStart)
    {
        Assert.True(result.ExitCode == exitCode, result.Describe());
        string error = result.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith(errorStart, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private async Task<string> BuildToolAsync()
    {
        string source = Path.Combine(RepositoryRoot(), "docs", "runtime", "tools", "keyring.cs");
        string artifacts = Path.Combine(_directory, "artifacts");
        ToolResult build = await RunDotnetAsync(
            new[] { "build", source, "--artifacts-path", artifacts, "--disable-build-servers", "-p:UseSharedCompilation=false" },
            new Dictionary<string, string?>(),
            BuildTimeout);
        Assert.True(build.ExitCode == 0, build.Describe());
        string tool = Path.Combine(artifacts, "bin", "debug", "keyring.dll");
        Assert.True(File.Exists(tool), "the build did not produce " + tool + Environment.NewLine + build.Describe());
        return tool;
    }

    private static Task<ToolResult> RunAsync(string tool, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
        => RunDotnetAsync(new[] { tool }.Concat(arguments), environment, RunTimeout);

    private static async Task<ToolResult> RunDotnetAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host may run under MSBuild; its paths must not leak into the child.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("HIPAA_MASTER_KEY_VARIABLE");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolResult(string.Join(' ', start.ArgumentList), process.ExitCode, await output, await error);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HipaaAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (HipaaAnalyzers.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private sealed record ToolResult(string CommandLine, int ExitCode, string Output, string Error)
    {
        public string Describe() => $"> dotnet {CommandLine}\nexit code {ExitCode}\n{Output}\n{Error}";
    }
}
