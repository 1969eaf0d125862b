using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace HipaaAnalyzers.Package.Tests;

/// <summary>The outcome of one child process.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, bool TimedOut, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Everything needed to understand a failure, for assertion messages.</summary>
    public string Describe() =>
        $"> {CommandLine}{Environment.NewLine}exit code: {(TimedOut ? "timed out" : ExitCode.ToString())}{Environment.NewLine}{Output}";
}

/// <summary>Runs a program as a child process with a timeout, capturing standard output and standard error together.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> and waits for it to end, or kills it (with its children) after
    /// <paramref name="timeout"/>. <paramref name="environment"/> changes the inherited environment; a null value removes
    /// the variable. <paramref name="standardOutput"/>, when given, receives standard output alone (for commands whose
    /// output is a value). <paramref name="displayName"/> names the program in the command line shown in failures.
    /// </summary>
    public static ProcessResult Run(
        string fileName,
        string workingDirectory,
        TimeSpan timeout,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        StringBuilder? standardOutput = null,
        string? displayName = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
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

        Apply(startInfo, environment);

        var commandLine = (displayName ?? Path.GetFileName(fileName)) + " " + string.Join(" ", startInfo.ArgumentList);
        var output = new StringBuilder();
        void Append(string? line, bool isStandardOutput)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (isStandardOutput)
                {
                    standardOutput?.Append(line).Append('\n');
                }
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data, isStandardOutput: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data, isStandardOutput: false);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProcessResult(commandLine, -1, false, $"could not start {fileName}: {e.Message}");
        }

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
            return new ProcessResult(commandLine, exited ? process.ExitCode : -1, !exited, output.ToString());
        }
    }

    /// <summary>Applies environment changes to a start info: a null value removes the variable.</summary>
    public static void Apply(ProcessStartInfo startInfo, IReadOnlyDictionary<string, string?>? environment)
    {
        if (environment is null)
        {
            return;
        }

        foreach (var pair in environment)
        {
            if (pair.Value is null)
            {
                startInfo.Environment.Remove(pair.Key);
            }
            else
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }
    }

    /// <summary>The full path of a program found on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>Runs the dotnet CLI as a child process with a timeout and captured output.</summary>
public static class DotnetCli
{
    /// <summary>Switches that keep MSBuild nodes and the compiler server from outliving the command.</summary>
    public static readonly string[] NoLingeringServers = { "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off" };

    public static ProcessResult Run(
        string workingDirectory,
        TimeSpan timeout,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var all = BaseEnvironment();
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                all[pair.Key] = pair.Value;
            }
        }

        return ProcessRunner.Run(Executable, workingDirectory, timeout, arguments, all, displayName: "dotnet");
    }

    /// <summary>
    /// What every dotnet child process gets: no telemetry, banners or lingering build servers, English messages, and
    /// none of the MSBuild paths of the test host (it may run under an MSBuild-launched process).
    /// </summary>
    public static Dictionary<string, string?> BaseEnvironment() => new()
    {
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["MSBUILDDISABLENODEREUSE"] = "1",
    };

    /// <summary>The dotnet executable running these tests (set by the dotnet host for the processes it starts), else dotnet on PATH.</summary>
    public static string Executable
    {
        get
        {
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
        }
    }
}
