using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>Every diagnostic descriptor, built by one factory so IDs, help links and categories cannot drift.</summary>
public static class Descriptors
{
    /// <summary>Where rule pages live; <see cref="HelpLinkUri"/> appends <c>ID.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/hipaa-analyzers/hipaa-analyzers/blob/main/docs/rules/";

    public const string PhiExposureCategory = "PhiExposure";
    public const string CryptographyCategory = "Cryptography";
    public const string SecretsCategory = "Secrets";
    public const string AccessControlCategory = "AccessControl";
    public const string AuditCategory = "Audit";
    public const string ConfigurationCategory = "Configuration";

    public static string HelpLinkUri(string id) => HelpLinkBase + id + ".md";

    public static readonly DiagnosticDescriptor PhiInLog = Create(
        RuleIds.PhiInLog,
        "Do not write PHI to logs",
        "PHI '{0}' ({1}) is written to a log by '{2}'",
        PhiExposureCategory,
        "Protected health information written to a log is copied to every log sink, retention store and support tool. " +
        "Redact or pseudonymize it, or log a non-identifying value instead.");

    public static readonly DiagnosticDescriptor PhiObjectLoggedWhole = Create(
        RuleIds.PhiObjectLoggedWhole,
        "Do not log or format a PHI-carrying object whole",
        "'{0}' carries PHI ({1}) and is {2}, which writes every member to '{3}'",
        PhiExposureCategory,
        "Formatting a whole object that carries protected health information (a record's generated ToString, " +
        "'{@x}' destructuring, serialization) leaks every member. Log a non-PHI identifier instead.");

    public static readonly DiagnosticDescriptor PhiInExceptionMessage = Create(
        RuleIds.PhiInExceptionMessage,
        "Do not put PHI in exception messages",
        "PHI '{0}' ({1}) is put into the message of '{2}'",
        PhiExposureCategory,
        "Exception messages end up in logs, error pages, crash reports and telemetry. Keep protected health information out of them.");

    public static readonly DiagnosticDescriptor PhiInTelemetryOrUrl = Create(
        RuleIds.PhiInTelemetryOrUrl,
        "Do not put PHI in telemetry, URLs or headers",
        "PHI '{0}' ({1}) reaches {2} through '{3}'",
        PhiExposureCategory,
        "Trace tags, baggage, metric tags, URLs, query strings and headers are recorded by proxies, APM tools and browser " +
        "history. Keep protected health information out of them.");

    public static readonly DiagnosticDescriptor PhiPersistedUnencrypted = Create(
        RuleIds.PhiPersistedUnencrypted,
        "Encrypt PHI stored by Entity Framework Core",
        "'{0}'{3} is PHI ({1}) and is stored by '{2}' without [Encrypted] or an encrypting value converter",
        PhiExposureCategory,
        "A PHI property of an entity that a DbContext stores is written to the database as plaintext, where backups, " +
        "replicas and database administrators see it. Mark it [Encrypted] so the application encrypts it before it leaves.");

    public static readonly DiagnosticDescriptor FrameworkLoggingCapturesPhi = Create(
        RuleIds.FrameworkLoggingCapturesPhi,
        "Do not let framework logging capture PHI",
        "{0}",
        PhiExposureCategory,
        "EF Core's sensitive data logging and detailed errors, HTTP logging of bodies and query strings, W3C logging of the " +
        "query and the developer exception page write patients' data (parameter values, request bodies, exception details) " +
        "into logs and error pages. Keep them to development, or narrow what is logged.");

    public static readonly DiagnosticDescriptor WeakHash = Create(
        RuleIds.WeakHash,
        "Do not use broken or weak hash algorithms",
        "'{0}' uses {1}, which NIST SP 800-131A disallows for security use",
        CryptographyCategory,
        "MD5, SHA-1, HMACMD5 and RIPEMD-160 are broken or disallowed for digital signatures, integrity and key derivation. " +
        "Use SHA-256 or HMACSHA256.");

    public static readonly DiagnosticDescriptor DisallowedCipher = Create(
        RuleIds.DisallowedCipher,
        "Do not use disallowed ciphers",
        "'{0}' uses {1}, a cipher NIST SP 800-131A disallows for encryption",
        CryptographyCategory,
        "DES, Triple DES, RC2 and Rijndael with a non-AES block size are disallowed for protecting data. " +
        "Use AES-256-GCM through the runtime's field encryption.");

