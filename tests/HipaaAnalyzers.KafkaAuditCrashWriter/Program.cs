using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.Kafka;

namespace HipaaAnalyzers.KafkaAuditCrashWriter;

/// <summary>
/// <c>&lt;bootstrap servers&gt; &lt;topic&gt; &lt;partition&gt; &lt;signing key PEM file&gt; &lt;key id&gt;</c>: eight producers write
/// events named <c>/crash/&lt;producer&gt;/&lt;n&gt;</c> and print <c>ack &lt;resource&gt;</c> for each acknowledged one, until the
/// process is killed.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 5)
        {
            Console.Error.WriteLine("usage: <bootstrap servers> <topic> <partition> <signing key PEM file> <key id>");
            return 2;
        }

        using AuditSigningKey key = AuditSigningKey.FromPemFile(args[3], args[4]);
        await using var sink = new KafkaAuditSink(new KafkaAuditSinkOptions
        {
            BootstrapServers = args[0],
            Topic = args[1],
            Partition = int.Parse(args[2], CultureInfo.InvariantCulture),
            SigningKey = key,
            CheckpointEveryRecords = 25,
        });
        await sink.OpenAsync();
        Console.Out.WriteLine("open");
        Console.Out.Flush();
        var gate = new object();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            for (int i = 0; ; i++)
            {
                string resource = "/crash/" + p.ToString(CultureInfo.InvariantCulture) + "/" + i.ToString(CultureInfo.InvariantCulture);
                await sink.WriteAsync(new AuditEvent { Timestamp = DateTimeOffset.UtcNow, User = "crash-" + p.ToString(CultureInfo.InvariantCulture), Action = AuditAction.Viewed, Resource = resource });
                lock (gate)
                {
                    Console.Out.WriteLine("ack " + resource);
                    Console.Out.Flush();
                }
            }
        })));
        return 0;
    }
}
