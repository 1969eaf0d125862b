using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Locator;

namespace HipaaAnalyzers.Cli;

/// <summary>
/// Finds the .NET SDK that builds the scanned code (its global.json decides) and registers its MSBuild. Nothing here
/// touches an MSBuild type: MSBuildLocator must register before the first one is loaded.
/// </summary>
internal static class Sdk
{
    public static VisualStudioInstance? Find(string workingDirectory, out string problem)
    {
        problem = string.Empty;
        try
        {
            // With a working directory, the first instance is the SDK that 'dotnet build' would use there.
            var instance = MSBuildLocator.QueryVisualStudioInstances(new VisualStudioInstanceQueryOptions
            {
                DiscoveryTypes = DiscoveryType.DotNetSdk,
                WorkingDirectory = workingDirectory,
            }).FirstOrDefault();
            if (instance is null)
            {
                problem = "No .NET SDK was found" + GlobalJsonHint(workingDirectory) + ". Install the .NET SDK (https://dot.net) or fix global.json.";
            }

            return instance;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or DllNotFoundException or BadImageFormatException)
        {
            problem = "No .NET SDK was found: " + e.Message;
            return null;
        }
    }

    public static void Register(VisualStudioInstance instance)
    {
        if (MSBuildLocator.CanRegister)
        {
            MSBuildLocator.RegisterInstance(instance);
        }
    }

    /// <summary>The dotnet executable that owns the SDK (…/dotnet/sdk/10.0.100/ gives …/dotnet/dotnet).</summary>
    public static string DotnetExecutable(VisualStudioInstance instance)
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.GetFullPath(Path.Combine(instance.MSBuildPath, "..", ".."));
        var candidate = Path.Combine(root, name);
        return File.Exists(candidate) ? candidate : name;
    }

    /// <summary>Runs 'dotnet restore' on each target; the first failure ends it.</summary>
    public static RestoreResult Restore(string dotnet, IReadOnlyList<string> targets, string workingDirectory, TimeSpan timeout)
    {
        foreach (var target in targets)
        {
            var startInfo = new ProcessStartInfo(dotnet)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "restore", target, "-nologo", "-v:q", "-nodeReuse:false", "-tl:off" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            // MSBuildLocator points these at the registered SDK; the child picks its own.
            startInfo.Environment.Remove("MSBUILD_EXE_PATH");
            startInfo.Environment.Remove("MSBuildExtensionsPath");
            startInfo.Environment.Remove("MSBuildSDKsPath");
            startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            startInfo.Environment["DOTNET_NOLOGO"] = "1";
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
                return new RestoreResult(false, true, target, "Cannot start '" + dotnet + "': " + e.Message);
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new RestoreResult(false, false, target, $"restore did not finish within {timeout.TotalMinutes:0} minutes");
            }

            process.WaitForExit();
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (process.ExitCode != 0)
            {
                var sdkMissing = text.Contains("compatible .NET SDK was not found", StringComparison.OrdinalIgnoreCase) ||
                                 text.Contains("Requested SDK version", StringComparison.OrdinalIgnoreCase);
                return new RestoreResult(false, sdkMissing, target, text);
            }
        }

        return new RestoreResult(true, false, null, string.Empty);
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

    private static string GlobalJsonHint(string directory)
    {
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            var globalJson = Path.Combine(d.FullName, "global.json");
            if (File.Exists(globalJson))
            {
                return " that satisfies " + globalJson;
            }
        }

        return string.Empty;
    }
}

/// <summary>The outcome of restoring the scan target.</summary>
internal sealed record RestoreResult(bool Succeeded, bool SdkMissing, string? FailedTarget, string Output)
{
    /// <summary>The error lines of the restore output, or its last lines when none is marked as an error.</summary>
    public IReadOnlyList<string> ErrorLines()
    {
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(10).ToList();
        return errors.Count > 0 ? errors : lines.TakeLast(10).ToList();
    }
}
