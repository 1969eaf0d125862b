namespace HipaaAnalyzers.Cli;

/// <summary>The scanner's exit codes; docs/cli.md lists them.</summary>
public static class ExitCodes
{
    /// <summary>The scan ran, and no finding reached the --fail-on severity.</summary>
    public const int Success = 0;

    /// <summary>The scan ran, and at least one finding reached the --fail-on severity.</summary>
    public const int FindingsAtFailOnSeverity = 1;

    /// <summary>The command line is invalid (unknown option, bad value, --dry-run without --fix), or a report file cannot be written.</summary>
    public const int InvalidArguments = 2;

    /// <summary>The path does not exist, or is not a .sln, .slnx, .slnf, .csproj or a folder that holds one.</summary>
    public const int PathNotFound = 3;

    /// <summary>No .NET SDK (and so no MSBuild) is installed. A global.json that pins an SDK that is not installed is not this: the newest installed SDK is used.</summary>
    public const int SdkNotFound = 4;

    /// <summary>No project of the target restored and loaded, so nothing was scanned.</summary>
    public const int ProjectLoadFailed = 5;

    /// <summary>An analyzer or code fix failed, or the scanner hit an unexpected error; the results are incomplete.</summary>
    public const int ScanFailed = 6;

    /// <summary>
    /// With --require-complete: the scan ran, but a C# project of the target was skipped (missing, not restored, not
    /// loaded). Findings at the --fail-on severity win (exit code 1).
    /// </summary>
    public const int PartialScan = 7;
}
