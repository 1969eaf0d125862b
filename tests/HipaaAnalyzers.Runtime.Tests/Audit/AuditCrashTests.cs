using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

/// <summary>
/// Kills a separate writer process (tests/HipaaAnalyzers.AuditCrashWriter) with SIGKILL while 16 producers write, then
/// proves that every event it acknowledged is in the log and that the log verifies (a torn last line, if the kill cut a
/// write, is reported as <see cref="AuditVerificationFailureKind.Torn"/> with everything before it valid). Each round
/// reopens the same log, so recovery after a crash is exercised too.
/// </summary>
public sealed class AuditCrashTests : IDisposable
{
    private const int Rounds = 4;
    private const int Producers = 16;

    private readonly TempDirectory _directory = new();
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _ecdsa.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task KilledWriter_LosesNoAcknowledgedEvent_AndTheLogVerifies()
    {
        string log = _directory.File("audit.jsonl");
        string keyPath = _directory.File("audit-signing-key.pem");
        await File.WriteAllTextAsync(keyPath, _ecdsa.ExportPkcs8PrivateKeyPem());
        using AuditVerificationKey publicKey = AuditVerificationKey.FromPem(_ecdsa.ExportSubjectPublicKeyInfoPem());
        var options = new AuditVerificationOptions { VerificationKeys = new[] { publicKey } };

        var acknowledged = new Dictionary<long, string>();
        var random = new Random(20261124);
        bool lastRoundTorn = false;
        for (int round = 0; round < Rounds; round++)
        {
            int killAfter = random.Next(200, 2500);
            (List<string> output, string errors) = await RunAndKillAsync(log, keyPath, round, killAfter, random.Next(0, 15));
            int acks = 0;
            foreach (string line in output)
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 3 && parts[0] == "ack")
                {
                    long seq = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    Assert.True(acknowledged.TryAdd(seq, parts[2]), "seq " + seq + " acknowledged twice");
                    acks++;
                }
            }

            Assert.True(acks >= killAfter, CryptoHelpers.FormatInvariant($"round {round}: {acks} acknowledgements before the kill; stderr: {errors}"));

            AuditVerificationResult result = AuditChainVerifier.VerifyFile(log, options);
            lastRoundTorn = !result.IsValid;
            if (!result.IsValid)
            {
                Assert.Equal(AuditVerificationFailureKind.Torn, result.Failure!.Kind);
                Assert.Equal(result.LastSeq + 1, result.Failure.Seq);
            }

            Dictionary<long, string> written = ReadEvents(log, result.LastSeq);
            foreach ((long seq, string resource) in acknowledged)
            {
                Assert.True(written.TryGetValue(seq, out string? stored), CryptoHelpers.FormatInvariant($"round {round}: acknowledged seq {seq} is not in the log (it verifies up to {result.LastSeq})"));
                Assert.Equal(resource, stored);
            }
        }

        // A clean open after the last crash repairs the tail, signs it, and leaves a log that verifies as a whole.
        using (AuditSigningKey signingKey = AuditSigningKey.FromPemFile(keyPath))
        {
            await using var sink = new FileAuditSink(new FileAuditSinkOptions { Path = log, SigningKey = signingKey });
            Assert.Equal(lastRoundTorn, sink.Recovery is not null);
        }

        AuditVerificationResult final = AuditChainVerifier.VerifyFile(log, options);
        Assert.True(final.IsValid, final.ToString());
        Assert.Equal(0, final.RecordsAfterLastCheckpoint);
        Assert.True(final.EventCount >= acknowledged.Count);
        Dictionary<long, string> all = ReadEvents(log, final.LastSeq);
        Assert.All(acknowledged, a => Assert.True(all.ContainsKey(a.Key)));
    }

    private static async Task<(List<string> Output, string Errors)> RunAndKillAsync(string log, string keyPath, int round, int killAfter, int extraMilliseconds)
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "HipaaAnalyzers.AuditCrashWriter.dll");
        Assert.True(File.Exists(writer), "the crash writer was not built next to the tests: " + writer);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in new[] { writer, log, keyPath, Producers.ToString(CultureInfo.InvariantCulture), long.MaxValue.ToString(CultureInfo.InvariantCulture), "r" + round.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new List<string>();
        int acks = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.Add(line);
                }

                if (line.StartsWith("ack ", StringComparison.Ordinal) && Interlocked.Increment(ref acks) >= killAfter)
                {
                    enough.TrySetResult();
                }
            }

            enough.TrySetResult();
        });
        Task<string> errors = process.StandardError.ReadToEndAsync();

        await enough.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(extraMilliseconds);
        process.Kill(entireProcessTree: false); // SIGKILL on Linux and macOS: no finally blocks, no flush, no closing checkpoint
        await process.WaitForExitAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, process.ExitCode);
        return (output, await errors);
    }

    private static Dictionary<long, string> ReadEvents(string log, long upToSeq)
    {
        var events = new Dictionary<long, string>();
        foreach (string line in File.ReadLines(log))
        {
            if (!AuditRecord.TryParse(line, out AuditRecord? record, out _) || record.Seq > upToSeq)
            {
                break;
            }

            if (record.Event is { } auditEvent)
            {
                events[record.Seq] = auditEvent.Resource;
            }
        }

        return events;
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/ holds the runtime; the host is at the root.
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