    public static readonly DiagnosticDescriptor InsecureCipherModeOrPadding = Create(
        RuleIds.InsecureCipherModeOrPadding,
        "Do not use insecure cipher modes or padding",
        "'{0}' uses {1}: {2}",
        CryptographyCategory,
        "ECB leaks patterns and RSA PKCS#1 v1.5 encryption is open to chosen-ciphertext attacks, whatever the context. " +
        "Use AES-GCM or RSA OAEP with SHA-256; a mode without authentication is HIPAA110's.");

    public static readonly DiagnosticDescriptor InsufficientKeySize = Create(
        RuleIds.InsufficientKeySize,
        "Use a sufficient key size",
        "'{0}' uses {1}; {2}",
        CryptographyCategory,
        "NIST SP 800-131A disallows RSA keys below 2048 bits and elliptic curves below 224 bits (HIPAA104 asks for 256), " +
        "and FIPS 186-5 approves DSA only for verifying existing signatures.");

    public static readonly DiagnosticDescriptor InsecureRandomness = Create(
        RuleIds.InsecureRandomness,
        "Do not use non-cryptographic randomness for security values",
        "'{0}' comes from System.Random and is used as {1}",
        CryptographyCategory,
        "System.Random is predictable. Keys, IVs, nonces, salts, tokens, passwords and one-time codes must come from " +
        "RandomNumberGenerator.");

    public static readonly DiagnosticDescriptor StaticIvOrSalt = Create(
        RuleIds.StaticIvOrSalt,
        "Do not use a static, zero or reused IV, nonce or salt",
        "The {0} passed to '{1}' is {2}",
        CryptographyCategory,
        "A fixed IV or nonce breaks the confidentiality of every message encrypted under the same key, and a fixed salt " +
        "lets one dictionary attack serve every password. Generate fresh random bytes for each use.");

    public static readonly DiagnosticDescriptor WeakKeyDerivation = Create(
        RuleIds.WeakKeyDerivation,
        "Use a strong key derivation function",
        "'{0}' derives a key with {1}",
        CryptographyCategory,
        "PBKDF2 needs SHA-256 or stronger and at least 600,000 iterations; PasswordDeriveBytes and the SHA-1 default of " +
        "Rfc2898DeriveBytes are too weak.");

    public static readonly DiagnosticDescriptor HomeMadeCryptography = Create(
        RuleIds.HomeMadeCryptography,
        "Do not use home-made cryptography",
        "'{0}' {1}; this is not encryption",
        CryptographyCategory,
        "XOR with a key, Base64 and hand-rolled ciphers do not protect data. Use the runtime's AES-256-GCM field encryption.");

    public static readonly DiagnosticDescriptor WeakenedTransportSecurity = Create(
        RuleIds.WeakenedTransportSecurity,
        "Do not weaken transport security",
        "{0}",
        CryptographyCategory,
        "Disabling certificate validation, pinning SSL 3.0, TLS 1.0 or 1.1, sending requests over http:// to a remote host " +
        "or turning off RequireHttpsMetadata exposes data in transit (NIST SP 800-52r2).");

    public static readonly DiagnosticDescriptor UnauthenticatedEncryption = Create(
        RuleIds.UnauthenticatedEncryption,
        "Use authenticated encryption",
        "'{0}' uses {1} without a MAC over IV and ciphertext: a changed ciphertext decrypts undetected, and padding errors become a decryption oracle",
        CryptographyCategory,
        "HIPAA requires mechanisms to protect ePHI from improper alteration (integrity, 45 CFR 164.312(c)(1)). CBC, CFB, OFB " +
        "and CTS give confidentiality only: use AES-GCM (the runtime's FieldEncryptor), or encrypt-then-MAC with an HMAC over IV and ciphertext.");

    public static readonly DiagnosticDescriptor HardCodedKey = Create(
        RuleIds.HardCodedKey,
        "Do not hard-code cryptographic keys",
        "The {0} passed to '{1}' is hard-coded ({2})",
        SecretsCategory,
        "A key in source code is in every clone, build log and package of the code. Get keys from the runtime's key provider.");

    public static readonly DiagnosticDescriptor HardCodedCredential = Create(
        RuleIds.HardCodedCredential,
        "Do not hard-code credentials",
        "A hard-coded credential reaches {0}",
        SecretsCategory,
        "Passwords in connection strings, NetworkCredential, password-named members and basic-auth headers are in every " +
        "clone of the code. Read them from configuration or a secret store.");

    public static readonly DiagnosticDescriptor KeyInSqlText = Create(
        RuleIds.KeyInSqlText,
        "Do not put encryption keys in SQL text",
        "The key of '{0}' is part of the SQL text sent by '{1}'",
        SecretsCategory,
        "A key inside SQL text lands in the server's statement log and statement statistics. Pass it as a command " +
        "parameter, or encrypt in the application.");

