using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// The private key that signs audit checkpoints: ECDSA on NIST P-256 with SHA-256 (FIPS 186-5), with a non-secret
/// <see cref="KeyId"/>. Verifiers need only <see cref="PublicKey"/>.
/// </summary>
/// <remarks>
/// <para>
/// Load it from a PEM file (PKCS#8 or SEC 1) mounted from a secret store (<see cref="FromPemFile"/>; for example a Kubernetes secret
/// or <c>/run/secrets</c>), from the <c>HIPAA_AUDIT_SIGNING_KEY</c> environment variable
/// (<see cref="FromEnvironment(string, string)"/>), or wrap an <see cref="ECDsa"/> whose private key lives in an HSM or
/// KMS (<see cref="Create"/>): signing happens once per checkpoint, so a remote call is affordable. Keep the key out of
/// the store that holds the audit log, and give auditors the public key (<see cref="ExportPublicKeyPem"/>).
/// </para>
/// <para>
/// The default key id is <c>p256-</c> followed by the first 16 hex digits of the SHA-256 of the public key's
/// SubjectPublicKeyInfo, so a verifier derives it from the public key alone. Errors name the source (a variable or a
/// path), never the key.
/// </para>
/// </remarks>
public sealed class AuditSigningKey : IDisposable
{
    /// <summary>The default environment variable: the PEM text of the private key, or the base64 of its DER bytes (PKCS#8 or SEC 1).</summary>
    public const string DefaultEnvironmentVariable = "HIPAA_AUDIT_SIGNING_KEY";

    /// <summary>The default environment variable for the key id; optional.</summary>
    public const string DefaultKeyIdEnvironmentVariable = "HIPAA_AUDIT_SIGNING_KEY_ID";

    /// <summary>Makes a P-256 key as a PEM file; named in messages.</summary>
    internal const string GenerateCommand = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out audit-signing-key.pem";

    /// <summary>Prints the base64 of a PEM key's PKCS#8 DER bytes, the one-line form for the environment variable; named in messages.</summary>
    internal const string DerCommand = "openssl pkcs8 -topk8 -nocrypt -in audit-signing-key.pem -outform DER | base64 -w0";

    private readonly ECDsa _key;
    private readonly bool _ownsKey;
    private readonly object _gate = new();
    private int _disposed;

