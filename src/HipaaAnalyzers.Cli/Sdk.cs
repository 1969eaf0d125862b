using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Locator;

namespace HipaaAnalyzers.Cli;

/// <summary>
/// Finds the .NET SDK that builds the scanned code (its global.json decides) and registers its MSBuild. Nothing here
/// touches an MSBuild type: MSBuildLocator must register before the first one is loaded.
/// </summary>
internal static class Sdk
{
    /// <summary>
    /// The SDK that 'dotnet build' would use in <paramref name="workingDirectory"/>. When a global.json there pins an SDK that
    /// is not installed, the newest installed SDK instead, with a warning that names both; null only when no SDK is installed.
    /// </summary>
    public static SdkChoice? Find(string workingDirectory, out string problem)
    {
        problem = string.Empty;
        var error = string.Empty;
        var globalJson = GlobalJson.Find(workingDirectory);

        // When global.json asks for an SDK that is not installed, hostfxr prints the installed ones on standard output
        // (the report's stream); the certain case, every installed SDK older than the one asked for, is not asked.
        if (globalJson is null || !OnlyOlderSdksInstalled(globalJson))
        {
            var instance = Query(workingDirectory, out error);
            if (instance is not null)
            {
                return new SdkChoice(instance, null, null);
            }
        }

        // A global.json that asks for an SDK that is not installed stops 'dotnet build' in that folder, but any recent SDK
        // loads the code well enough to analyze it: query from a folder no global.json governs, and take the newest.
        if (globalJson is not null && NeutralDirectory() is { } neutral)
        {
            var newest = QueryAll(neutral).OrderByDescending(i => i.Version).FirstOrDefault();
            if (newest is not null)
            {
                var asked = globalJson.Version is null
                    ? "an SDK that is not installed"
                    : ".NET SDK " + globalJson.Version + (globalJson.RollForward is null ? string.Empty : " (rollForward: " + globalJson.RollForward + ")") +
                      ", which is not installed";
                var warning = $"{globalJson.Path} asks for {asked}; scanning with .NET SDK {newest.Version}, the newest installed, instead. " +
                              $"'dotnet build' in this folder fails until .NET SDK {globalJson.Version ?? "it asks for"} is installed or global.json allows {newest.Version}.";

                // The projects are loaded in build host processes that pick the SDK global.json asks for, each for itself.
                var alias = SdkAlias.Create(newest, globalJson.Version, out var aliasProblem);
                if (alias is null)
                {
                    warning += " Projects may fail to load: " + aliasProblem;
                }

                return new SdkChoice(newest, warning, alias);
            }
        }

        problem = "No .NET SDK was found" + (error.Length > 0 ? ": " + error : ". Install the .NET SDK (https://dot.net).");
        return null;
    }

    /// <summary>Every SDK folder of the installations found is older than the version global.json asks for (no policy rolls back).</summary>
    private static bool OnlyOlderSdksInstalled(GlobalJson globalJson)
    {
        if (Numeric(globalJson.Version) is not { } asked || NeutralDirectory() is not { } neutral)
        {
            return false;
        }

        var installed = QueryAll(neutral)
            .Select(i => Path.GetFullPath(Path.Combine(i.MSBuildPath, "..")))
            .Distinct(StringComparer.Ordinal)
            .SelectMany(sdks => Directory.Exists(sdks) ? Directory.GetDirectories(sdks) : Array.Empty<string>())
            .Select(d => Numeric(Path.GetFileName(d)))
            .OfType<Version>()
            .ToList();
        return installed.Count > 0 && installed.All(v => v < asked);

        static Version? Numeric(string? text)
        {
            var match = text is null ? null : System.Text.RegularExpressions.Regex.Match(text, @"^(\d+)\.(\d+)\.(\d+)");
            return match is { Success: true } ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value)) : null;
        }
    }

    private static VisualStudioInstance? Query(string workingDirectory, out string error)
    {
        error = string.Empty;
        try
        {
            // With a working directory, the first instance is the SDK that 'dotnet build' would use there.
            return QueryAll(workingDirectory).FirstOrDefault();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or DllNotFoundException or BadImageFormatException)
        {
            error = FirstLines(e.Message);
            return null;
        }
    }

    private static IEnumerable<VisualStudioInstance> QueryAll(string workingDirectory)
    {
        try
        {
            return MSBuildLocator.QueryVisualStudioInstances(new VisualStudioInstanceQueryOptions
            {
                DiscoveryTypes = DiscoveryType.DotNetSdk,
                WorkingDirectory = workingDirectory,
            }).ToList();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or DllNotFoundException or BadImageFormatException)
        {
            if (workingDirectory == NeutralDirectory())
            {
                return Array.Empty<VisualStudioInstance>();
            }

            throw;
        }
    }

    /// <summary>A folder that no global.json governs: the root of the file system the temporary folder is on.</summary>
    private static string? NeutralDirectory()
    {
        var root = Path.GetPathRoot(Path.GetFullPath(Path.GetTempPath()));
        return root is not null && !File.Exists(Path.Combine(root, "global.json")) ? root : null;
    }

    private static string FirstLines(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" ", lines.Take(3));
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

    /// <summary>
    /// How to run a dotnet CLI command with the chosen SDK: 'dotnet' itself, which picks the SDK the folder's global.json
    /// allows, or, when that SDK is not installed, 'dotnet …/sdk/10.0.100/dotnet.dll', which runs the chosen SDK directly.
    /// </summary>
    public static (string Executable, IReadOnlyList<string> Prefix) DotnetCommand(SdkChoice sdk)
    {
        if (sdk.Alias is not null)
        {
            return (sdk.Alias.Dotnet, Array.Empty<string>());
        }

        var dotnet = DotnetExecutable(sdk.Instance);
        var cli = Path.Combine(sdk.Instance.MSBuildPath, "dotnet.dll");
        return sdk.Warning is not null && File.Exists(cli) ? (dotnet, new[] { cli }) : (dotnet, Array.Empty<string>());
    }
}