    public static readonly DiagnosticDescriptor KeysStoredBesidePhi = Create(
        RuleIds.KeysStoredBesidePhi,
        "Keep keys apart from PHI",
        "{0}",
        SecretsCategory,
        "Keys stored in the same database or Redis as the PHI they protect, or stored unencrypted, are taken together with " +
        "it: one breach yields both the data and the keys (45 CFR 164.312(a)(2)(iv)). Store keys apart and protect them at rest.");

    public static readonly DiagnosticDescriptor PlaintextPassword = Create(
        RuleIds.PlaintextPassword,
        "Do not store passwords in plain text",
        "{0}",
        SecretsCategory,
        "A password stored as it was typed is readable by anyone who reads the table, its backups and replicas, and is " +
        "usually the same password the user has elsewhere. Store a salted, slow hash (ASP.NET Core Identity's PasswordHasher) " +
        "and verify against it.");

    public static readonly DiagnosticDescriptor PhiEndpointWithoutAuthorization = Create(
        RuleIds.PhiEndpointWithoutAuthorization,
        "Require authorization on PHI endpoints",
        "Endpoint '{0}' {1} and requires no authorization",
        AccessControlCategory,
        "An endpoint that returns, accepts, reads or changes protected health information must require an authorized user " +
        "(45 CFR 164.312(a)(1)).");

    public static readonly DiagnosticDescriptor AnonymousPhiEndpoint = Create(
        RuleIds.AnonymousPhiEndpoint,
        "Do not allow anonymous access to PHI endpoints",
        "Endpoint '{0}' {1} and allows anonymous access through '{2}'",
        AccessControlCategory,
        "AllowAnonymous overrides every authorization requirement above it, including fallback policies and groups.");

    public static readonly DiagnosticDescriptor PhiEndpointWithoutPolicy = Create(
        RuleIds.PhiEndpointWithoutPolicy,
        "Name a policy or roles for PHI endpoints",
        "Endpoint '{0}' {1} and requires only an authenticated user",
        AccessControlCategory,
        "Authentication alone lets every signed-in user read every record; HIPAA's minimum necessary standard needs a " +
        "policy or roles (45 CFR 164.312(a)(1), 164.502(b)).");

    public static readonly DiagnosticDescriptor AuthorizationBypass = Create(
        RuleIds.AuthorizationBypass,
        "Do not bypass authorization",
        "{0}",
        AccessControlCategory,
        "Authorization skipped in development, behind a debug flag, header or query switch, hard-coded user comparisons " +
        "and handlers that always succeed are backdoors that reach production.");

    public static readonly DiagnosticDescriptor PhiEndpointWithoutAudit = Create(
        RuleIds.PhiEndpointWithoutAudit,
        "Audit access to PHI endpoints",
        "Endpoint '{0}' {1} and records no audit event",
        AuditCategory,
        "HIPAA requires audit controls that record access to protected health information (45 CFR 164.312(b)). " +
        "Add [AuditPhiAccess] or .AuditPhiAccess().");

    public static readonly DiagnosticDescriptor InvalidOption = Create(
        RuleIds.InvalidOption,
        "HipaaAnalyzers option is invalid",
        "Invalid value for '{0}' in the analyzer configuration (.editorconfig / .globalconfig) that applies to '{1}': {2}",
        ConfigurationCategory,
        "A HipaaAnalyzers option has a value that cannot be used. The rules ignore that value until it is fixed.");

    public static readonly DiagnosticDescriptor UnreadableSettingsFile = Create(
        RuleIds.UnreadableSettingsFile,
        "Configuration file cannot be read",
        "'{0}' cannot be read as {1}: {2}; HipaaAnalyzers does not check its settings until it is fixed",
        ConfigurationCategory,
        "A configuration file the rules read (appsettings*.json, web*.config) is not valid JSON or XML. The application " +
        "would fail to start with it, and the rules cannot see what it configures.");

    public static readonly DiagnosticDescriptor RuntimeFeatureWithoutRegistration = Create(
        RuleIds.RuntimeFeatureWithoutRegistration,
        "Runtime feature used without its registration",
        "{0}: {1}",
        ConfigurationCategory,
        "An endpoint uses an audit or an authorization policy that the application never registers. The runtime refuses " +
        "to serve PHI without it, so the endpoint fails on every request: register the feature at startup.");

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category, string description) =>
        new(id, title, messageFormat, category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: description, helpLinkUri: HelpLinkUri(id));
}
