using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>
/// The plaintext encoding of one CLR type of <see cref="EncryptedAttribute"/> property: the bytes that are encrypted,
/// the type part added to the encryption context, and how the blind index and equality search treat the type.
/// </summary>
/// <remarks>
/// <para>
/// Every encoding is fixed and carries no version: a type's bytes are the same in every release. Integers are
/// big-endian two's complement; a decoded value must have exactly the encoding's length and lie in the type's range,
/// or decoding fails. The encodings are documented in <c>docs/runtime/efcore.md</c>.
/// </para>
/// <para>
/// Every type except <see cref="string"/> adds a last part <c>type:&lt;name&gt;</c> to the encryption context, so a
/// ciphertext only decrypts as the type it was written as. Strings add none: their context is the one the
/// integration used before it supported other types, so values written then still decrypt.
/// </para>
/// </remarks>
internal abstract class EncryptedValueCodec
{
    /// <summary>The supported types, for messages and documentation.</summary>
    public const string SupportedTypes =
        "string, byte[], DateOnly, DateTime, DateTimeOffset, TimeOnly, int, long, short, decimal, double, bool, Guid, any enum, " +
        "and the nullable forms of the value types (int?, DateOnly?, ...)";

    /// <summary>The types whose properties can have a blind index, for messages and documentation.</summary>
    public const string BlindIndexTypes = "string, byte[], DateOnly, DateTime, DateTimeOffset, int, long, short, decimal and Guid (and their nullable forms)";

    private const string FewValues =
        "so the index would group the rows by value and reveal the value's distribution: whoever reads the table sees which rows share a value, " +
        "and learns the value of all of them from one row whose value is known";

    private static readonly ConcurrentDictionary<Type, EncryptedValueCodec?> Codecs = new();

