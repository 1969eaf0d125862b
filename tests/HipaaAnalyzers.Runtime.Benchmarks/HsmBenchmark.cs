using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Pkcs11;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// The PKCS#11 master key on SoftHSM2 (set up in a temporary token folder, as the tests do): start-up cost of opening a
/// key ring of 100 data keys through the HSM (library load, login, key lookup, 100 unwraps), wrap and unwrap rates, and
/// field encryption with a ring unwrapped by the HSM against one unwrapped by a local master key (the data keys are
/// unwrapped once, so it must not differ).
/// </summary>
internal static class HsmBenchmark
{
    /// <summary>The budget: opening a 100-key ring through the HSM, login included, adds at most this much to start-up.</summary>
    public const double StartupBudgetMs = 100;

    public static int Run()
    {
        string library = Environment.GetEnvironmentVariable("HIPAA_TEST_SOFTHSM_LIBRARY") is { Length: > 0 } configured ? configured : "/usr/lib/softhsm/libsofthsm2.so";
        if (!File.Exists(library))
        {
            Console.Error.WriteLine("SoftHSM2 is not installed (" + library + "): apt-get install softhsm2.");
            return 1;
        }

        string directory = Directory.CreateTempSubdirectory("hipaa-hsm-benchmark-").FullName;
        try
        {
            string tokens = Path.Combine(directory, "tokens");
            Directory.CreateDirectory(tokens);
            string conf = Path.Combine(directory, "softhsm2.conf");
            File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n");
            setenv("SOFTHSM2_CONF", conf, 1);
            string pin = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            InitToken(conf, "hipaa-bench", pin);
            var options = new Pkcs11MasterKeyOptions { LibraryPath = library, TokenLabel = "hipaa-bench", Pin = pin, MaxSessions = 8 };
            Pkcs11MasterKey.GenerateKey(options);

            string ringPath = Path.Combine(directory, "keyring.json");
            DateTimeOffset created = DateTimeOffset.UtcNow;
            KeyRing ring = new(Enumerable.Range(0, 100).Select(i => new KeyRingEntry(
                DataKey.Generate("enc-" + i.ToString(CultureInfo.InvariantCulture), KeyPurpose.Encryption, created),
                i == 0 ? DataKeyStatus.Active : DataKeyStatus.Retired)));
            using (var master = new Pkcs11MasterKey(options))
            {
                KeyRingFile.Save(ringPath, ring, master);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PKCS#11 master key on SoftHSM2 ({library}), {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}"));
            Console.WriteLine();
            Console.WriteLine("Start-up: open the token (library, C_Initialize, login, key lookup) and load a key ring of 100 data keys");
            double[] cold = new double[7];
            double[] open = new double[7];
            for (int run = 0; run < cold.Length; run++)
            {
                var clock = Stopwatch.StartNew();
                using var master = new Pkcs11MasterKey(options);
                open[run] = clock.Elapsed.TotalMilliseconds;
                KeyRing loaded = KeyRingFile.Load(ringPath, master);
                cold[run] = clock.Elapsed.TotalMilliseconds;
                loaded.DisposeKeys();
            }

            // Each run opens the library anew (the last master key of a library finalizes it), so every run pays the full start-up.
            double median = cold.Order().ElementAt(cold.Length / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  open token:             median {open.Order().ElementAt(open.Length / 2),8:N1} ms   (runs: {string.Join(", ", open.Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  open + 100 unwraps:     median {median,8:N1} ms   (runs: {string.Join(", ", cold.Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  budget <= {StartupBudgetMs:N0} ms: {(median <= StartupBudgetMs ? "met" : "NOT met")}"));

            using (var master = new Pkcs11MasterKey(options))
            {
                Console.WriteLine();
                Console.WriteLine("Wrap and unwrap of a 32-byte data key (AES-256-GCM inside the token), 3 s each:");
                Console.WriteLine("  callers   wrap/s     unwrap/s");
                foreach (int callers in new[] { 1, 8, 32 })
                {
                    (double wraps, double unwraps) = Rates(master, callers, TimeSpan.FromSeconds(3));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {callers,7} {wraps,8:N0} {unwraps,12:N0}"));
                }

                Console.WriteLine();
                Console.WriteLine("Field encryption (1 KB) after start-up, ring unwrapped by the HSM vs by a local master key, 2 s each:");
                KeyRing viaHsm = KeyRingFile.Load(ringPath, master);
                using LocalMasterKey local = LocalMasterKey.Generate();
                string localPath = Path.Combine(directory, "keyring-local.json");
                KeyRingFile.Save(localPath, ring, local);
                KeyRing viaLocal = KeyRingFile.Load(localPath, local);
                double hsmRate = EncryptRate(new FieldEncryptor(viaHsm));
                double localRate = EncryptRate(new FieldEncryptor(viaLocal));
                double hsmRate2 = EncryptRate(new FieldEncryptor(viaHsm));
                double localRate2 = EncryptRate(new FieldEncryptor(viaLocal));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  HSM-unwrapped ring:   {hsmRate,10:N0} / {hsmRate2,10:N0} encryptions/s"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  locally unwrapped:    {localRate,10:N0} / {localRate2,10:N0} encryptions/s"));
                viaHsm.DisposeKeys();
                viaLocal.DisposeKeys();
            }

            ring.DisposeKeys();
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (double Wraps, double Unwraps) Rates(Pkcs11MasterKey master, int callers, TimeSpan duration)
    {
        byte[] context = "HipaaAnalyzers benchmark entry"u8.ToArray();
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        byte[] wrapped = master.WrapKey(dataKey, context);
        long wraps = 0;
        long unwraps = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, _ =>
        {
            long mine = 0;
            while (clock.Elapsed < duration)
            {
                master.WrapKey(dataKey, context);
                mine++;
            }

            System.Threading.Interlocked.Add(ref wraps, mine);
        });
        double wrapSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, _ =>
        {
            var destination = new byte[DataKey.MaximumKeySizeInBytes];
            long mine = 0;
            while (clock.Elapsed < duration)
            {
                master.UnwrapKey(wrapped, context, destination);
                mine++;
            }

            System.Threading.Interlocked.Add(ref unwraps, mine);
        });
        return (wraps / wrapSeconds, unwraps / clock.Elapsed.TotalSeconds);
    }

    private static double EncryptRate(FieldEncryptor encryptor)
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(1024);
        EncryptionContext context = EncryptionContext.ForField("Patients", "Notes", "1");
        var destination = new byte[encryptor.GetCiphertextLength(plaintext.Length)];
        for (int i = 0; i < 10_000; i++)
        {
            encryptor.Encrypt(plaintext, context, destination);
        }

        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            for (int i = 0; i < 1000; i++)
            {
                encryptor.Encrypt(plaintext, context, destination);
            }

            count += 1000;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static void InitToken(string conf, string label, string pin)
    {
        var start = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-" + pin })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = conf;
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("softhsm2-util --init-token failed: " + output);
        }
    }

    [DllImport("libc")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