    private AuditSigningKey(ECDsa key, string keyId, bool ownsKey)
    {
        _key = key;
        _ownsKey = ownsKey;
        KeyId = keyId;
        PublicKey = AuditVerificationKey.FromPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), keyId);
    }

    /// <summary>Gets the key id written into every checkpoint.</summary>
    public string KeyId { get; }

    /// <summary>Gets the public half, for verifiers. It is disposed with this key.</summary>
    public AuditVerificationKey PublicKey { get; }

    /// <summary>Wraps an ECDSA P-256 key that can sign (a software key, or an HSM- or KMS-backed <see cref="ECDsa"/>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="keyId">The key id; default derived from the public key.</param>
    /// <param name="ownsKey">Whether <see cref="Dispose"/> disposes <paramref name="key"/>.</param>
    /// <returns>The signing key.</returns>
    /// <exception cref="ArgumentException">The key is not a P-256 key that can sign, or the key id is invalid.</exception>
    public static AuditSigningKey Create(ECDsa key, string? keyId = null, bool ownsKey = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!AuditVerificationKey.IsP256(key))
        {
            throw new ArgumentException("The audit signing key must be an ECDSA key on the NIST P-256 curve.", nameof(key));
        }

        keyId ??= AuditVerificationKey.ComputeKeyId(key);
        if (!DataKey.IsValidKeyId(keyId))
        {
            throw new ArgumentException(CryptoHelpers.FormatInvariant($"The key id is not valid: use 1 to {DataKey.MaximumKeyIdLength} characters from A-Z a-z 0-9 . _ -."), nameof(keyId));
        }

        var signingKey = new AuditSigningKey(key, keyId, ownsKey);
        byte[] probe = "hipaa-audit-signing-key-probe"u8.ToArray();
        bool usable;
        try
        {
            usable = signingKey.PublicKey.Verify(probe, signingKey.Sign(probe));
        }
        catch (CryptographicException)
        {
            usable = false;
        }

        if (!usable)
        {
            signingKey.PublicKey.Dispose();
            throw new ArgumentException("The audit signing key cannot sign: it holds no private key.", nameof(key));
        }

        return signingKey;
    }

    /// <summary>Generates a new P-256 key (for tests and for creating a key with the tooling in the docs).</summary>
    /// <param name="keyId">The key id; default derived from the public key.</param>
    /// <returns>The key.</returns>
    public static AuditSigningKey Generate(string? keyId = null) =>
        Create(ECDsa.Create(ECCurve.NamedCurves.nistP256), keyId, ownsKey: true);

    /// <summary>Reads a private key from PEM text (<c>PRIVATE KEY</c>, PKCS#8; or <c>EC PRIVATE KEY</c>, SEC 1).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="keyId">The key id; default derived from the public key.</param>
    /// <returns>The key.</returns>
    /// <exception cref="PhiConfigurationException">The text holds no usable P-256 private key (the message never contains the text).</exception>
    public static AuditSigningKey FromPem(ReadOnlySpan<char> pem, string? keyId = null) => FromPem(pem, keyId, "the PEM text");

    /// <summary>Reads a private key from a PEM file, typically mounted from a secret store.</summary>
    /// <param name="path">The file.</param>
    /// <param name="keyId">The key id; default derived from the public key.</param>
    /// <returns>The key.</returns>
    /// <exception cref="PhiConfigurationException">The file is missing or holds no usable P-256 private key.</exception>
    public static AuditSigningKey FromPemFile(string path, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PhiConfigurationException(CryptoHelpers.FormatInvariant($"The audit signing key file '{path}' could not be read ({exception.GetType().Name})."));
        }

        return FromPem(pem, keyId, "the file '" + path + "'");
    }

    /// <summary>
    /// Reads the private key from an environment variable: PEM text, or the base64 of its DER bytes, PKCS#8
    /// (<c>openssl pkcs8 -topk8 -nocrypt -in audit-signing-key.pem -outform DER | base64 -w0</c>) or SEC 1
    /// <c>ECPrivateKey</c> (what <c>openssl pkey -outform DER</c> writes for EC keys): one line, easier to pass through
    /// environments. The key id comes from <paramref name="keyIdVariable"/> when set.
    /// </summary>
    /// <param name="variable">The variable; default <c>HIPAA_AUDIT_SIGNING_KEY</c>.</param>
    /// <param name="keyIdVariable">The key id variable; default <c>HIPAA_AUDIT_SIGNING_KEY_ID</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="PhiConfigurationException">The variable is unset or holds no usable P-256 private key (the message never contains its value).</exception>
    public static AuditSigningKey FromEnvironment(string variable = DefaultEnvironmentVariable, string keyIdVariable = DefaultKeyIdEnvironmentVariable) =>
        FromEnvironment(variable, keyIdVariable, Environment.GetEnvironmentVariable);

    /// <summary>Exports the public key as PEM (<c>PUBLIC KEY</c>, SubjectPublicKeyInfo) for verifiers.</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPublicKeyPem() => PublicKey.ExportPem();

    /// <summary>Returns the key id; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "AuditSigningKey '" + KeyId + "' (ECDSA P-256, private key hidden)";

    /// <summary>Disposes the key when this instance owns it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            PublicKey.Dispose();
            if (_ownsKey)
            {
                _key.Dispose();
            }
        }
    }

    internal static AuditSigningKey FromEnvironment(string variable, string keyIdVariable, Func<string, string?> getVariable)
    {
        ArgumentException.ThrowIfNullOrEmpty(variable);
        string? value = getVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PhiConfigurationException(CryptoHelpers.FormatInvariant(
                $"The environment variable {variable} is not set. Set it to the audit signing key, an ECDSA P-256 private key: its PEM text, or the base64 of its DER bytes (PKCS#8 or SEC 1), for example the output of '{DerCommand}' for a key made with '{GenerateCommand}'."));
        }

        string? keyId = string.IsNullOrEmpty(keyIdVariable) ? null : getVariable(keyIdVariable);
        keyId = string.IsNullOrWhiteSpace(keyId) ? null : keyId.Trim();
        string source = "the environment variable " + variable;
        if (value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return FromPem(value, keyId, source);
        }

        byte[] der = EnvironmentKeyParser.DecodeKey(variable, value.AsSpan().Trim(), string.Empty, 16, 16 * 1024,
            "Expected the PEM text of an ECDSA P-256 private key or the base64 of its DER bytes (PKCS#8 or SEC 1), for example the output of '" + DerCommand + "'.");
        try
        {
            ECDsa? key = ImportDer(der);
            if (key is null)
            {
                throw new PhiConfigurationException(IsRsaKey(der)
                    ? "The audit signing key in " + source + " is an RSA private key; audit checkpoints are signed with ECDSA P-256: create a key with '" + GenerateCommand + "' and set the variable to the output of '" + DerCommand + "'."
                    : "The audit signing key in " + source + " is not an EC private key in PKCS#8 or SEC 1 (ECPrivateKey) DER form: set the variable to the base64 of the key's DER bytes, for example the output of '" + DerCommand + "'.");
            }

            return CreateFrom(key, keyId, source);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>An EC private key from PKCS#8 (<c>PrivateKeyInfo</c>) or SEC 1 (<c>ECPrivateKey</c>) DER bytes, or null.</summary>
    private static ECDsa? ImportDer(ReadOnlySpan<byte> der)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(der, out int read);
            if (read == der.Length)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
            // Not PKCS#8: OpenSSL 3 writes EC keys as SEC 1 with 'openssl pkey -outform DER'.
        }

        key.Dispose();
        key = ECDsa.Create();
        try
        {
            key.ImportECPrivateKey(der, out int read);
            if (read == der.Length)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
        }

        key.Dispose();
        return null;
    }

    private static bool IsRsaKey(ReadOnlySpan<byte> der)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
            return true;
        }
        catch (CryptographicException)
        {
        }

        try
        {
            rsa.ImportRSAPrivateKey(der, out _);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsRsaKey(ReadOnlySpan<char> pem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    internal byte[] Sign(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    private static AuditSigningKey FromPem(ReadOnlySpan<char> pem, string? keyId, string source)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new PhiConfigurationException(IsRsaKey(pem)
                ? "The audit signing key in " + source + " is an RSA private key; audit checkpoints are signed with ECDSA P-256: create a key with '" + GenerateCommand + "'."
                : "The audit signing key in " + source + " could not be read: expected an unencrypted ECDSA P-256 private key as PEM ('PRIVATE KEY' or 'EC PRIVATE KEY').");
        }

        return CreateFrom(key, keyId, source);
    }

    private static AuditSigningKey CreateFrom(ECDsa key, string? keyId, string source)
    {
        try
        {
            return Create(key, keyId, ownsKey: true);
        }
        catch (ArgumentException exception)
        {
            key.Dispose();
            throw new PhiConfigurationException("The audit signing key in " + source + " is not usable: " + exception.Message.Split(" (Parameter", 2)[0]);
        }
    }
}

