namespace HipaaAnalyzers.Cli;

/// <summary>The scanner's exit codes; docs/cli.md lists them.</summary>
public static class ExitCodes
{
    /// <summary>The scan ran, and no finding reached the --fail-on severity.</summary>
    public const int Success = 0;

    /// <summary>The scan ran, and at least one finding reached the --fail-on severity.</summary>
    public const int FindingsAtFailOnSeverity = 1;

    /// <summary>The command line is invalid (unknown option, bad value, --dry-run without --fix).</summary>
    public const int InvalidArguments = 2;

    /// <summary>The path does not exist, or is not a .sln, .slnx, .csproj or a folder that holds one.</summary>
    public const int PathNotFound = 3;

    /// <summary>No .NET SDK (and so no MSBuild) was found for the path, for example one that its global.json names.</summary>
    public const int SdkNotFound = 4;

    /// <summary>A project did not restore or could not be loaded.</summary>
    public const int ProjectLoadFailed = 5;

    /// <summary>An analyzer or code fix failed, or the scanner hit an unexpected error; the results are incomplete.</summary>
    public const int ScanFailed = 6;
}
