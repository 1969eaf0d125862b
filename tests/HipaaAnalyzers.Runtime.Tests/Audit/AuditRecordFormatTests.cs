using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime.Audit;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

public sealed class AuditRecordFormatTests : IDisposable
{
    private readonly AuditSigningKey _key = AuditSigningKey.Generate("audit-test-1");

    public void Dispose() => _key.Dispose();

    [Fact]
    public void FirstEvent_IsWrittenByteForByteAsDocumented()
    {
        var writer = new AuditChainWriter();
        AuditRecord record = writer.AppendEvent(new AuditEvent
        {
            Timestamp = new DateTimeOffset(2026, 11, 24, 11, 15, 30, 123, TimeSpan.FromHours(1)).AddTicks(4567),
            User = "dr.smith",
            Action = AuditAction.Viewed,
            Resource = "/api/patients/123",
            Context = new AuditContext("10.0.0.5", "tablet-7", "ward 3"),
        });

        const string Body = "{\"seq\":1,\"timestamp\":\"2026-11-24T10:15:30.123Z\",\"user\":\"dr.smith\",\"action\":\"viewed\",\"resource\":\"/api/patients/123\","
            + "\"context\":{\"ip\":\"10.0.0.5\",\"device_id\":\"tablet-7\",\"location\":\"ward 3\"},\"outcome\":\"success\","
            + "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\"}";
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Body))).ToLowerInvariant();
        Assert.Equal(Body.Substring(0, Body.Length - 1) + ",\"hash\":\"" + hash + "\"}", record.Line);
        Assert.Equal(hash, record.Hash);
        Assert.Equal(AuditChain.GenesisHash, record.Prev);
        Assert.Equal(1, record.Seq);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 15, 30, 123, TimeSpan.Zero), record.Event!.Timestamp);
        Assert.Equal(TimeSpan.Zero, record.Event.Timestamp.Offset);
    }

    [Fact]
    public void NullMembersAreLeftOut_ReasonWhenSet_StringsEscapedMinimally()
    {
        var writer = new AuditChainWriter();
        AuditRecord record = writer.AppendEvent(new AuditEvent
        {
            Timestamp = AuditSamples.Time,
            User = "o'neil \"ops\" \\ é ✓ 😀",
            Action = AuditAction.Exported,
            Resource = "line\nbreak\ttab\u0001\u001f/\u007f",
            Outcome = AuditOutcome.Denied,
            Reason = "",
        });

        Assert.Contains("\"user\":\"o'neil \\\"ops\\\" \\\\ é ✓ 😀\"", record.Line);
        Assert.Contains("\"resource\":\"line\\nbreak\\ttab\\u0001\\u001f/\u007f\"", record.Line);
        Assert.Contains("\"context\":{},\"outcome\":\"denied\",\"reason\":\"\",\"prev\":", record.Line);
        Assert.Contains("\"action\":\"exported\"", record.Line);

        AuditRecord partial = writer.AppendEvent(AuditSamples.Event(3) with { Context = new AuditContext(DeviceId: "d") });
        Assert.Contains("\"context\":{\"device_id\":\"d\"}", partial.Line);
        Assert.DoesNotContain("\"reason\"", partial.Line);
        Assert.Equal(record.Hash, partial.Prev);
        Assert.Equal(2, partial.Seq);
    }

    [Fact]
    public void Records_RoundTripThroughTryParse()
    {
        foreach (AuditRecord record in AuditSamples.Chain(_key, 40, 10))
        {
            Assert.True(AuditRecord.TryParse(record.Line, out AuditRecord? parsed, out string? error), error);
            Assert.Equal(record.Seq, parsed.Seq);
            Assert.Equal(record.Hash, parsed.Hash);
            Assert.Equal(record.Prev, parsed.Prev);
            Assert.Equal(record.Kind, parsed.Kind);
            Assert.Equal(record.Event, parsed.Event);
            Assert.True(record.Utf8Line.Span.SequenceEqual(parsed.Utf8Line.Span));
            if (parsed.Checkpoint is { } checkpoint)
            {
                Assert.True(checkpoint.VerifySignature(_key.PublicKey));
                Assert.Equal(record.Seq - 1, checkpoint.LastSeq);
                Assert.Equal(record.Prev, checkpoint.LastHash);
            }
        }
    }

    [Fact]
    public void Checkpoint_LineAndSignedBytes_AreAsDocumented()
    {
        var writer = new AuditChainWriter();
        AuditRecord first = writer.AppendEvent(AuditSamples.Event(1));
        AuditRecord checkpoint = writer.AppendCheckpoint(_key, new DateTimeOffset(2026, 11, 24, 10, 16, 0, 5, TimeSpan.Zero));

        Assert.StartsWith("{\"seq\":2,\"type\":\"checkpoint\",\"timestamp\":\"2026-11-24T10:16:00.005Z\",\"last_seq\":1,\"key_id\":\"audit-test-1\",\"signature\":\"", checkpoint.Line);
        Assert.Contains("\",\"prev\":\"" + first.Hash + "\",\"hash\":\"" + checkpoint.Hash + "\"}", checkpoint.Line);
        byte[] signed = AuditCheckpoint.GetSignedBytes(1, first.Hash, checkpoint.Checkpoint!.Timestamp, "audit-test-1");
        Assert.Equal("hipaa-audit-checkpoint/v1\n1\n" + first.Hash + "\n2026-11-24T10:16:00.005Z\naudit-test-1", Encoding.UTF8.GetString(signed));

        // Any verifier with the public key and ECDSA P-256 / SHA-256 can check it.
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(_key.ExportPublicKeyPem());
        Assert.True(ecdsa.VerifyData(signed, checkpoint.Checkpoint.Signature.Span, HashAlgorithmName.SHA256));
        Assert.Equal(64, checkpoint.Checkpoint.Signature.Length);
    }

    [Fact]
    public void Checkpoint_OnAnEmptyChain_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new AuditChainWriter().AppendCheckpoint(_key, AuditSamples.Time));

    [Theory]
    [InlineData("{\"seq\":1}", "event record must have")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("", "not valid JSON")]
    public void TryParse_RejectsNonRecords(string line, string expected)
    {
        Assert.False(AuditRecord.TryParse(line, out AuditRecord? record, out string? error));
        Assert.Null(record);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryParse_RejectsNonCanonicalSpellingsOfTheSameRecord()
    {
        string line = new AuditChainWriter().AppendEvent(AuditSamples.Event(1)).Line;
        string[] variants =
        {
            line.Replace("\"seq\":1,", "\"seq\": 1,", StringComparison.Ordinal),
            line.Replace("\"seq\":1,", "\"seq\":1.0,", StringComparison.Ordinal),
            line.Replace("\"user\":\"user-1\"", "\"user\":\"\\u0075ser-1\"", StringComparison.Ordinal),
            line.Replace(".124Z", ".1240Z", StringComparison.Ordinal),
            "{" + line.Substring(9).Replace(",\"prev\":", ",\"seq\":1,\"prev\":", StringComparison.Ordinal),
            line + " ",
        };
        foreach (string variant in variants)
        {
            Assert.NotEqual(line, variant);
            Assert.False(AuditRecord.TryParse(variant, out _, out _), variant);
        }
    }

    [Fact]
    public void TryParse_ReportsAHashThatDoesNotMatch()
    {
        string line = new AuditChainWriter().AppendEvent(AuditSamples.Event(1)).Line;
        string edited = line.Replace("/api/patients/1\"", "/api/patients/2\"", StringComparison.Ordinal);
        Assert.False(AuditRecord.TryParse(edited, out _, out string? error));
        Assert.Contains("'hash'", error);
    }

    [Fact]
    public void InvalidEvents_AreRejectedWithoutTheirValues()
    {
        var writer = new AuditChainWriter();
        AuditEvent good = AuditSamples.Event(1);
        string secret = "PATIENT-SSN-123-45-6789";
        var bad = new[]
        {
            good with { User = null! },
            good with { Resource = null! },
            good with { Action = (AuditAction)42 },
            good with { Outcome = (AuditOutcome)42 },
            good with { Resource = secret + "\ud800" },
            good with { Reason = secret + new string('x', AuditChain.MaximumLineLength) },
            good with { Context = new AuditContext(Location: secret + "\udc00") },
        };
        foreach (AuditEvent auditEvent in bad)
        {
            var exception = Assert.Throws<ArgumentException>(() => writer.AppendEvent(auditEvent));
            Assert.DoesNotContain("123-45", exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, writer.LastSeq);
        Assert.Equal(AuditChain.GenesisHash, writer.LastHash);
        Assert.Equal(1, writer.AppendEvent(good).Seq);
    }

    [Fact]
    public void NullContext_IsWrittenAsEmpty()
    {
        AuditRecord record = new AuditChainWriter().AppendEvent(AuditSamples.Event(1) with { Context = null! });
        Assert.Contains("\"context\":{}", record.Line);
        Assert.Equal(AuditContext.Empty, record.Event!.Context);
    }

    [Fact]
    public void Writer_ResumesAfterAStoredRecord()
    {
        var first = new AuditChainWriter();
        first.AppendEvent(AuditSamples.Event(1));
        AuditRecord second = first.AppendEvent(AuditSamples.Event(2));

        var resumed = AuditChainWriter.After(second);
        AuditRecord third = resumed.AppendEvent(AuditSamples.Event(3));
        Assert.Equal(3, third.Seq);
        Assert.Equal(second.Hash, third.Prev);
        Assert.Throws<ArgumentException>(() => new AuditChainWriter(1, "ABC"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditChainWriter(-1, AuditChain.GenesisHash));
    }

    [Fact]
    public void RecordToString_ShowsNoEventContent()
    {
        AuditRecord record = new AuditChainWriter().AppendEvent(AuditSamples.Event(1));
        Assert.DoesNotContain("patients", record.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("user-1", record.ToString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Empty<string>(), typeof(AuditEvent).GetProperties().Select(p => p.Name).Where(n => n.Contains("Payload", StringComparison.Ordinal) || n.Contains("Data", StringComparison.Ordinal) || n.Contains("Body", StringComparison.Ordinal)));
    }
}
