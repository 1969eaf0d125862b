namespace HipaaAnalyzers.Runtime;

/// <summary>
/// What a <see cref="DataKey"/> is for. Each purpose has its own keys and its own active key, so that
/// rotating the encryption key does not change blind indexes or pseudonyms.
/// </summary>
public enum KeyPurpose
{
    /// <summary>Field encryption with AES-256-GCM (<see cref="FieldEncryptor"/>).</summary>
    Encryption = 1,

    /// <summary>Blind indexes: the root key from which per-column HMAC keys are derived (<see cref="BlindIndexer"/>).</summary>
    BlindIndex = 2,

    /// <summary>Keyed pseudonyms for logs (<see cref="PhiPseudonymizer"/>, <see cref="Phi.Pseudonymize(object)"/>).</summary>
    Pseudonymization = 3,

    /// <summary>
    /// A named key that application code hands to a .NET cryptographic API itself (an HMAC, <c>AesGcm</c>,
    /// a JWT signing key). The key id is the name; <see cref="HipaaKeys.Get(string)"/> and
    /// <see cref="KeyRing.ExportApplicationKey(string)"/> return a copy of its bytes. Only keys of this
    /// purpose are ever exported, and each application key is its own: a ring may hold any number of them,
    /// all active, and <see cref="KeyRing.GetActiveKey(KeyPurpose)"/> returns none for this purpose.
    /// </summary>
    Application = 4,
}

/// <summary>Where a <see cref="DataKey"/> stands in its key ring.</summary>
public enum DataKeyStatus
{
    /// <summary>
    /// The key used for new work of its purpose: new ciphertexts, blind indexes or pseudonyms. A key ring
    /// has at most one active key per purpose.
    /// </summary>
    Active = 1,

    /// <summary>
    /// A new key that is not used for new work yet but already decrypts. Stage a key on every instance
    /// before activating it, so that no instance meets a ciphertext it cannot read.
    /// </summary>
    Staged = 2,

    /// <summary>
    /// A former active key: no longer used for new work, still decrypts existing values until they are
    /// re-encrypted and the key is removed.
    /// </summary>
    Retired = 3,
}
