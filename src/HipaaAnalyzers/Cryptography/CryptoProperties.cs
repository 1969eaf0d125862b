namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// Keys and values of the diagnostic properties the cryptography rules attach for their fixers, so a fixer reads what
/// was found without repeating the analysis and without referencing the analyzer.
/// </summary>
internal static class CryptoProperties
{
    /// <summary>HIPAA101: the weak algorithm found ("MD5", "SHA-1", "HMAC-MD5", ...).</summary>
    public const string Algorithm = "Algorithm";

    /// <summary>HIPAA103, HIPAA104, HIPAA109: what was found, one of the kinds below.</summary>
    public const string Kind = "Kind";

    /// <summary>HIPAA104: the replacement the fix writes ("2048", or "nistP256" for a curve); absent for DSA.</summary>
    public const string Replacement = "Replacement";

    /// <summary>HIPAA103: a symmetric cipher mode.</summary>
    public const string SymmetricKind = "Symmetric";

    /// <summary>HIPAA103: RSA PKCS#1 v1.5 encryption padding.</summary>
    public const string RsaPaddingKind = "RsaPadding";

    /// <summary>HIPAA104: an integer key size.</summary>
    public const string SizeKind = "Size";

    /// <summary>HIPAA104: an ECCurve expression.</summary>
    public const string CurveKind = "Curve";

    /// <summary>HIPAA109: a certificate validation callback that accepts everything.</summary>
    public const string CallbackKind = "Callback";

    /// <summary>HIPAA109: an old SSL/TLS protocol version.</summary>
    public const string ProtocolKind = "Protocol";

    /// <summary>HIPAA109: an http:// address of a remote host.</summary>
    public const string HttpKind = "Http";

    /// <summary>HIPAA109: RequireHttpsMetadata = false.</summary>
    public const string HttpsMetadataKind = "HttpsMetadata";
}
