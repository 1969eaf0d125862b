using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace HipaaAnalyzers.Benchmarks;

internal sealed class BenchmarkOptions
{
    public const string Usage =
        "Options:\n" +
        "  --sizes 10000,100000,300000     corpus sizes in lines\n" +
        "  --repeat 7,5,3                  runs per size of the compiler and HipaaAnalyzers (the median is reported)\n" +
        "  --peer-repeat 3,2,1             runs per size of each peer\n" +
        "  --processes 3                   processes per size measuring HipaaAnalyzers, their runs pooled\n" +
        "  --tools hipaa,scs,sonar,netanalyzers\n" +
        "  --keystroke-sizes 10000,100000,300000   sizes for the single-document case (none: skip it)\n" +
        "  --keystroke-tools hipaa,scs,sonar,netanalyzers\n" +
        "  --edits 12                      one-token edits per keystroke measurement\n" +
        "  --markdown PATH                 also write the report to PATH";

    public List<int> Sizes { get; private set; } = new() { 10_000, 100_000, 300_000 };

    public List<int> Repeats { get; private set; } = new() { 7, 5, 3 };

    public List<int> PeerRepeats { get; private set; } = new() { 3, 2, 1 };

    /// <summary>
    /// Processes per size that measure HipaaAnalyzers, the tool the share and growth targets judge. A process can run
    /// slower than another throughout, by more than the runs within one process differ; pooling the runs of several
    /// keeps one such process from deciding a verdict.
    /// </summary>
    public int Processes { get; private set; } = 3;

    public List<string> Tools { get; private set; } = new() { Tool.Hipaa, Tool.SecurityCodeScan, Tool.Sonar, Tool.NetAnalyzers };

    public List<int> KeystrokeSizes { get; private set; } = new() { 10_000, 100_000, 300_000 };

    public List<string> KeystrokeTools { get; private set; } = new() { Tool.Hipaa, Tool.SecurityCodeScan, Tool.Sonar, Tool.NetAnalyzers };

    public int Edits { get; private set; } = 12;

    public string? MarkdownPath { get; private set; }

    public string? Child { get; private set; }

    public string CommandLine { get; private set; } = string.Empty;

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions { CommandLine = string.Join(" ", args) };
        var repeatsGiven = false;
        var peerRepeatsGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("A value is missing after " + args[i]);
            switch (args[i])
            {
                case "--sizes":
                    options.Sizes = Numbers(Value());
                    break;
                case "--repeat":
                    options.Repeats = Numbers(Value());
                    repeatsGiven = true;
                    break;
                case "--peer-repeat":
                    options.PeerRepeats = Numbers(Value());
                    peerRepeatsGiven = true;
                    break;
                case "--processes":
                    options.Processes = Numbers(Value())[0];
                    if (options.Processes < 1)
                    {
                        throw new ArgumentException("--processes needs at least 1");
                    }

                    break;
                case "--tools":
                    options.Tools = Words(Value());
                    break;
                case "--keystroke-sizes":
                    var sizes = Value();
                    options.KeystrokeSizes = sizes == "none" ? new List<int>() : Numbers(sizes);
                    break;
                case "--keystroke-tools":
                    options.KeystrokeTools = Words(Value());
                    break;
                case "--edits":
                    options.Edits = Numbers(Value())[0];
                    break;
                case "--markdown":
                    options.MarkdownPath = Value();
                    break;
                case "--child":
                    options.Child = Value();
                    break;
                default:
                    throw new ArgumentException("Unknown option " + args[i]);
            }
        }

        // Defaults: more runs for the small sizes, where noise matters most and runs are cheap; fewer for the peers,
        // whose runs at 300k lines take minutes.
        if (!repeatsGiven)
        {
            options.Repeats = options.Sizes.Select(s => s <= 10_000 ? 7 : s <= 100_000 ? 5 : 3).ToList();
        }

        if (!peerRepeatsGiven)
        {
            options.PeerRepeats = options.Sizes.Select(s => s <= 10_000 ? 3 : s <= 100_000 ? 2 : 1).ToList();
        }

        foreach (var list in new[] { options.Repeats, options.PeerRepeats })
        {
            while (list.Count < options.Sizes.Count)
            {
                list.Add(list[list.Count - 1]);
            }
        }

        return options;
    }

    private static List<int> Numbers(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t.Replace("_", string.Empty).Replace("k", "000"), CultureInfo.InvariantCulture))
            .ToList();

    private static List<string> Words(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => w.ToLowerInvariant()).ToList();
}
