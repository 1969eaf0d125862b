using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace HipaaAnalyzers.Package.Tests;

/// <summary>The outcome of one <c>dotnet</c> invocation.</summary>
public sealed record DotnetResult(string CommandLine, int ExitCode, bool TimedOut, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Everything needed to understand a failure, for assertion messages.</summary>
    public string Describe() =>
        $"> {CommandLine}{Environment.NewLine}exit code: {(TimedOut ? "timed out" : ExitCode.ToString())}{Environment.NewLine}{Output}";
}

/// <summary>Runs the dotnet CLI as a child process with a timeout and captured output.</summary>
public static class DotnetCli
{
    /// <summary>Switches that keep MSBuild nodes and the compiler server from outliving the command.</summary>
    public static readonly string[] NoLingeringServers = { "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off" };

    public static DotnetResult Run(
        string workingDirectory,
        TimeSpan timeout,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(DotnetExecutable())
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
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        var commandLine = "dotnet " + string.Join(" ", startInfo.ArgumentList);
        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
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
            return new DotnetResult(commandLine, exited ? process.ExitCode : -1, !exited, output.ToString());
        }
    }

    private static string DotnetExecutable()
    {
        // Set by the dotnet host for the processes it starts; points at the SDK running these tests.
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
    }
}