/// <summary>
/// The SDK the scan uses; <see cref="Warning"/> says why it is not the one global.json asks for, and <see cref="Alias"/>
/// is what makes the child processes use it too.
/// </summary>
internal sealed record SdkChoice(VisualStudioInstance Instance, string? Warning, SdkAlias? Alias) : IDisposable
{
    public void Dispose() => Alias?.Dispose();
}

/// <summary>
/// A temporary .NET installation that offers the newest installed SDK under the version global.json asks for: the
/// processes that load the projects (MSBuildWorkspace's build hosts, 'dotnet restore') ask hostfxr for the SDK of the
/// project's folder, which honours global.json and has no option to ignore it. The folder holds a copy of the dotnet
/// executable (hostfxr takes the installation from the executable's real path), links to everything else of the real
/// installation, and sdk/&lt;asked version&gt; linking to the SDK used. DOTNET_ROOT points the child processes at it.
/// </summary>
internal sealed class SdkAlias : IDisposable
{
    private SdkAlias(string root, string dotnet, string? previousDotnetRoot)
    {
        Root = root;
        Dotnet = dotnet;
        PreviousDotnetRoot = previousDotnetRoot;
    }

    public string Root { get; }

    /// <summary>The copied dotnet executable of the temporary installation.</summary>
    public string Dotnet { get; }

    private string? PreviousDotnetRoot { get; }

    public static SdkAlias? Create(VisualStudioInstance sdk, string? askedVersion, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(askedVersion) || askedVersion.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || askedVersion.Contains(".."))
        {
            problem = "global.json names no SDK version to stand in for.";
            return null;
        }

        var sdkDirectory = Path.GetFullPath(sdk.MSBuildPath).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var installation = Path.GetDirectoryName(Path.GetDirectoryName(sdkDirectory)!)!;
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.Combine(Path.GetTempPath(), "hipaa-scan-sdk-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "sdk"));
            var dotnet = Path.Combine(root, name);
            File.Copy(Path.Combine(installation, name), dotnet);
            foreach (var entry in new DirectoryInfo(installation).EnumerateFileSystemInfos())
            {
                if (entry.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || entry.Name == "sdk")
                {
                    continue;
                }

                Link(Path.Combine(root, entry.Name), entry);
            }

            foreach (var installed in new DirectoryInfo(Path.Combine(installation, "sdk")).EnumerateDirectories())
            {
                Link(Path.Combine(root, "sdk", installed.Name), installed);
            }

            if (!Directory.Exists(Path.Combine(root, "sdk", askedVersion)))
            {
                Directory.CreateSymbolicLink(Path.Combine(root, "sdk", askedVersion), sdkDirectory);
            }

            var alias = new SdkAlias(root, dotnet, Environment.GetEnvironmentVariable("DOTNET_ROOT"));
            Environment.SetEnvironmentVariable("DOTNET_ROOT", root);
            return alias;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            problem = $"cannot set up the SDK in {root}: {e.Message}";
            Delete(root);
            return null;
        }

        static void Link(string path, FileSystemInfo target)
        {
            if (target is DirectoryInfo)
            {
                Directory.CreateSymbolicLink(path, target.FullName);
            }
            else
            {
                File.CreateSymbolicLink(path, target.FullName);
            }
        }
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("DOTNET_ROOT", PreviousDotnetRoot);
        Delete(Root);
    }

    /// <summary>Removes the links themselves, never what they point to, then the folder.</summary>
    private static void Delete(string root)
    {
        try
        {
            if (!Directory.Exists(root))
            {
                return;
            }

            foreach (var folder in new[] { Path.Combine(root, "sdk"), root })
            {
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
                {
                    if (entry.LinkTarget is not null || entry is FileInfo)
                    {
                        entry.Delete();
                    }
                }
            }

            Directory.Delete(Path.Combine(root, "sdk"));
            Directory.Delete(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the system's temp cleanup; it holds links and one copied executable.
        }
    }
}

/// <summary>The global.json that governs a folder, and the SDK it asks for.</summary>
internal sealed record GlobalJson(string Path, string? Version, string? RollForward)
{
    public static GlobalJson? Find(string directory)
    {
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            var path = System.IO.Path.Combine(d.FullName, "global.json");
            if (File.Exists(path))
            {
                return Read(path);
            }
        }

        return null;
    }

    private static GlobalJson Read(string path)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path), new System.Text.Json.JsonDocumentOptions
            {
                CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                document.RootElement.TryGetProperty("sdk", out var sdk) && sdk.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                return new GlobalJson(path, Text(sdk, "version"), Text(sdk, "rollForward"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // hostfxr's own message says what is wrong with it.
        }

        return new GlobalJson(path, null, null);

        static string? Text(System.Text.Json.JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
    }
}

