using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace HipaaAnalyzers.Runtime.Pkcs11.Tests;

/// <summary>
/// A SoftHSM2 set up for the tests: a configuration file and a token folder under a temporary directory, two tokens
/// initialised with softhsm2-util, and version 1 of the master key generated in the first. Missing SoftHSM2 fails the
/// tests (scripts/test.sh installs it); it never skips them.
/// </summary>
public sealed class SoftHsmFixture : IDisposable
{
    public const string TokenLabel = "hipaa-test";
    public const string OtherTokenLabel = "hipaa-other";
    public const string KeyLabel = "hipaa-master-key";

    public SoftHsmFixture()
    {
        LibraryPath = Environment.GetEnvironmentVariable("HIPAA_TEST_SOFTHSM_LIBRARY") is { Length: > 0 } configured
            ? configured
            : "/usr/lib/softhsm/libsofthsm2.so";
        if (!File.Exists(LibraryPath))
        {
            throw new InvalidOperationException($"SoftHSM2 is not installed: {LibraryPath} is missing. Install the Debian package softhsm2 (scripts/test.sh does), or set HIPAA_TEST_SOFTHSM_LIBRARY.");
        }

        Directory = System.IO.Directory.CreateTempSubdirectory("hipaa-softhsm-").FullName;
        string tokens = Path.Combine(Directory, "tokens");
        System.IO.Directory.CreateDirectory(tokens);
        string conf = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");

        // SoftHSM2 reads SOFTHSM2_CONF with getenv when it is initialised: set it in the native environment too.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);
        if (SetEnv("SOFTHSM2_CONF", conf, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed.");
        }

        InitToken(conf, TokenLabel, Pin);
        InitToken(conf, OtherTokenLabel, OtherPin);
        Pkcs11MasterKey.GenerateKey(Options());
    }

    /// <summary>The user PIN of the first token (test value).</summary>
    public string Pin { get; } = "715-pin-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The user PIN of the second token.</summary>
    public string OtherPin { get; } = "other-" + Guid.NewGuid().ToString("N")[..8];

    public string LibraryPath { get; }

    public string Directory { get; }

    public Pkcs11MasterKeyOptions Options(Action<Pkcs11MasterKeyOptions>? configure = null)
    {
        var options = new Pkcs11MasterKeyOptions { LibraryPath = LibraryPath, TokenLabel = TokenLabel, Pin = Pin, KeyLabel = KeyLabel };
        configure?.Invoke(options);
        return options;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void InitToken(string conf, string label, string pin)
    {
        var start = new ProcessStartInfo("softhsm2-util")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-" + pin })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = conf;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("softhsm2-util did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("softhsm2-util is not installed. Install the Debian package softhsm2 (scripts/test.sh does).", exception);
        }

        using (process)
        {
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"softhsm2-util --init-token failed ({process.ExitCode}): {output}");
            }
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM2";
}
