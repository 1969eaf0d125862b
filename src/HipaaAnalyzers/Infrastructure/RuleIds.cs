namespace HipaaAnalyzers.Infrastructure;

/// <summary>Stable rule IDs. Fixers and tests reference these constants, never the analyzer types.</summary>
public static class RuleIds
{
    public const string PhiInLog = "HIPAA001";
    public const string PhiObjectLoggedWhole = "HIPAA002";
    public const string PhiInExceptionMessage = "HIPAA003";
    public const string PhiInTelemetryOrUrl = "HIPAA004";
    public const string PhiPersistedUnencrypted = "HIPAA005";
    public const string FrameworkLoggingCapturesPhi = "HIPAA006";

    public const string WeakHash = "HIPAA101";
    public const string DisallowedCipher = "HIPAA102";
    public const string InsecureCipherModeOrPadding = "HIPAA103";
    public const string InsufficientKeySize = "HIPAA104";
    public const string InsecureRandomness = "HIPAA105";
    public const string StaticIvOrSalt = "HIPAA106";
    public const string WeakKeyDerivation = "HIPAA107";
    public const string HomeMadeCryptography = "HIPAA108";
    public const string WeakenedTransportSecurity = "HIPAA109";
    public const string UnauthenticatedEncryption = "HIPAA110";

    public const string HardCodedKey = "HIPAA201";
    public const string HardCodedCredential = "HIPAA202";
    public const string KeyInSqlText = "HIPAA203";
    public const string KeysStoredBesidePhi = "HIPAA204";
    public const string PlaintextPassword = "HIPAA205";

    public const string PhiEndpointWithoutAuthorization = "HIPAA301";
    public const string AnonymousPhiEndpoint = "HIPAA302";
    public const string PhiEndpointWithoutPolicy = "HIPAA303";
    public const string AuthorizationBypass = "HIPAA304";

    public const string PhiEndpointWithoutAudit = "HIPAA401";

    public const string InvalidOption = "HIPAA900";
    public const string UnreadableSettingsFile = "HIPAA901";
    public const string RuntimeFeatureWithoutRegistration = "HIPAA902";
}
