using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>The outcome of one child process.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, bool TimedOut, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Standard error with each run of white space as one space: the console wraps long messages at its width.</summary>
    public string FlatError => System.Text.RegularExpressions.Regex.Replace(StandardError, @"\s+", " ");

    /// <summary>Everything needed to understand a failure, for assertion messages.</summary>
    public string Describe() =>
        $"> {CommandLine}{Environment.NewLine}exit code: {(TimedOut ? "timed out" : ExitCode.ToString())} after {Elapsed.TotalSeconds:0.0} s" +
        $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput}--- stderr ---{Environment.NewLine}{StandardError}";
}

/// <summary>Runs the scanner and dotnet as child processes with a timeout and captured output.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>hipaa-scan, run from its own build output as 'dotnet hipaa-scan.dll ...'.</summary>
    public static ProcessResult HipaaScan(string workingDirectory, params string[] arguments)
    {
        var all = new List<string> { TestPaths.HipaaScanAssembly };
        all.AddRange(arguments);
        return Dotnet(workingDirectory, all, DefaultTimeout);
    }

    /// <summary>hipaa-scan run by another dotnet executable, with changes to its environment (null removes a variable).</summary>
    public static ProcessResult HipaaScanWith(string dotnet, IReadOnlyDictionary<string, string?> environment, string workingDirectory, params string[] arguments)
    {
        var all = new List<string> { TestPaths.HipaaScanAssembly };
        all.AddRange(arguments);
        return Dotnet(workingDirectory, all, DefaultTimeout, dotnet, environment);
    }

    public static ProcessResult Dotnet(
        string workingDirectory,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? dotnet = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(dotnet ?? DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host may run under an MSBuild-launched process; its paths must not leak into the child.
        startInfo.Environment.Remove("MSBuildExtensionsPath");
        startInfo.Environment.Remove("MSBuildSDKsPath");
        startInfo.Environment.Remove("MSBUILD_EXE_PATH");
        startInfo.Environment.Remove("MSBuildLoadMicrosoftTargetsReadOnly");
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var commandLine = "dotnet " + string.Join(" ", startInfo.ArgumentList);
        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExit((int)timeout.TotalMilliseconds);
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the timeout and the kill.
            }
        }

        // Drains the asynchronous output readers.
        process.WaitForExit();
        lock (output)
        {
            lock (error)
            {
                return new ProcessResult(commandLine, exited ? process.ExitCode : -1, !exited, output.ToString(), error.ToString(), watch.Elapsed);
            }
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    public static string DotnetExecutable()
    {
        // Set by the dotnet host for the processes it starts; points at the SDK running these tests.
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
    }
}
