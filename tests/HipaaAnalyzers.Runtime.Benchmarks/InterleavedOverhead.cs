using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// A cross-check of the BenchmarkDotNet ratio that resists a busy machine: raw AesGcm and FieldEncryptor
/// run in alternating short blocks, so both see the same load, and the ratio is the median over many
/// block pairs. BenchmarkDotNet measures one benchmark after the other, so when other work on a shared
/// machine starts or stops between them, its ratio moves; this one does not.
/// </summary>
public static class InterleavedOverhead
{
    /// <summary>Measures and prints the median ratio per size and operation.</summary>
    /// <param name="rounds">The number of block pairs per size and operation.</param>
    /// <returns>The median ratios, keyed by size and operation.</returns>
    public static IReadOnlyDictionary<(int Size, string Operation), double> Run(int rounds = 400)
    {
        var results = new Dictionary<(int, string), double>();
        Console.WriteLine();
        Console.WriteLine("Interleaved cross-check (median of " + rounds.ToString(CultureInfo.InvariantCulture) + " alternating block pairs):");
        foreach (int size in new[] { 16, 1024, 65536 })
        {
            var benchmarks = new FieldEncryptionBenchmarks { Size = size };
            benchmarks.Setup();
            try
            {
                int perBlock = Math.Max(4, 200_000 / (size + 256));
                results[(size, "Encrypt")] = Measure(benchmarks.RawAesGcm_Encrypt, benchmarks.FieldEncryptor_Encrypt, perBlock, rounds);
                results[(size, "Decrypt")] = Measure(benchmarks.RawAesGcm_Decrypt, benchmarks.FieldEncryptor_Decrypt, perBlock, rounds);
            }
            finally
            {
                benchmarks.Cleanup();
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {(size >= 1024 ? size / 1024 + " KB" : size + " B"),-8} encrypt {results[(size, "Encrypt")],5:N3}x   decrypt {results[(size, "Decrypt")],5:N3}x"));
        }

        return results;
    }

    private static double Measure(Func<byte[]> raw, Func<byte[]> field, int perBlock, int rounds)
    {
        // Warm up both paths (JIT tiering, the cipher pool).
        for (int i = 0; i < perBlock * 20; i++)
        {
            raw();
            field();
        }

        var ratios = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            // Alternate which runs first, so neither always follows a GC or a context switch.
            long rawTicks;
            long fieldTicks;
            if (round % 2 == 0)
            {
                rawTicks = Time(raw, perBlock);
                fieldTicks = Time(field, perBlock);
            }
            else
            {
                fieldTicks = Time(field, perBlock);
                rawTicks = Time(raw, perBlock);
            }

            ratios[round] = (double)fieldTicks / rawTicks;
        }

        Array.Sort(ratios);
        return ratios[rounds / 2];
    }

    private static long Time(Func<byte[]> operation, int count)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            operation();
        }

        return Stopwatch.GetTimestamp() - start;
    }
}
