using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HipaaAnalyzers.Cli;

/// <summary>
/// Runs 'dotnet restore' on the target and finds which C# projects do not restore. A solution is restored as a whole
/// first; when that fails, the projects that did not fail on their own are restored again without the ones that did (one
/// solution filter), and, if that still fails without saying which project, one by one.
/// </summary>
internal sealed class Restorer
{
    // "/src/Api/Api.csproj : error NU1101: Unable to find package X. ... [/src/All.sln]", "NuGet.targets(521,5): error MSB3202: ..."
    private static readonly Regex MessageLine = new(
        @"^(?<origin>.*?)(\(\d+(,\d+)*\))?\s*:\s*(?<level>error|warning)\s*(?<code>[A-Za-z]+\d+)?\s*:\s*(?<text>.*?)(\s+\[(?<project>[^\]]+)\])?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex UnresolvedSdk = new(
        @"Could not resolve SDK ""(?<sdk>[^""]+)""|The SDK '(?<sdk>[^']+)' specified could not be found|SDK '(?<sdk>[^']+)' could not be resolved",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private readonly string _dotnet;
    private readonly IReadOnlyList<string> _prefix;
    private readonly string _workingDirectory;
    private readonly TimeSpan _timeout;
    private readonly Ui _ui;

    public Restorer(string dotnet, IReadOnlyList<string> prefix, string workingDirectory, TimeSpan timeout, Ui ui)
    {
        _dotnet = dotnet;
        _prefix = prefix;
        _workingDirectory = workingDirectory;
        _timeout = timeout;
        _ui = ui;
    }

    public RestoreOutcome Restore(ScanTarget target)
    {
        var failed = new Dictionary<string, RestoreFailure>(ScanTarget.PathComparer);
        if (target.SolutionPath is null)
        {
            return RestoreEach(target.ProjectPaths, failed);
        }

        var run = Run(target.SolutionPath);
        if (run.Succeeded)
        {
            return new RestoreOutcome(failed, null);
        }

        if (run.Fatal is not null)
        {
            return new RestoreOutcome(failed, run.Fatal);
        }

        if (run.TimedOut)
        {
            return TimedOut(target.ProjectPaths, failed);
        }

        Attribute(run, target.ProjectPaths, failed);
        var remaining = target.ProjectPaths.Where(p => !failed.ContainsKey(p)).ToList();
        if (remaining.Count == 0 || OnlyPackageErrorsOf(run, failed))
        {
            // NuGet restores every project of the graph and fails the ones whose packages it cannot resolve.
            return new RestoreOutcome(failed, null);
        }

        // One failing project (or a project file that is missing, or not C#) can stop the whole solution from restoring.
        _ui.Progress($"Restoring {Scanner.Plural(remaining.Count, "C# project")} without the ones that failed ...");
        var filter = WriteFilter(target.SolutionFile!, remaining);
        try
        {
            run = Run(filter);
        }
        finally
        {
            TryDelete(Path.GetDirectoryName(filter)!);
        }

        if (run.Succeeded)
        {
            return new RestoreOutcome(failed, null);
        }

        if (run.Fatal is not null)
        {
            return new RestoreOutcome(failed, run.Fatal);
        }

        if (run.TimedOut)
        {
            return TimedOut(remaining, failed);
        }

        Attribute(run, remaining, failed);
        return OnlyPackageErrorsOf(run, failed)
            ? new RestoreOutcome(failed, null)
            : RestoreEach(remaining.Where(p => !failed.ContainsKey(p)).ToList(), failed);
    }

    /// <summary>
    /// Whether every error is a NuGet package error (NUxxxx) about a project that failed: then the other projects were
    /// restored. An evaluation error (an SDK that does not resolve, a project file that is missing) can stop the whole
    /// restore before it reaches them.
    /// </summary>
    private static bool OnlyPackageErrorsOf(RestoreRun run, Dictionary<string, RestoreFailure> failed)
    {
        var errors = run.Messages.Where(m => m.IsError).ToList();
        return errors.Count > 0 &&
               errors.All(e => e.Code.StartsWith("NU", StringComparison.OrdinalIgnoreCase) && failed.Keys.Any(p => IsAbout(e, p)));
    }

    private RestoreOutcome RestoreEach(IReadOnlyList<string> projects, Dictionary<string, RestoreFailure> failed)
    {
        for (int i = 0; i < projects.Count; i++)
        {
            var project = projects[i];
            var run = Run(project);
            if (run.Succeeded)
            {
                continue;
            }

            if (run.Fatal is not null)
            {
                return new RestoreOutcome(failed, run.Fatal);
            }

            if (run.TimedOut)
            {
                return TimedOut(projects.Skip(i).ToList(), failed);
            }

            // Whatever failed (the project or a project it references), this project cannot be analyzed.
            var lines = run.Messages.Where(m => m.IsError).ToList();
            var own = lines.Where(m => IsAbout(m, project)).ToList();
            failed[project] = Failure(own.Count > 0 ? own : lines, run.LastLines);
        }

        return new RestoreOutcome(failed, null);
    }

    private RestoreOutcome TimedOut(IEnumerable<string> projects, Dictionary<string, RestoreFailure> failed)
    {
        var reason = $"restore did not finish within {_timeout.TotalMinutes:0} minutes";
        foreach (var project in projects)
        {
            failed[project] = new RestoreFailure(SkipKind.RestoreFailed, "does not restore: " + reason, new[] { reason });
        }

        return new RestoreOutcome(failed, null);
    }

    /// <summary>Marks the projects that restore's errors name as failed.</summary>
    private static void Attribute(RestoreRun run, IReadOnlyList<string> projects, Dictionary<string, RestoreFailure> failed)
    {
        foreach (var project in projects)
        {
            var own = run.Messages.Where(m => m.IsError && IsAbout(m, project)).ToList();
            if (own.Count > 0)
            {
                failed[project] = Failure(own, run.LastLines);
            }
        }
    }

    private static bool IsAbout(RestoreMessage message, string project) =>
        SamePath(message.Origin, project) || (!LooksLikeProject(message.Origin) && SamePath(message.Project, project));

    private static bool LooksLikeProject(string? path) =>
        path is not null && Path.GetExtension(path).EndsWith("proj", StringComparison.OrdinalIgnoreCase);

    private static bool SamePath(string? a, string b)
    {
        if (string.IsNullOrWhiteSpace(a))
        {
            return false;
        }

        try
        {
            return ScanTarget.PathComparer.Equals(Path.GetFullPath(a.Trim()), b);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }

    private static RestoreFailure Failure(IReadOnlyList<RestoreMessage> errors, IReadOnlyList<string> lastLines)
    {
        var lines = errors.Count > 0 ? errors.Select(e => e.Text).Distinct().Take(10).ToList() : lastLines.ToList();
        var sdk = errors.Select(e => UnresolvedSdk.Match(e.Text)).FirstOrDefault(m => m.Success);
        if (sdk is not null)
        {
            return new RestoreFailure(SkipKind.SdkNotResolved, $"its MSBuild SDK '{sdk.Groups["sdk"].Value}' cannot be resolved", lines);
        }

        var first = errors.Count > 0 ? errors[0].Short : lastLines.LastOrDefault() ?? "dotnet restore failed";
        var more = errors.Select(e => e.Short).Distinct().Count() - 1;
        return new RestoreFailure(SkipKind.RestoreFailed, "does not restore: " + first + (more > 0 ? $" (and {Scanner.Plural(more, "more error")})" : string.Empty), lines);
    }

    /// <summary>A solution filter, in a temporary folder, that keeps <paramref name="projects"/> of the solution.</summary>
    private static string WriteFilter(string solution, IReadOnlyList<string> projects)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hipaa-scan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Path.GetFileNameWithoutExtension(solution) + ".slnf");
        var solutionDirectory = Path.GetDirectoryName(solution)!;
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("solution");
            json.WriteString("path", solution);
            json.WriteStartArray("projects");
            foreach (var project in projects)
            {
                json.WriteStringValue(Path.GetRelativePath(solutionDirectory, project));
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return path;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the system's temp cleanup.
        }
    }

    private RestoreRun Run(string target)
    {
        var startInfo = new ProcessStartInfo(_dotnet)
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _prefix.Concat(new[] { "restore", target, "-nologo", "-v:q", "-nodeReuse:false", "-tl:off" }))
        {
            startInfo.ArgumentList.Add(argument);
        }

        // MSBuildLocator points these at the registered SDK; the child picks its own.
        startInfo.Environment.Remove("MSBUILD_EXE_PATH");
        startInfo.Environment.Remove("MSBuildExtensionsPath");
        startInfo.Environment.Remove("MSBuildSDKsPath");
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new RestoreRun(false, false, "Cannot start '" + _dotnet + "': " + e.Message, string.Empty);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)_timeout.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the timeout and the kill.
            }

            process.WaitForExit();
            return new RestoreRun(false, true, null, string.Empty);
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (process.ExitCode == 0)
        {
            return new RestoreRun(true, false, null, text);
        }

        // The muxer found no SDK for the folder: nothing restores, whichever project it is.
        var sdkMissing = text.Contains("compatible .NET SDK was not found", StringComparison.OrdinalIgnoreCase) ||
                         text.Contains("Requested SDK version", StringComparison.OrdinalIgnoreCase);
        return new RestoreRun(false, false, sdkMissing ? "The .NET SDK that " + target + " needs was not found:" + Environment.NewLine + text.Trim() : null, text);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>One 'dotnet restore'; <see cref="Fatal"/> when it could not run at all (no dotnet, no SDK).</summary>
    private sealed record RestoreRun(bool Succeeded, bool TimedOut, string? Fatal, string Output)
    {
        public IReadOnlyList<RestoreMessage> Messages { get; } = Parse(Output);

        public IReadOnlyList<string> LastLines { get; } = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(10).ToList();

        private static IReadOnlyList<RestoreMessage> Parse(string output)
        {
            var messages = new List<RestoreMessage>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var match = MessageLine.Match(line);
                if (match.Success)
                {
                    var code = match.Groups["code"].Value;
                    var text = match.Groups["text"].Value.Trim();
                    messages.Add(new RestoreMessage(
                        match.Groups["level"].Value.Equals("error", StringComparison.OrdinalIgnoreCase),
                        code,
                        match.Groups["origin"].Value.Trim(),
                        match.Groups["project"].Success ? match.Groups["project"].Value : null,
                        match.Groups["project"].Success ? line.Substring(0, match.Groups["project"].Index).TrimEnd(' ', '[') : line,
                        code.Length > 0 ? code + ": " + text : text));
                }
            }

            return messages;
        }
    }

    private sealed record RestoreMessage(bool IsError, string Code, string? Origin, string? Project, string Text, string Short);
}

/// <summary>Why a project does not restore: the reason the reports give and the error lines the console shows.</summary>
internal sealed record RestoreFailure(SkipKind Kind, string Reason, IReadOnlyList<string> Lines);

/// <summary>The projects that do not restore; <see cref="Fatal"/> when restore could not run at all.</summary>
internal sealed record RestoreOutcome(IReadOnlyDictionary<string, RestoreFailure> Failed, string? Fatal);
