using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// The load the audit sink benchmarks put on a sink: N producers append a clinician's view of a patient in a loop until
/// stopped, and each append's latency is recorded while <see cref="Measuring"/> is on.
/// </summary>
internal sealed class AuditLoad
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long>[] _latencies;
    private readonly Task[] _producers;
    private int _measuring;

    public AuditLoad(int producers, int latencyCapacity, Func<AuditEvent, ValueTask<long>> append)
    {
        _latencies = new List<long>[producers];
        _producers = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var mine = _latencies[p] = new List<long>(latencyCapacity);
            long i = 0;
            while (!_stop.IsCancellationRequested)
            {
                var auditEvent = new AuditEvent
                {
                    Timestamp = DateTimeOffset.UtcNow,
                    User = "clinician-" + p.ToString(CultureInfo.InvariantCulture),
                    Action = AuditAction.Viewed,
                    Resource = "/api/patients/" + (i++).ToString(CultureInfo.InvariantCulture),
                    Context = new AuditContext("10.1.2.3", "workstation-12", "ward 3"),
                };
                long started = Stopwatch.GetTimestamp();
                await append(auditEvent).ConfigureAwait(false);
                if (Volatile.Read(ref _measuring) != 0)
                {
                    mine.Add(Stopwatch.GetTimestamp() - started);
                }
            }
        })).ToArray();
    }

    /// <summary>Whether appends are being timed (the warm-up is not).</summary>
    public bool Measuring
    {
        set => Volatile.Write(ref _measuring, value ? 1 : 0);
    }

    /// <summary>The events appended while measuring.</summary>
    public long Events => _latencies.Sum(l => (long)l.Count);

    /// <summary>The latency at a quantile of the timed appends, in milliseconds.</summary>
    public Func<double, double> Quantiles()
    {
        long[] all = _latencies.SelectMany(l => l).OrderBy(t => t).ToArray();
        return quantile => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(quantile * all.Length))] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Stops the producers and waits for their last appends.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_producers).ConfigureAwait(false);
        _stop.Dispose();
    }
}
