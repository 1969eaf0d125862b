namespace HipaaAnalyzers.Secrets;

/// <summary>
/// What the HIPAA201-203 analyzers hand to their code fixes in a diagnostic's properties and additional locations.
/// The configuration key a fix reads is <see cref="ConfigurationKeys.Property"/>.
/// </summary>
internal static class SecretFixData
{
    /// <summary>HIPAA201.</summary>
    public static class HardCodedKey
    {
        /// <summary>Property: <see cref="Key"/>, <see cref="Iv"/> or <see cref="PrivateKey"/>.</summary>
        public const string KindProperty = "Kind";

        /// <summary>Property: "bytes" when the sink takes bytes, "text" when it takes a string or characters.</summary>
        public const string ShapeProperty = "Shape";

        /// <summary>Property: the short name of the sink ("AesGcm", "SymmetricSecurityKey", "HMACSHA256" ...).</summary>
        public const string SinkProperty = "Sink";

        /// <summary>Property: the field, property or local the hard-coded value came through, if any.</summary>
        public const string SymbolProperty = "Symbol";

        public const string Key = "key";
        public const string Iv = "IV";
        public const string PrivateKey = "private key";
    }

    /// <summary>HIPAA202.</summary>
    public static class HardCodedCredential
    {
        /// <summary>Property: what the value is, one of the <c>Kind*</c> constants.</summary>
        public const string KindProperty = "Kind";

        public const string KindConnectionString = "connection string";
        public const string KindPassword = "password";
        public const string KindAuthorization = "authorization";
        public const string KindAuthorizationParameter = "authorization parameter";
    }

    /// <summary>HIPAA203.</summary>
    public static class KeyInSql
    {
        /// <summary>Property: the name of the command parameter a fix binds the key to.</summary>
        public const string ParameterProperty = "Parameter";

        /// <summary>Property: the command expression a fix adds the parameter to (set only when the fix applies).</summary>
        public const string CommandProperty = "Command";

        /// <summary>Additional location: the key in the SQL, which the parameter marker replaces.</summary>
        public const int KeyLocation = 0;

        /// <summary>Additional location: the statement after which the parameter is added.</summary>
        public const int StatementLocation = 1;

        /// <summary>Additional location, when the key is a value rather than a literal: that value.</summary>
        public const int ValueLocation = 2;
    }
}