    private static readonly Dictionary<Type, EncryptedValueCodec> Fixed = new()
    {
        [typeof(string)] = new StringCodec(),
        [typeof(byte[])] = new BytesCodec(),
        [typeof(bool)] = new FixedCodec<bool>(
            "bool", "type:bool", 1,
            static (v, d) => d[0] = v ? (byte)1 : (byte)0,
            static s => s[0] switch { 0 => false, 1 => true, _ => throw Invalid("bool", "the byte is neither 0 nor 1") },
            blindIndexRefusal: "a bool has 2 values, " + FewValues),
        [typeof(short)] = new FixedCodec<short>(
            "short", "type:int16", 2,
            static (v, d) => BinaryPrimitives.WriteInt16BigEndian(d, v),
            static s => BinaryPrimitives.ReadInt16BigEndian(s)),
        [typeof(int)] = new FixedCodec<int>(
            "int", "type:int32", 4,
            static (v, d) => BinaryPrimitives.WriteInt32BigEndian(d, v),
            static s => BinaryPrimitives.ReadInt32BigEndian(s)),
        [typeof(long)] = new FixedCodec<long>(
            "long", "type:int64", 8,
            static (v, d) => BinaryPrimitives.WriteInt64BigEndian(d, v),
            static s => BinaryPrimitives.ReadInt64BigEndian(s)),
        [typeof(decimal)] = new FixedCodec<decimal>(
            "decimal", "type:decimal", 16,
            WriteDecimal,
            ReadDecimal,
            indexForm: WithoutTrailingZeros),
        [typeof(double)] = new FixedCodec<double>(
            "double", "type:float64", 8,
            static (v, d) => BinaryPrimitives.WriteInt64BigEndian(d, BitConverter.DoubleToInt64Bits(v)),
            static s => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(s)),
            blindIndexRefusal:
                "equality of floating-point values is unreliable (values computed in different ways rarely compare equal, NaN equals nothing, " +
                "and 0.0 equals -0.0 with different bits), so a search would miss values it should find; store the value as a decimal or a scaled long to search it"),
        [typeof(Guid)] = new FixedCodec<Guid>(
            "Guid", "type:uuid", 16,
            static (v, d) => v.TryWriteBytes(d, bigEndian: true, out _),
            static s => new Guid(s, bigEndian: true)),
        [typeof(DateOnly)] = new FixedCodec<DateOnly>(
            "DateOnly", "type:date", 4,
            static (v, d) => BinaryPrimitives.WriteInt32BigEndian(d, v.DayNumber),
            ReadDateOnly),
        [typeof(TimeOnly)] = new FixedCodec<TimeOnly>(
            "TimeOnly", "type:time", 8,
            static (v, d) => BinaryPrimitives.WriteInt64BigEndian(d, v.Ticks),
            ReadTimeOnly,
            blindIndexRefusal: "a time of day takes few distinct values in practice (1,440 minutes in a day), " + FewValues),
        [typeof(DateTime)] = new FixedCodec<DateTime>(
            "DateTime", "type:datetime", 9,
            WriteDateTime,
            ReadDateTime,
            indexLength: 8,
            indexForm: static (v, d) => BinaryPrimitives.WriteInt64BigEndian(d, v.Ticks)),
        [typeof(DateTimeOffset)] = new FixedCodec<DateTimeOffset>(
            "DateTimeOffset", "type:datetimeoffset", 10,
            WriteDateTimeOffset,
            ReadDateTimeOffset,
            indexLength: 8,
            indexForm: static (v, d) => BinaryPrimitives.WriteInt64BigEndian(d, v.UtcTicks)),
    };

    private delegate void Writer<T>(T value, Span<byte> destination);

    private delegate T Reader<T>(ReadOnlySpan<byte> source);

    /// <summary>Gets the type as messages name it: <c>int</c>, <c>DateOnly</c>, <c>enum Sex</c>.</summary>
    public abstract string TypeName { get; }

    /// <summary>Gets the last part of the encryption context, <c>type:&lt;name&gt;</c>; <see langword="null"/> for strings.</summary>
    public abstract string? ContextPart { get; }

    /// <summary>Gets why the type cannot have a blind index, or <see langword="null"/> when it can.</summary>
    public virtual string? BlindIndexRefusal => null;

    /// <summary>Returns the codec of a property type (a <see cref="Nullable{T}"/> uses the codec of its value type), or <see langword="null"/> when the type is not supported.</summary>
    /// <param name="propertyType">The CLR type of the property.</param>
    /// <returns>The codec, or <see langword="null"/>.</returns>
    public static EncryptedValueCodec? For(Type propertyType)
    {
        ArgumentNullException.ThrowIfNull(propertyType);
        Type type = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        if (Fixed.TryGetValue(type, out EncryptedValueCodec? codec))
        {
            return codec;
        }

        return type.IsEnum ? Codecs.GetOrAdd(type, static t => EnumCodec.TryCreate(t)) : null;
    }

    /// <summary>Encodes a non-null value; the caller zeroes the returned buffer when done.</summary>
    /// <param name="value">The value, of the codec's type.</param>
    /// <returns>The plaintext bytes.</returns>
    public abstract byte[] Encode(object value);

    /// <summary>Decodes a plaintext made by <see cref="Encode(object)"/>.</summary>
    /// <param name="plaintext">The bytes.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FieldEncryptionException">The bytes are not a valid encoding of the type (length or range); the message never contains them.</exception>
    public abstract object Decode(ReadOnlySpan<byte> plaintext);

    /// <summary>
    /// Returns the bytes a blind index is computed over: the encoding of the value, except where the type's equality
    /// ignores part of it (the <see cref="DateTime.Kind"/> of a <see cref="DateTime"/>, the offset of a
    /// <see cref="DateTimeOffset"/>, the trailing zeros of a <see cref="decimal"/>), which the index leaves out too.
    /// The caller zeroes the returned buffer.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The index input.</returns>
    public virtual byte[] EncodeForIndex(object value) => Encode(value);

    /// <summary>Whether a stored value equals a searched one, with the type's own equality (what <c>==</c> says).</summary>
    /// <param name="stored">The decrypted value.</param>
    /// <param name="searched">The searched value.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public virtual bool SearchEquals(object stored, object searched) => stored.Equals(searched);

    /// <summary>Whether two values have the same encoding, so a value that did not change needs no new ciphertext.</summary>
    /// <param name="a">A value.</param>
    /// <param name="b">Another value.</param>
    /// <returns><see langword="true"/> when both encode to the same bytes.</returns>
    public virtual bool SameEncoding(object a, object b)
    {
        byte[] left = Encode(a);
        byte[] right = Encode(b);
        try
        {
            return left.AsSpan().SequenceEqual(right);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(left);
            CryptographicOperations.ZeroMemory(right);
        }
    }

    /// <summary>Returns what to remember of a value to detect a later change: the value itself, or a copy of a mutable array.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The snapshot.</returns>
    public virtual object Snapshot(object value) => value;

    /// <summary>Formats a type as C# spells it, for messages: <c>float</c>, <c>int?</c>, <c>List&lt;string&gt;</c>.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    public static string Describe(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is Type underlying)
        {
            return Describe(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Describe(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        string? keyword = Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Byte => "byte",
            TypeCode.SByte => "sbyte",
            TypeCode.Char => "char",
            TypeCode.Int16 => "short",
            TypeCode.UInt16 => "ushort",
            TypeCode.Int32 => "int",
            TypeCode.UInt32 => "uint",
            TypeCode.Int64 => "long",
            TypeCode.UInt64 => "ulong",
            TypeCode.Single => "float",
            TypeCode.Double => "double",
            TypeCode.Decimal => "decimal",
            TypeCode.String => "string",
            _ => type == typeof(object) ? "object" : null,
        };
        if (keyword is not null && !type.IsEnum)
        {
            return keyword;
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? name : name[..tick]) + "<" + string.Join(", ", type.GetGenericArguments().Select(Describe)) + ">";
    }

    private static FieldEncryptionException Invalid(string type, string reason) =>
        new($"The decrypted bytes are not a valid {type} encoding: {reason}.");

    private static void WriteDecimal(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination.Slice(i * 4, 4), bits[i]);
        }

        bits.Clear();
    }

    private static decimal ReadDecimal(ReadOnlySpan<byte> source)
    {
        Span<int> bits = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32BigEndian(source.Slice(i * 4, 4));
        }

        try
        {
            return new decimal(bits);
        }
        catch (ArgumentException)
        {
            // The exception says nothing about the value, but its type would only tell "invalid flags".
            throw Invalid("decimal", "the flags word has bits other than the sign and a scale of 0 to 28");
        }
        finally
        {
            bits.Clear();
        }
    }

    /// <summary>Writes the decimal without its trailing fractional zeros (12.50 as 12.5, -0.0 as 0), so equal numbers index alike.</summary>
    private static void WithoutTrailingZeros(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        UInt128 mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        int scale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        if (mantissa == 0)
        {
            negative = false;
            scale = 0;
        }

        decimal canonical = new((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, (byte)scale);
        bits.Clear();
        WriteDecimal(canonical, destination);
    }

    private static DateOnly ReadDateOnly(ReadOnlySpan<byte> source)
    {
        int day = BinaryPrimitives.ReadInt32BigEndian(source);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber)
        {
            throw Invalid("DateOnly", "the day number is out of range");
        }

        return DateOnly.FromDayNumber(day);
    }

    private static TimeOnly ReadTimeOnly(ReadOnlySpan<byte> source)
    {
        long ticks = BinaryPrimitives.ReadInt64BigEndian(source);
        if (ticks < TimeOnly.MinValue.Ticks || ticks > TimeOnly.MaxValue.Ticks)
        {
            throw Invalid("TimeOnly", "the ticks are out of range");
        }

        return new TimeOnly(ticks);
    }

    private static void WriteDateTime(DateTime value, Span<byte> destination)
    {
        destination[0] = value.Kind switch
        {
            DateTimeKind.Unspecified => 0,
            DateTimeKind.Utc => 1,
            DateTimeKind.Local => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(value), "Unknown DateTimeKind."),
        };
        BinaryPrimitives.WriteInt64BigEndian(destination.Slice(1), value.Ticks);
    }

    private static DateTime ReadDateTime(ReadOnlySpan<byte> source)
    {
        DateTimeKind kind = source[0] switch
        {
            0 => DateTimeKind.Unspecified,
            1 => DateTimeKind.Utc,
            2 => DateTimeKind.Local,
            _ => throw Invalid("DateTime", "the kind byte is not 0, 1 or 2"),
        };
        long ticks = BinaryPrimitives.ReadInt64BigEndian(source.Slice(1));
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            throw Invalid("DateTime", "the ticks are out of range");
        }

        return new DateTime(ticks, kind);
    }

    private static void WriteDateTimeOffset(DateTimeOffset value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, value.UtcTicks);
        BinaryPrimitives.WriteInt16BigEndian(destination.Slice(8), checked((short)value.TotalOffsetMinutes));
    }

    private static DateTimeOffset ReadDateTimeOffset(ReadOnlySpan<byte> source)
    {
        long utcTicks = BinaryPrimitives.ReadInt64BigEndian(source);
        short minutes = BinaryPrimitives.ReadInt16BigEndian(source.Slice(8));
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks || minutes < -14 * 60 || minutes > 14 * 60)
        {
            throw Invalid("DateTimeOffset", "the UTC ticks or the offset are out of range");
        }

        long localTicks = utcTicks + (minutes * TimeSpan.TicksPerMinute);
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            throw Invalid("DateTimeOffset", "the local time is out of range");
        }

        return new DateTimeOffset(localTicks, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>A value type of fixed encoded length.</summary>
    private sealed class FixedCodec<T> : EncryptedValueCodec
        where T : struct
    {
        private readonly int _length;
        private readonly Writer<T> _write;
        private readonly Reader<T> _read;
        private readonly int _indexLength;
        private readonly Writer<T> _indexForm;

        public FixedCodec(string typeName, string contextPart, int length, Writer<T> write, Reader<T> read, string? blindIndexRefusal = null, int? indexLength = null, Writer<T>? indexForm = null)
        {
            TypeName = typeName;
            ContextPart = contextPart;
            _length = length;
            _write = write;
            _read = read;
            BlindIndexRefusal = blindIndexRefusal;
            _indexLength = indexLength ?? length;
            _indexForm = indexForm ?? write;
        }

        public override string TypeName { get; }

        public override string? ContextPart { get; }

        public override string? BlindIndexRefusal { get; }

        public override byte[] Encode(object value)
        {
            var bytes = new byte[_length];
            _write((T)value, bytes);
            return bytes;
        }

        public override object Decode(ReadOnlySpan<byte> plaintext)
        {
            if (plaintext.Length != _length)
            {
                throw Invalid(TypeName, string.Create(CultureInfo.InvariantCulture, $"it is {plaintext.Length} bytes long, and a {TypeName} is encoded in {_length}"));
            }

            return _read(plaintext);
        }

        public override byte[] EncodeForIndex(object value)
        {
            var bytes = new byte[_indexLength];
            _indexForm((T)value, bytes);
            return bytes;
        }
    }

    /// <summary>Text: UTF-8, as the integration always stored it; no context part, so values written before typed encodings existed decrypt.</summary>
    private sealed class StringCodec : EncryptedValueCodec
    {
        private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

        public override string TypeName => "string";

        public override string? ContextPart => null;

        public override byte[] Encode(object value)
        {
            try
            {
                return Strict.GetBytes((string)value);
            }
            catch (EncoderFallbackException)
            {
                // The fallback exception quotes the offending character: never pass it on.
                throw new ArgumentException("The value contains an unpaired surrogate and cannot be encoded as UTF-8.");
            }
        }

        public override object Decode(ReadOnlySpan<byte> plaintext)
        {
            try
            {
                return Strict.GetString(plaintext);
            }
            catch (DecoderFallbackException)
            {
                // The fallback exception quotes the offending bytes of the plaintext: never pass it on.
                throw new FieldEncryptionException("The decrypted bytes are not UTF-8 text.");
            }
        }

        public override bool SearchEquals(object stored, object searched) => string.Equals((string)stored, (string)searched, StringComparison.Ordinal);

        public override bool SameEncoding(object a, object b) => string.Equals((string)a, (string)b, StringComparison.Ordinal);
    }

    /// <summary>Bytes: stored as they are.</summary>
    private sealed class BytesCodec : EncryptedValueCodec
    {
        public override string TypeName => "byte[]";

        public override string? ContextPart => "type:bytes";

        public override byte[] Encode(object value) => ((byte[])value).ToArray();

        public override object Decode(ReadOnlySpan<byte> plaintext) => plaintext.ToArray();

        public override bool SearchEquals(object stored, object searched) => ((byte[])stored).AsSpan().SequenceEqual((byte[])searched);

        public override bool SameEncoding(object a, object b) => ((byte[])a).AsSpan().SequenceEqual((byte[])b);

        // The application may change the array in place: remember a copy.
        public override object Snapshot(object value) => ((byte[])value).ToArray();
    }

    /// <summary>An enum: its underlying integral value widened to a 64-bit integer (unsigned types reinterpreted, so ulong keeps all its values).</summary>
    private sealed class EnumCodec : EncryptedValueCodec
    {
        private readonly Type _enumType;
        private readonly TypeCode _underlying;
        private readonly int _namedValues;

        private EnumCodec(Type enumType, TypeCode underlying)
        {
            _enumType = enumType;
            _underlying = underlying;
            _namedValues = Enum.GetNames(enumType).Length;
        }

        public override string TypeName => "enum " + _enumType.Name;

        public override string? ContextPart => "type:enum";

        public override string? BlindIndexRefusal =>
            "an enum has few distinct values (" + _enumType.Name + " names " + _namedValues.ToString(CultureInfo.InvariantCulture) + "), " + FewValues;

        public static EnumCodec? TryCreate(Type enumType) =>
            Type.GetTypeCode(Enum.GetUnderlyingType(enumType)) is var code && code is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16
                or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64
                ? new EnumCodec(enumType, code)
                : null;

        public override byte[] Encode(object value)
        {
            long wide = _underlying is TypeCode.Byte or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64
                ? unchecked((long)Convert.ToUInt64(value, CultureInfo.InvariantCulture))
                : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, wide);
            return bytes;
        }

        public override object Decode(ReadOnlySpan<byte> plaintext)
        {
            if (plaintext.Length != 8)
            {
                throw Invalid(TypeName, string.Create(CultureInfo.InvariantCulture, $"it is {plaintext.Length} bytes long, and an enum is encoded in 8"));
            }

            long wide = BinaryPrimitives.ReadInt64BigEndian(plaintext);
            ulong unsigned = unchecked((ulong)wide);
            bool inRange = _underlying switch
            {
                TypeCode.SByte => wide is >= sbyte.MinValue and <= sbyte.MaxValue,
                TypeCode.Int16 => wide is >= short.MinValue and <= short.MaxValue,
                TypeCode.Int32 => wide is >= int.MinValue and <= int.MaxValue,
                TypeCode.Int64 => true,
                TypeCode.Byte => unsigned <= byte.MaxValue,
                TypeCode.UInt16 => unsigned <= ushort.MaxValue,
                TypeCode.UInt32 => unsigned <= uint.MaxValue,
                _ => true,
            };
            if (!inRange)
            {
                throw Invalid(TypeName, "the value is out of the range of the enum's underlying type");
            }

            return _underlying is TypeCode.Byte or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64
                ? Enum.ToObject(_enumType, unsigned)
                : Enum.ToObject(_enumType, wide);
        }
    }
}
