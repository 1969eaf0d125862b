using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

/// <summary>
/// Fuzzing the verifier: it never throws on any bytes, never accepts a modified log, and reports a cut log as torn (or,
/// at a line end, as a valid shorter log that a trusted checkpoint then reports as truncated). Events with any text
/// round-trip through the canonical form.
/// </summary>
public sealed class AuditChainVerifierPropertyTests : IDisposable
{
    private readonly AuditSigningKey _key = AuditSigningKey.Generate("audit-prop");
    private readonly List<AuditRecord> _chain;
    private readonly byte[] _content;

    public AuditChainVerifierPropertyTests()
    {
        _chain = AuditSamples.Chain(_key, 20, 5);
        _content = AuditSamples.ToFileBytes(_chain);
    }

    public void Dispose() => _key.Dispose();

    private static Gen<string> Text()
    {
        Gen<char> chars = Gen.Frequency(
            (6, Gen.Choose(0x20, 0x7E).Select(i => (char)i)),
            (2, Gen.Choose(0, 0x1F).Select(i => (char)i)),
            (1, Gen.Elements('"', '\\', '/', '\u007f', '\u2028')),
            (2, Gen.Choose(0xA0, 0xD7FF).Select(i => (char)i)),
            (1, Gen.Choose(0xE000, 0xFFFD).Select(i => (char)i)));
        return Gen.ArrayOf(chars).Select(c => new string(c));
    }

    [Property(MaxTest = 200)]
    public Property AnyEventText_RoundTrips_AndVerifies()
    {
        Gen<AuditEvent> events =
            from user in Text()
            from resource in Text()
            from ip in Gen.OneOf(Gen.Constant<string?>(null), Text().Select(t => (string?)t))
            from reason in Gen.OneOf(Gen.Constant<string?>(null), Text().Select(t => (string?)t))
            from ticks in Gen.Choose(0, int.MaxValue)
            from action in Gen.Choose(0, 4)
            from outcome in Gen.Choose(0, 2)
            select new AuditEvent
            {
                Timestamp = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(ticks * 997L),
                User = user,
                Resource = resource,
                Action = (AuditAction)action,
                Outcome = (AuditOutcome)outcome,
                Context = new AuditContext(ip, reason, user),
                Reason = reason,
            };

        return Prop.ForAll(Gen.ArrayOf(events).ToArbitrary(), batch =>
        {
            var writer = new AuditChainWriter();
            var lines = new List<string>();
            foreach (AuditEvent auditEvent in batch)
            {
                AuditRecord record = writer.AppendEvent(auditEvent);
                if (!AuditRecord.TryParse(record.Line, out AuditRecord? parsed, out _) || parsed.Event != record.Event ||
                    record.Line.Contains('\n', StringComparison.Ordinal) || parsed.Event!.User != auditEvent.User || parsed.Event.Resource != auditEvent.Resource)
                {
                    return false;
                }

                lines.Add(record.Line);
            }

            return AuditChainVerifier.Verify(lines).IsValid && AuditChainVerifier.Verify(lines).RecordCount == batch.Length;
        });
    }