/// <summary>The public key that checks audit checkpoint signatures, with its key id.</summary>
public sealed class AuditVerificationKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa _key;
    private readonly object _gate = new();

    private AuditVerificationKey(ECDsa key, string keyId)
    {
        _key = key;
        KeyId = keyId;
    }

    /// <summary>Gets the key id the checkpoints name.</summary>
    public string KeyId { get; }

    /// <summary>Reads a public key from PEM (<c>PUBLIC KEY</c>; a private key PEM works too and only its public half is kept).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="keyId">The key id; default derived from the public key, as <see cref="AuditSigningKey"/> does.</param>
    /// <returns>The key.</returns>
    /// <exception cref="PhiConfigurationException">The text holds no P-256 key.</exception>
    public static AuditVerificationKey FromPem(ReadOnlySpan<char> pem, string? keyId = null)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new PhiConfigurationException("The audit verification key could not be read: expected an ECDSA P-256 public key as PEM ('PUBLIC KEY').");
        }

        if (!IsP256(key))
        {
            throw new PhiConfigurationException("The audit verification key is not an ECDSA key on the NIST P-256 curve.");
        }

        return FromPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), keyId);
    }

    /// <summary>Reads a public key from a PEM file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="keyId">The key id; default derived from the public key.</param>
    /// <returns>The key.</returns>
    /// <exception cref="PhiConfigurationException">The file is missing or holds no P-256 key.</exception>
    public static AuditVerificationKey FromPemFile(string path, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return FromPem(File.ReadAllText(path), keyId);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PhiConfigurationException(CryptoHelpers.FormatInvariant($"The audit verification key file '{path}' could not be read ({exception.GetType().Name})."));
        }
    }

    /// <summary>Computes the default key id of a key: <c>p256-</c> and the first 16 hex digits of SHA-256(SubjectPublicKeyInfo).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The key id.</returns>
    public static string ComputeKeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ComputeKeyId(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Exports the key as PEM (<c>PUBLIC KEY</c>).</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPem()
    {
        lock (_gate)
        {
            return _key.ExportSubjectPublicKeyInfoPem();
        }
    }

    /// <summary>Returns the key id.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "AuditVerificationKey '" + KeyId + "' (ECDSA P-256)";

    /// <summary>Releases the key.</summary>
    public void Dispose() => _key.Dispose();

    internal static AuditVerificationKey FromPublicKeyInfo(byte[] subjectPublicKeyInfo, string? keyId)
    {
        keyId ??= ComputeKeyId(subjectPublicKeyInfo);
        if (!DataKey.IsValidKeyId(keyId))
        {
            throw new ArgumentException(CryptoHelpers.FormatInvariant($"The key id is not valid: use 1 to {DataKey.MaximumKeyIdLength} characters from A-Z a-z 0-9 . _ -."), nameof(keyId));
        }

        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return new AuditVerificationKey(key, keyId);
    }

    internal static bool IsP256(ECDsa key)
    {
        if (key.KeySize != 256)
        {
            return false;
        }

        try
        {
            ECCurve curve = key.ExportParameters(includePrivateParameters: false).Curve;
            return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1");
        }
        catch (Exception exception) when (exception is CryptographicException or NotSupportedException)
        {
            // A key in an HSM or KMS may not export its parameters; its size is all there is to check.
            return true;
        }
    }

    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        lock (_gate)
        {
            try
            {
                return _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }

    private static string ComputeKeyId(byte[] subjectPublicKeyInfo) =>
        "p256-" + CryptoHelpers.ToLowerHex(SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 8));
}
