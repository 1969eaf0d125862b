using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// A small solution written into a temporary folder for one test. Its nuget.config uses only a local feed of empty
/// packages built here and a package folder of its own, so restore needs no network and leaves the machine's package
/// cache alone. Each C# project gets one class whose line marked "// HIPAA001" must be reported.
/// </summary>
public sealed class TinySolution
{
    private static readonly Dictionary<string, string> ProjectTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csproj"] = "9A19103F-16F7-4668-BE54-9A1E7A4F7556",
        [".fsproj"] = "6EC3EE1D-3C4E-46DD-8F32-0CC8E7565705",
        [".vbproj"] = "778DAE3C-4631-46EA-AA77-85C1314464D9",
        [".esproj"] = "54A90642-561A-4BB1-A94E-469ADEE60C69",
        [".sqlproj"] = "00D1A9C2-B5F0-4AF3-8072-F6C62B433612",
    };

    private TinySolution(string directory) => Directory = directory;

    public string Directory { get; }

    public static TinySolution Create(string name)
    {
        var solution = new TinySolution(TestPaths.NewTempDirectory(name));
        System.IO.Directory.CreateDirectory(Path.Combine(solution.Directory, "feed"));

        // A root .editorconfig, so nothing above the temporary folder changes how the projects are analyzed.
        solution.File(".editorconfig", "root = true");
        solution.File("nuget.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="feed" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
            </configuration>
            """);
        return solution;
    }

    public string PathOf(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    public TinySolution File(string relative, string content)
    {
        var path = PathOf(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content.ReplaceLineEndings("\n") + "\n");
        return this;
    }

    /// <summary>A net10.0 C# project with <c>Intake.cs</c>, whose one line writes an SSN to the console (HIPAA001).</summary>
    public TinySolution CSharpProject(string relativePath, string items = "", string properties = "", string sdk = "Microsoft.NET.Sdk")
    {
        File(relativePath, $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
            </Project>
            """);
        var name = Path.GetFileNameWithoutExtension(relativePath);
        return File(Path.Combine(Path.GetDirectoryName(relativePath)!, "Intake.cs"), $$"""
            namespace {{name}};

            public static class Intake
            {
                public static void Admit(string ssn) => System.Console.WriteLine("Admitting " + ssn); // HIPAA001
            }
            """);
    }

    /// <summary>An empty package (a .nuspec, no assemblies) in the local feed, with dependencies for net10.0.</summary>
    public TinySolution Package(string id, string version, params (string Id, string Range)[] dependencies)
    {
        var group = dependencies.Length == 0
            ? string.Empty
            : "<dependencies><group targetFramework=\"net10.0\">" +
              string.Concat(dependencies.Select(d => $"<dependency id=\"{d.Id}\" version=\"{d.Range}\" />")) +
              "</group></dependencies>";
        var nuspec = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{id}</id>
                <version>{version}</version>
                <authors>tests</authors>
                <description>An empty package for the scanner tests.</description>
                {group}
              </metadata>
            </package>
            """;
        using var archive = ZipFile.Open(PathOf($"feed/{id.ToLowerInvariant()}.{version}.nupkg"), ZipArchiveMode.Create);
        using var writer = new StreamWriter(archive.CreateEntry(id + ".nuspec").Open(), new UTF8Encoding(false));
        writer.Write(nuspec);
        return this;
    }

    /// <summary>A .sln that lists <paramref name="projects"/> (with '\' as Visual Studio writes them) in both configurations.</summary>
    public string Sln(string relative, params string[] projects)
    {
        var text = new StringBuilder();
        text.Append("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n# Visual Studio Version 17\n");
        var guids = projects.Select((_, i) => "{" + new Guid(i + 1, 0x1234, 0x5678, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }).ToString().ToUpperInvariant() + "}").ToList();
        for (int i = 0; i < projects.Length; i++)
        {
            var type = ProjectTypes.TryGetValue(Path.GetExtension(projects[i]), out var known) ? known : ProjectTypes[".csproj"];
            text.Append($"Project(\"{{{type}}}\") = \"{Path.GetFileNameWithoutExtension(projects[i])}\", \"{projects[i].Replace('/', '\\')}\", \"{guids[i]}\"\nEndProject\n");
        }

        text.Append("Global\n\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\n\t\tDebug|Any CPU = Debug|Any CPU\n\t\tRelease|Any CPU = Release|Any CPU\n\tEndGlobalSection\n");
        text.Append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\n");
        foreach (var guid in guids)
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                text.Append($"\t\t{guid}.{configuration}|Any CPU.ActiveCfg = {configuration}|Any CPU\n\t\t{guid}.{configuration}|Any CPU.Build.0 = {configuration}|Any CPU\n");
            }
        }

        text.Append("\tEndGlobalSection\nEndGlobal\n");
        System.IO.File.WriteAllText(PathOf(relative), text.ToString());
        return PathOf(relative);
    }

    public void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the system's temp cleanup.
        }
    }
}