    [Property(MaxTest = 300)]
    public Property RandomBytes_NeverThrow_AndAreNeverValid()
    {
        Gen<byte[]> garbage = Gen.Frequency(
            (3, Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i))),
            (2, Gen.ArrayOf(Gen.Elements("{}\"\\:,\n0123456789abcdef seqprevhash[]-.Z"u8.ToArray()))),
            (1, Gen.Choose(0, 255).SelectMany(n => Gen.ArrayOf(Gen.Elements((byte)'{', (byte)'[', (byte)'"', (byte)'\n'), n))));
        return Prop.ForAll(garbage.ToArbitrary(), bytes =>
        {
            AuditVerificationResult result = Verify(bytes);
            return bytes.Length == 0 ? result.IsValid : !result.IsValid;
        });
    }

    [Property(MaxTest = 500)]
    public Property AnyBitFlipOrByteChange_IsNeverAccepted()
    {
        Gen<(int Position, int Bit, byte Value, bool Replace)> changes =
            from position in Gen.Choose(0, int.MaxValue)
            from bit in Gen.Choose(0, 7)
            from value in Gen.Choose(0, 255)
            from replace in Gen.Elements(true, false)
            select (position, bit, (byte)value, replace);
        return Prop.ForAll(changes.ToArbitrary(), c =>
        {
            byte[] bytes = (byte[])_content.Clone();
            int at = c.Position % bytes.Length;
            byte before = bytes[at];
            bytes[at] = c.Replace ? c.Value : (byte)(bytes[at] ^ (1 << c.Bit));
            AuditVerificationResult result = Verify(bytes);
            return bytes[at] == before ? result.IsValid : !result.IsValid && result.Failure!.Seq <= SeqOfByte(at) + 1;
        });
    }

    [Property(MaxTest = 300)]
    public Property AnyTruncation_IsTornOrAValidPrefix_AndTruncatedAgainstTheLastCheckpoint()
    {
        return Prop.ForAll(Gen.Choose(0, _content.Length - 1).ToArbitrary(), cut =>
        {
            byte[] bytes = _content.AsSpan(0, cut).ToArray();
            AuditVerificationResult alone = Verify(bytes);
            AuditVerificationResult anchored = Verify(bytes, _chain[^1]);
            int completeLines = bytes.Count(b => b == (byte)'\n');
            bool atLineEnd = cut == 0 || _content[cut - 1] == (byte)'\n';
            bool aloneOk = atLineEnd
                ? alone.IsValid && alone.RecordCount == completeLines
                : alone.Failure?.Kind == AuditVerificationFailureKind.Torn && alone.RecordCount == completeLines && alone.Failure.Seq == completeLines + 1;
            bool anchoredOk = anchored.Failure?.Kind == (atLineEnd ? AuditVerificationFailureKind.Truncated : AuditVerificationFailureKind.Torn);
            return aloneOk && anchoredOk;
        });
    }

    [Property(MaxTest = 300)]
    public Property LineDeletionsSwapsAndDuplicates_AreNeverAccepted()
    {
        int count = _chain.Count;
        Gen<(int Kind, int A, int B)> edits =
            from kind in Gen.Choose(0, 2)
            from a in Gen.Choose(0, count - 1)
            from b in Gen.Choose(0, count - 1)
            select (kind, a, b);
        return Prop.ForAll(edits.ToArbitrary(), e =>
        {
            List<string> lines = AuditSamples.Lines(_chain);
            AuditVerificationFailureKind[] expected;
            switch (e.Kind)
            {
                case 0:
                    lines.RemoveAt(e.A);
                    expected = e.A == count - 1 ? new[] { AuditVerificationFailureKind.Truncated } : new[] { AuditVerificationFailureKind.Deleted };
                    break;
                case 1:
                    if (e.A == e.B)
                    {
                        return true;
                    }

                    (lines[e.A], lines[e.B]) = (lines[e.B], lines[e.A]);
                    expected = new[] { AuditVerificationFailureKind.Reordered };
                    break;
                default:
                    lines.Insert(e.B, lines[e.A]);
                    expected = new[] { AuditVerificationFailureKind.Reordered };
                    break;
            }

            AuditVerificationResult result = AuditChainVerifier.Verify(lines, new AuditVerificationOptions
            {
                VerificationKeys = new[] { _key.PublicKey },
                TrustedCheckpoints = new[] { _chain[^1] },
            });
            return result.Failure is { } failure && expected.Contains(failure.Kind);
        });
    }

    private long SeqOfByte(int position) => _content.AsSpan(0, position).Count((byte)'\n') + 1;

    private AuditVerificationResult Verify(byte[] bytes, AuditRecord? trusted = null) =>
        AuditChainVerifier.Verify(new MemoryStream(bytes), new AuditVerificationOptions
        {
            VerificationKeys = new[] { _key.PublicKey },
            TrustedCheckpoints = trusted is null ? Array.Empty<AuditRecord>() : new[] { trusted },
        });
}
