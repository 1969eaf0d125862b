using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.AuditCrashWriter;

/// <summary>
/// Writes audit events to a <see cref="FileAuditSink"/> from concurrent producers and prints <c>ack &lt;seq&gt;
/// &lt;resource&gt;</c> on standard output as soon as each write completes, until it is killed (or until
/// <c>maxEvents</c> are written, then it closes the sink and exits).
/// </summary>
/// <remarks>Arguments: <c>&lt;log path&gt; &lt;signing key PEM path&gt; &lt;producers&gt; [maxEvents] [run id]</c>.</remarks>
public static class Program
{
    /// <summary>Runs the writer.</summary>
    /// <param name="args">See the remarks.</param>
    /// <returns>0 after a clean finish, 2 on bad arguments.</returns>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int producers))
        {
            Console.Error.WriteLine("usage: <log path> <signing key PEM path> <producers> [maxEvents] [run id]");
            return 2;
        }

        long maxEvents = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : long.MaxValue;
        string run = args.Length > 4 ? args[4] : "run";
        using AuditSigningKey key = AuditSigningKey.FromPemFile(args[1]);
        await using var sink = new FileAuditSink(new FileAuditSinkOptions
        {
            Path = args[0],
            SigningKey = key,
            CheckpointEveryRecords = 100,
            CheckpointInterval = TimeSpan.FromMilliseconds(200),
        });

        Console.Out.WriteLine("ready " + sink.LastDurableSeq.ToString(CultureInfo.InvariantCulture));
        long issued = 0;
        var output = Console.Out;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(producer => Task.Run(async () =>
        {
            for (long i = 0; ; i++)
            {
                if (Interlocked.Increment(ref issued) > maxEvents)
                {
                    return;
                }

                string resource = string.Create(CultureInfo.InvariantCulture, $"/api/patients/{run}-{producer}-{i}");
                long seq = await sink.AppendAsync(new AuditEvent
                {
                    Timestamp = DateTimeOffset.UtcNow,
                    User = "crash-writer-" + producer.ToString(CultureInfo.InvariantCulture),
                    Action = AuditAction.Viewed,
                    Resource = resource,
                    Context = new AuditContext("10.0.0.1", "device-" + producer.ToString(CultureInfo.InvariantCulture)),
                }).ConfigureAwait(false);

                // One write call per line: a line is either whole on the pipe or not there.
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {seq} {resource}"));
            }
        }))).ConfigureAwait(false);

        return 0;
    }
}
