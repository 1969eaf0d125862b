using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

/// <summary>A temporary directory with audit logs in it, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        DirectoryPath = Path.Combine(Path.GetTempPath(), "hipaa-audit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DirectoryPath);
    }

    public string DirectoryPath { get; }

    public string File(string name) => Path.Combine(DirectoryPath, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class AuditSamples
{
    public static readonly DateTimeOffset Time = new(2026, 11, 24, 10, 15, 30, 123, TimeSpan.Zero);

    public static AuditEvent Event(int i) => new()
    {
        Timestamp = Time.AddMilliseconds(i),
        User = "user-" + (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Action = (AuditAction)(i % 5),
        Resource = "/api/patients/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Context = new AuditContext("10.0.0." + (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture), i % 3 == 0 ? null : "device-7", i % 2 == 0 ? "ward 3" : null),
        Outcome = (AuditOutcome)(i % 3),
        Reason = i % 3 == 0 ? null : "policy 'clinician' requires the ward",
    };

    /// <summary>A chain of <paramref name="events"/> events with a checkpoint after every <paramref name="every"/> events and a final one.</summary>
    public static List<AuditRecord> Chain(AuditSigningKey key, int events, int every)
    {
        var writer = new AuditChainWriter();
        var records = new List<AuditRecord>();
        for (int i = 1; i <= events; i++)
        {
            records.Add(writer.AppendEvent(Event(i)));
            if (i % every == 0 || i == events)
            {
                records.Add(writer.AppendCheckpoint(key, Time.AddMinutes(i)));
            }
        }

        return records;
    }

    public static byte[] ToFileBytes(IEnumerable<AuditRecord> records) =>
        Encoding.UTF8.GetBytes(string.Concat(records.Select(r => r.Line + "\n")));

    public static List<string> Lines(IEnumerable<AuditRecord> records) => records.Select(r => r.Line).ToList();

    public static AuditVerificationResult Verify(byte[] content, AuditSigningKey key, IEnumerable<AuditRecord>? trusted = null) =>
        AuditChainVerifier.Verify(new MemoryStream(content), new AuditVerificationOptions
        {
            VerificationKeys = new[] { key.PublicKey },
            TrustedCheckpoints = trusted ?? Array.Empty<AuditRecord>(),
        });

    public static AuditVerificationResult VerifyLines(IEnumerable<string> lines, AuditSigningKey key) =>
        AuditChainVerifier.Verify(lines, new AuditVerificationOptions { VerificationKeys = new[] { key.PublicKey } });
}
