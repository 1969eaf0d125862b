using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;

namespace HipaaAnalyzers.Benchmarks;

/// <summary>
/// The analyzer benchmark. Every measurement runs in a child process of its own, so each has a clean JIT, heap and
/// peak working set; this process only starts them and prints the tables.
/// </summary>
internal static class Program
{
    private const string ResultPrefix = "RESULT ";

    private static async Task<int> Main(string[] args)
    {
        try
        {
            var options = BenchmarkOptions.Parse(args);
            if (options.Child == "measure")
            {
                var result = await Measurements.MeasureAsync(options.Tools[0], options.Sizes[0], options.Repeats[0]);
                Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
                return 0;
            }

            if (options.Child == "keystroke")
            {
                var result = await Measurements.MeasureKeystrokeAsync(options.Tools[0], options.Sizes[0], options.Edits);
                Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
                return 0;
            }

            return await RunAsync(options);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }
    }

    private static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var runs = new List<RunResult>();
        var keystrokes = new List<KeystrokeResult>();
        var started = Stopwatch.StartNew();
        var loadAtStart = Report.LoadAverage();
        for (var i = 0; i < options.Sizes.Count; i++)
        {
            var size = options.Sizes[i];
            foreach (var tool in new[] { Tool.Compiler, Tool.Driver }.Concat(options.Tools))
            {
                Progress($"{size:N0} lines: {Tool.DisplayName(tool)} ...");
                var repeats = tool is Tool.Compiler or Tool.Driver or Tool.Hipaa ? options.Repeats[i] : options.PeerRepeats[i];
                var processes = new List<RunResult>();
                for (var p = 0; p < (tool == Tool.Hipaa ? options.Processes : 1); p++)
                {
                    var result = await RunChildAsync<RunResult>("measure", tool, size, repeats, options.Edits);
                    if (result is not null)
                    {
                        processes.Add(result);
                        Progress($"  {Describe(result)}");
                    }
                }

                if (processes.Count > 0)
                {
                    runs.Add(RunResult.Pool(processes));
                }
            }
        }

        foreach (var size in options.KeystrokeSizes)
        {
            foreach (var tool in options.KeystrokeTools)
            {
                Progress($"keystroke in {size:N0} lines: {Tool.DisplayName(tool)} ...");
                var result = await RunChildAsync<KeystrokeResult>("keystroke", tool, size, 1, options.Edits);
                if (result is not null)
                {
                    keystrokes.Add(result);
                    Progress($"  median {Measurements.Median(result.WallMs):F0} ms wall, {Measurements.Median(result.AnalyzerMs):F1} ms in analyzers");
                }
            }
        }

        var report = Report.Write(options, runs, keystrokes, started.Elapsed, loadAtStart);
        Console.WriteLine(report);
        if (options.MarkdownPath is not null)
        {
            await File.WriteAllTextAsync(options.MarkdownPath, report);
            Progress("Written to " + options.MarkdownPath);
        }

        return 0;
    }

    private static string Describe(RunResult result) => result.Tool == Tool.Compiler
        ? $"compile {result.CompileMs:F0} ms, {result.CompileErrors} errors, peak {result.PeakWorkingSetBytes / 1048576} MB{Heap(result)}"
        : $"analyzers {result.AnalyzerMs:F0} ms (runs: {string.Join(", ", result.AnalyzerRunsMs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}), " +
          $"wall {result.WallMs:F0} ms, {result.Findings.Values.Sum()} findings, {result.AnalyzerExceptions} analyzer exceptions, peak {result.PeakWorkingSetBytes / 1048576} MB" +
          Heap(result) + (result.LoadErrors.Count > 0 ? $", {result.LoadErrors.Count} load errors" : string.Empty);

    private static string Heap(RunResult result) =>
        (result.PairedCompileRunsMs.Count > 0
            ? $", paired compiles {string.Join(", ", result.PairedCompileRunsMs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} ms"
            : string.Empty) +
        $", GC pauses {string.Join(", ", result.GcPauseRunsMs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} ms, " +
        $"retained {result.RetainedMb:F0} MB";

    private static async Task<T?> RunChildAsync<T>(string mode, string tool, int size, int repeats, int edits)
        where T : class
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in new[]
                 {
                     "--child", mode, "--tools", tool, "--sizes", size.ToString(CultureInfo.InvariantCulture),
                     "--repeat", repeats.ToString(CultureInfo.InvariantCulture), "--edits", edits.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Progress($"  the {mode} run of {tool} at {size} lines failed (exit code {process.ExitCode}):\n{output}\n{await error}");
            return null;
        }

        return JsonSerializer.Deserialize<T>(line.Substring(ResultPrefix.Length));
    }

    private static void Progress(string message) => Console.Error.WriteLine(message);
}
