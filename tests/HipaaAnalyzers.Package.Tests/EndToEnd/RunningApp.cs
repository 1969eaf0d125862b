using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace HipaaAnalyzers.Package.Tests.EndToEnd;

/// <summary>
/// A built ASP.NET Core app run as its own process (<c>dotnet App.dll</c>) on 127.0.0.1 and a free port, with its
/// output captured. Stopped with SIGTERM, as a service manager stops it, so it shuts down gracefully; killed when it
/// does not stop in time, or when disposed while running.
/// </summary>
public sealed class RunningApp : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningApp(Process process, Uri baseAddress, string commandLine)
    {
        _process = process;
        BaseAddress = baseAddress;
        CommandLine = commandLine;
    }

    public Uri BaseAddress { get; }

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and standard error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/></c> in <paramref name="workingDirectory"/> (its content root) with
    /// ASPNETCORE_URLS set to a free port on 127.0.0.1, and waits until that port accepts connections. Throws with the
    /// app's output when it exits first or does not listen within <paramref name="timeout"/>. When another process took
    /// the port between its choice and the bind, starts again on another one (three attempts).
    /// </summary>
    public static RunningApp Start(string assembly, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = TryStart(assembly, workingDirectory, environment, timeout, out var portTaken);
            if (app is not null)
            {
                return app;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"The app could not bind a free port in three attempts.{Environment.NewLine}{portTaken}");
            }
        }
    }

    private static RunningApp? TryStart(string assembly, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, out string portTaken)
    {
        portTaken = "";
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var url = baseAddress.GetLeftPart(UriPartial.Authority);
        var startInfo = new ProcessStartInfo(DotnetCli.Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(assembly);
        ProcessRunner.Apply(startInfo, DotnetCli.BaseEnvironment());
        ProcessRunner.Apply(startInfo, environment);

        // The one address the app listens on, whatever the machine's environment says.
        foreach (var variable in new[] { "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_URLS" })
        {
            startInfo.Environment.Remove(variable);
        }

        startInfo.Environment["ASPNETCORE_URLS"] = url;

        var process = new Process { StartInfo = startInfo };
        var app = new RunningApp(process, baseAddress, $"ASPNETCORE_URLS={url} dotnet {assembly}");
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var watch = Stopwatch.StartNew();
        while (!CanConnect(port))
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                var description = app.Describe();
                var exitCode = process.ExitCode;
                app.Dispose();
                if (description.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    portTaken = description;
                    return null;
                }

                throw new InvalidOperationException($"The app exited with code {exitCode} before it listened.{Environment.NewLine}{description}");
            }

            if (watch.Elapsed > timeout)
            {
                app.Dispose();
                throw new TimeoutException($"The app did not listen on {baseAddress} within {timeout.TotalSeconds:0} s.{Environment.NewLine}{app.Describe()}");
            }

            Thread.Sleep(200);
        }

        return app;
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; kills the process if it has not exited within <paramref name="timeout"/>. Returns whether it exited by itself, with its exit code.</summary>
    public (bool Graceful, int ExitCode) Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows() || kill(_process.Id, SigTerm) != 0)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
                return (false, _process.ExitCode);
            }

            if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
                return (false, _process.ExitCode);
            }
        }

        // Drains the asynchronous output readers.
        _process.WaitForExit();
        return (true, _process.ExitCode);
    }

    /// <summary>The command and its output so far, for assertion messages.</summary>
    public string Describe() => $"> {CommandLine}{Environment.NewLine}{Output}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Not started, or exited meanwhile.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
