using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests;

/// <summary>Every supported type on a real PostgreSQL: round trips, the stored bytes, the encodings, and blind index search.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TypedEncryptedColumnTests : IAsyncLifetime
{
    private static readonly TestKeys Keys = new();

    private readonly PostgresServer _server;
    private string _connectionString = "";

    public TypedEncryptedColumnTests(PostgresServer server) => _server = server;

    public async Task InitializeAsync()
    {
        _connectionString = _server.ConnectionString(_server.CreateDatabase("typed_columns"));
        await using RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString);
        await db.Database.EnsureCreatedAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_type_and_its_nullable_form_round_trip_at_their_minimum_maximum_and_edge_values_and_null()
    {
        PatientRecord[] records = [Minimum(), Maximum(), Edge()];
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            db.Records.AddRange(records);
            await db.SaveChangesAsync();
        }

        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            foreach (PatientRecord expected in records)
            {
                PatientRecord actual = await db.Records.AsNoTracking().SingleAsync(r => r.Id == expected.Id);
                AssertSame(expected, actual);
            }
        }

        // Nulls are stored as SQL NULL, without a ciphertext or an index.
        Guid minimum = records[0].Id;
        foreach (string column in new[] { "DateOfDeath_ciphertext", "DateOfDeath_bidx", "DischargedAt_ciphertext", "Copay_ciphertext", "Smoker_ciphertext", "DeviceId_bidx", "Triage_ciphertext", "Photo_ciphertext", "Notes_ciphertext" })
        {
            Assert.Null(await ReadColumnAsync(minimum, column));
        }

        // Tracked entities: a changed value is re-encrypted, an unchanged one is not, and a change of Kind, offset or
        // decimal scale (equal by ==, different values) is a change.
        byte[] balance = (await ReadColumnAsync(records[2].Id, "Balance_ciphertext"))!;
        byte[] admitted = (await ReadColumnAsync(records[2].Id, "AdmittedAt_ciphertext"))!;
        byte[] seen = (await ReadColumnAsync(records[2].Id, "SeenAt_ciphertext"))!;
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            PatientRecord tracked = await db.Records.SingleAsync(r => r.Id == records[2].Id);
            tracked.Label = "edge, relabelled";
            await db.SaveChangesAsync();
            Assert.Equal(balance, await ReadColumnAsync(tracked.Id, "Balance_ciphertext"));

            tracked.Balance = -1234.56m;                                             // == -1234.5600m, another scale
            tracked.AdmittedAt = DateTime.SpecifyKind(tracked.AdmittedAt, DateTimeKind.Utc);   // == the Local value, another Kind
            tracked.SeenAt = tracked.SeenAt.ToOffset(TimeSpan.Zero);                // == the same instant, another offset
            tracked.DateOfDeath = null;
            await db.SaveChangesAsync();
            Assert.NotEqual(balance, await ReadColumnAsync(tracked.Id, "Balance_ciphertext"));
            Assert.NotEqual(admitted, await ReadColumnAsync(tracked.Id, "AdmittedAt_ciphertext"));
            Assert.NotEqual(seen, await ReadColumnAsync(tracked.Id, "SeenAt_ciphertext"));
            Assert.Null(await ReadColumnAsync(tracked.Id, "DateOfDeath_ciphertext"));
        }

        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            PatientRecord read = await db.Records.AsNoTracking().SingleAsync(r => r.Id == records[2].Id);
            Assert.Equal(new[] { 123456, 0, 0, unchecked((int)0x80020000) }, decimal.GetBits(read.Balance));
            Assert.Equal(DateTimeKind.Utc, read.AdmittedAt.Kind);
            Assert.Equal(TimeSpan.Zero, read.SeenAt.Offset);
            Assert.Null(read.DateOfDeath);
        }
    }

    [Fact]
    public async Task The_stored_columns_hold_version_1_ciphertexts_of_the_documented_encodings_bound_to_table_column_row_and_type()
    {
        PatientRecord record = Edge();
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            db.Records.Add(record);
            await db.SaveChangesAsync();
        }

        // The documented plaintext encoding of each value, written out by hand from the table in efcore.md.
        var expected = new Dictionary<string, (string Type, byte[] Encoding)>
        {
            ["DateOfBirth"] = ("date", Int32(new DateOnly(1984, 3, 9).DayNumber)),
            ["DateOfDeath"] = ("date", Int32(new DateOnly(2024, 2, 29).DayNumber)),
            ["AdmittedAt"] = ("datetime", [2, .. Int64(record.AdmittedAt.Ticks)]),
            ["DischargedAt"] = ("datetime", [0, .. Int64(record.DischargedAt!.Value.Ticks)]),
            ["SeenAt"] = ("datetimeoffset", [.. Int64(record.SeenAt.UtcTicks), 0x01, 0x59]),            // +05:45 = 345 minutes
            ["NextVisitAt"] = ("datetimeoffset", [.. Int64(record.NextVisitAt!.Value.UtcTicks), 0xfd, 0xc6]), // -09:30 = -570 minutes
            ["PreferredCallTime"] = ("time", Int64(record.PreferredCallTime.Ticks)),
            ["MedicationTime"] = ("time", Int64(0)),
            ["ChartNumber"] = ("int32", Convert.FromHexString("ffffffff")),
            ["PreviousChartNumber"] = ("int32", Convert.FromHexString("00000000")),
            ["MedicalRecordNumber"] = ("int64", Convert.FromHexString("0102030405060708")),
            ["InsuranceMemberNumber"] = ("int64", Convert.FromHexString("ffffffffffffffff")),
            ["BedNumber"] = ("int16", Convert.FromHexString("ffff")),
            ["WardNumber"] = ("int16", Convert.FromHexString("7fff")),
            ["Balance"] = ("decimal", Convert.FromHexString("00bc6100" + "00000000" + "00000000" + "80040000")),   // -1234.5600: lo, mid, hi, flags
            ["Copay"] = ("decimal", Convert.FromHexString("00000000" + "00000000" + "00000000" + "80010000")),     // -0.0
            ["WeightKg"] = ("float64", Int64(BitConverter.DoubleToInt64Bits(double.NaN))),
            ["HeightCm"] = ("float64", Convert.FromHexString("8000000000000000")),                                // -0.0
            ["HivPositive"] = ("bool", [1]),
            ["Smoker"] = ("bool", [0]),
            ["NationalHealthId"] = ("uuid", Convert.FromHexString("00112233445566778899aabbccddeeff")),          // RFC 4122 order
            ["DeviceId"] = ("uuid", Convert.FromHexString("0190a5f27c1e7d3a9b4f2e6d8c0a1b35")),
            ["Sex"] = ("enum", Convert.FromHexString("00000000000000c8")),                                        // (Sex)200, undefined
            ["Triage"] = ("enum", Convert.FromHexString("ffffffffffffffff")),                                     // Triage.Deceased = -1
            ["Consent"] = ("enum", Convert.FromHexString("0000000000000003")),
            ["Fingerprint"] = ("bytes", [0]),
            ["Photo"] = ("bytes", []),
        };

        byte[] table = await ReadTableFileAsync();
        foreach ((string property, (string type, byte[] encoding)) in expected)
        {
            string column = property + "_ciphertext";
            byte[] stored = (await ReadColumnAsync(record.Id, column))!;
            Assert.Equal(0x01, stored[0]);
            Assert.Equal("enc-1", FieldEncryptor.ReadHeader(stored).KeyId);
            Assert.Equal(encoding.Length + 5 + 34, stored.Length);
            if (encoding.Length >= 4)
            {
                // Shorter encodings turn up in random bytes by chance; these do not.
                Assert.False(EncryptedColumnTests.Contains(stored, encoding), $"the plaintext encoding of {property} is in its column");
            }

            if (encoding.Length >= 4 && encoding.Count(b => b == 0) <= encoding.Length / 4 && encoding.Any(b => b != 0xff))
            {
                // The table file also holds page headers and free space (runs of zeros): only distinctive encodings are looked for.
                Assert.False(EncryptedColumnTests.Contains(table, encoding), $"the plaintext encoding of {property} is in the table file");
            }

            Assert.True(EncryptedColumnTests.Contains(table, stored), $"the table file should contain the ciphertext of {property}");

            // Decrypted with the documented context, (table, column, row key, type:<name>), the bytes are the encoding.
            EncryptionContext context = EncryptionContext.FromParts("Records", column, record.Id.ToString("D"), "type:" + type);
            Assert.Equal(encoding, Keys.Encryptor.Decrypt(stored, context));

            // Without the type part, or with another type, the ciphertext does not authenticate.
            Assert.Throws<CiphertextAuthenticationException>(() => Keys.Encryptor.Decrypt(stored, EncryptionContext.ForField("Records", column, record.Id.ToString("D"))));
            Assert.Throws<CiphertextAuthenticationException>(() => Keys.Encryptor.Decrypt(stored, EncryptionContext.FromParts("Records", column, record.Id.ToString("D"), type == "int32" ? "type:date" : "type:int32")));
        }

        // A string keeps the context it always had: no type part.
        byte[] notes = (await ReadColumnAsync(record.Id, "Notes_ciphertext"))!;
        Assert.Equal(Encoding.UTF8.GetBytes(record.Notes!), Keys.Encryptor.Decrypt(notes, EncryptionContext.ForField("Records", "Notes_ciphertext", record.Id.ToString("D"))));
    }

    [Fact]
    public async Task An_int_ciphertext_written_into_a_date_column_fails_authentication_instead_of_reading_as_a_date()
    {
        PatientRecord record = Edge();
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            db.Records.Add(record);
            await db.SaveChangesAsync();
        }

        // The same column, written by a model where DateOfBirth is an int: 4 bytes, like a date's day number.
        await using (RetypedRecordsDb retyped = Keys.CreateContext<RetypedRecordsDb>(_connectionString))
        {
            retyped.Records.Update(new RetypedRecord { Id = record.Id, DateOfBirth = 730_000 });
            await retyped.SaveChangesAsync();
        }

        byte[] stored = (await ReadColumnAsync(record.Id, "DateOfBirth_ciphertext"))!;
        Assert.Equal(Int32(730_000), Keys.Encryptor.Decrypt(stored, EncryptionContext.FromParts("Records", "DateOfBirth_ciphertext", record.Id.ToString("D"), "type:int32")));

        await using RecordsDb read = Keys.CreateContext<RecordsDb>(_connectionString);
        FieldEncryptionException error = await Assert.ThrowsAsync<FieldEncryptionException>(() => read.Records.SingleAsync(r => r.Id == record.Id));
        Assert.IsType<CiphertextAuthenticationException>(error.InnerException);
        Assert.Contains("PatientRecord.DateOfBirth", error.Message, StringComparison.Ordinal);
        Assert.Contains("Records.DateOfBirth_ciphertext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Equality_search_works_for_every_indexable_type_with_the_types_own_equality()
    {
        string marker = Guid.NewGuid().ToString("N");
        var records = new List<PatientRecord>();
        for (int i = 0; i < 12; i++)
        {
            PatientRecord record = Edge();
            record.Label = marker;
            record.DateOfBirth = new DateOnly(1950, 1, 1).AddDays(i * 37);
            record.DateOfDeath = i % 2 == 0 ? null : new DateOnly(2020, 1, 1).AddDays(i);
            record.AdmittedAt = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i);
            record.SeenAt = new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(i);
            record.ChartNumber = 1000 + i;
            record.PreviousChartNumber = i % 3 == 0 ? null : 500 + i;
            record.MedicalRecordNumber = 9_000_000_000L + i;
            record.BedNumber = (short)(200 + i);
            record.Balance = 10m + i;
            record.NationalHealthId = Guid.NewGuid();
            record.DeviceId = i % 2 == 0 ? null : Guid.NewGuid();
            record.Fingerprint = RandomNumberGenerator.GetBytes(32);
            records.Add(record);
        }

        // Rows 3 and 7 hold the same values, in different representations where the type allows one.
        PatientRecord three = records[3];
        PatientRecord seven = records[7];
        seven.DateOfBirth = three.DateOfBirth;
        seven.DateOfDeath = three.DateOfDeath = new DateOnly(2021, 6, 30);
        three.AdmittedAt = new DateTime(2023, 7, 4, 10, 30, 0, DateTimeKind.Utc);
        seven.AdmittedAt = DateTime.SpecifyKind(three.AdmittedAt, DateTimeKind.Unspecified);           // same ticks, another Kind
        three.SeenAt = new DateTimeOffset(2023, 7, 4, 12, 30, 0, TimeSpan.FromHours(2));
        seven.SeenAt = three.SeenAt.ToOffset(TimeSpan.FromHours(-5));                                  // same instant, another offset
        seven.ChartNumber = three.ChartNumber;
        seven.PreviousChartNumber = three.PreviousChartNumber = 777;
        seven.MedicalRecordNumber = three.MedicalRecordNumber;
        seven.BedNumber = three.BedNumber;
        three.Balance = 12.5m;
        seven.Balance = 12.50m;                                                                        // same number, another scale
        seven.NationalHealthId = three.NationalHealthId;
        seven.DeviceId = three.DeviceId = Guid.NewGuid();
        seven.Fingerprint = three.Fingerprint.ToArray();

        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            db.Records.AddRange(records);
            await db.SaveChangesAsync();
        }

        Guid[] pair = new[] { three.Id, seven.Id }.Order().ToArray();
        int logOffset = _server.ReadLog().Length;
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            async Task<Guid[]> Find(EncryptedEqualityQuery<PatientRecord> query) =>
                (await query.Where(r => r.Label == marker).AsNoTracking().ToListAsync()).Select(r => r.Id).Order().ToArray();

            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.DateOfBirth, three.DateOfBirth)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.DateOfDeath, new DateOnly(2021, 6, 30))));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.AdmittedAt, DateTime.SpecifyKind(three.AdmittedAt, DateTimeKind.Local))));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.SeenAt, three.SeenAt.ToOffset(TimeSpan.FromMinutes(345)))));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.ChartNumber, three.ChartNumber)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.PreviousChartNumber, 777)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.MedicalRecordNumber, three.MedicalRecordNumber)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.BedNumber, three.BedNumber)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.Balance, 12.500m)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.NationalHealthId, three.NationalHealthId)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.DeviceId, three.DeviceId!.Value)));
            Assert.Equal(pair, await Find(db.Records.WhereEncryptedEquals(r => r.Fingerprint, three.Fingerprint.ToArray())));

            // Each of the others finds its own row only; a value nobody has finds nothing.
            Assert.Equal(new[] { records[5].Id }, await Find(db.Records.WhereEncryptedEquals(r => r.Balance, records[5].Balance)));
            Assert.Equal(new[] { records[4].Id }, await Find(db.Records.WhereEncryptedEquals(r => r.MedicalRecordNumber, records[4].MedicalRecordNumber)));
            Assert.Empty(await Find(db.Records.WhereEncryptedEquals(r => r.DateOfBirth, new DateOnly(1900, 1, 1))));
            Assert.Empty(await Find(db.Records.WhereEncryptedEquals(r => r.Fingerprint, RandomNumberGenerator.GetBytes(32))));

            // The synchronous form.
            Assert.Equal(pair, db.Records.WhereEncryptedEquals(r => r.ChartNumber, three.ChartNumber).Where(r => r.Label == marker).ToList().Select(r => r.Id).Order());

            // Misuse is refused with a clear message.
            ArgumentException wrongType = Assert.Throws<ArgumentException>(() => db.Records.WhereEncryptedEquals<PatientRecord, object>(r => r.MedicalRecordNumber, 5));
            Assert.Contains("PatientRecord.MedicalRecordNumber is of type long; the searched value is of type int", wrongType.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentNullException>(() => db.Records.WhereEncryptedEquals(r => r.DeviceId, null));
            InvalidOperationException notIndexed = Assert.Throws<InvalidOperationException>(() => db.Records.WhereEncryptedEquals(r => r.InsuranceMemberNumber, 5L));
            Assert.Contains("PatientRecord.InsuranceMemberNumber has no blind index", notIndexed.Message, StringComparison.Ordinal);
        }

        string log = _server.ReadLogSince(logOffset);
        foreach (string index in new[] { "DateOfBirth", "AdmittedAt", "SeenAt", "ChartNumber", "MedicalRecordNumber", "BedNumber", "Balance", "NationalHealthId", "DeviceId", "Fingerprint" })
        {
            Assert.Contains($"\"{index}_bidx\" = $1", log, StringComparison.Ordinal);
        }

        // The database received indexes, not values: the encodings of the searched values are not in the log.
        foreach (byte[] encoding in new[] { Int64(three.MedicalRecordNumber), three.NationalHealthId.ToByteArray(bigEndian: true), three.Fingerprint })
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(encoding), log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_blind_index_of_a_typed_value_is_the_hmac_of_its_documented_index_input()
    {
        PatientRecord record = Edge();
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            db.Records.Add(record);
            await db.SaveChangesAsync();
        }

        var indexer = new BlindIndexer(Keys.Provider);
        byte[] Index(string property, byte[] input) =>
            indexer.ForColumn("Records", property + "_ciphertext", new BlindIndexDefinition(EncryptedAttribute.DefaultBlindIndexBits)).Compute(input);

        var inputs = new Dictionary<string, byte[]>
        {
            ["DateOfBirth"] = Int32(record.DateOfBirth.DayNumber),
            ["AdmittedAt"] = Int64(record.AdmittedAt.Ticks),                                    // the ticks, without the Kind
            ["SeenAt"] = Int64(record.SeenAt.UtcTicks),                                         // the UTC ticks, without the offset
            ["ChartNumber"] = Int32(record.ChartNumber),
            ["MedicalRecordNumber"] = Int64(record.MedicalRecordNumber),
            ["BedNumber"] = Convert.FromHexString("ffff"),
            ["Balance"] = Convert.FromHexString("0001e240" + "00000000" + "00000000" + "80020000"),   // -1234.5600 without its trailing zeros: -1234.56
            ["NationalHealthId"] = Convert.FromHexString("00112233445566778899aabbccddeeff"),
            ["DeviceId"] = Convert.FromHexString("0190a5f27c1e7d3a9b4f2e6d8c0a1b35"),
            ["Fingerprint"] = [0],
            ["PreviousChartNumber"] = Int32(0),
        };

        foreach ((string property, byte[] input) in inputs)
        {
            Assert.Equal(Index(property, input), await ReadColumnAsync(record.Id, property + "_bidx"));
        }
    }

    [Fact]
    public async Task A_value_whose_decrypted_bytes_are_not_a_valid_encoding_fails_with_a_message_without_the_bytes()
    {
        PatientRecord record = Edge();
        await using (RecordsDb db = Keys.CreateContext<RecordsDb>(_connectionString))
        {
            db.Records.Add(record);
            await db.SaveChangesAsync();
        }

        // A well-authenticated ciphertext of a 3-byte "date" (someone with the key wrote it by hand).
        byte[] forged = Keys.Encryptor.Encrypt([0xAB, 0xCD, 0xEF], EncryptionContext.FromParts("Records", "DateOfBirth_ciphertext", record.Id.ToString("D"), "type:date"));
        await using (NpgsqlConnection connection = await OpenAsync())
        {
            await using var command = new NpgsqlCommand("UPDATE \"Records\" SET \"DateOfBirth_ciphertext\" = @value WHERE \"Id\" = @id", connection);
            command.Parameters.AddWithValue("value", forged);
            command.Parameters.AddWithValue("id", record.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await using RecordsDb read = Keys.CreateContext<RecordsDb>(_connectionString);
        FieldEncryptionException error = await Assert.ThrowsAsync<FieldEncryptionException>(() => read.Records.SingleAsync(r => r.Id == record.Id));
        Assert.Equal(
            "The decrypted value of PatientRecord.DateOfBirth (column Records.DateOfBirth_ciphertext) cannot be read: The decrypted bytes are not a valid DateOnly " +
            "encoding: it is 3 bytes long, and a DateOnly is encoded in 4.",
            error.Message);
        Assert.DoesNotContain("abcdef", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Keys_the_application_assigns_a_HiLo_sequence_or_a_client_side_generator_produce_work_end_to_end()
    {
        string connectionString = _server.ConnectionString(_server.CreateDatabase("client_keys"));
        var assigned = new AssignedKeyVisit { Id = 42, VisitedOn = new DateOnly(2025, 11, 3) };
        var hilo = new HiLoVisit { Charge = 149.99m };
        var generated = new GeneratedKeyVisit { Score = -17 };
        await using (ClientKeysDb db = Keys.CreateContext<ClientKeysDb>(connectionString))
        {
            await db.Database.EnsureCreatedAsync();
            db.AddRange(assigned, hilo, generated);
            await db.SaveChangesAsync();
            Assert.NotEqual(0, hilo.Id);
            Assert.NotEqual(0, generated.Id);
        }

        await using (ClientKeysDb db = Keys.CreateContext<ClientKeysDb>(connectionString))
        {
            Assert.Equal(assigned.VisitedOn, (await db.AssignedKeyVisits.SingleAsync(v => v.Id == 42)).VisitedOn);
            Assert.Equal(42, Assert.Single(await db.AssignedKeyVisits.WhereEncryptedEquals(v => v.VisitedOn, new DateOnly(2025, 11, 3)).ToListAsync()).Id);
            Assert.Equal(149.99m, (await db.HiLoVisits.SingleAsync(v => v.Id == hilo.Id)).Charge);
            Assert.Equal(-17, (await db.GeneratedKeyVisits.SingleAsync(v => v.Id == generated.Id)).Score);
        }

        // Bound to the long key in invariant digits.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Score_ciphertext\" FROM \"GeneratedKeyVisits\" WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", generated.Id);
        byte[] stored = (byte[])(await command.ExecuteScalarAsync())!;
        Assert.Equal(Int32(-17), Keys.Encryptor.Decrypt(stored, EncryptionContext.FromParts(
            "GeneratedKeyVisits", "Score_ciphertext", generated.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "type:int32")));
    }

    internal static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    internal static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static PatientRecord Minimum() => new()
    {
        Label = "minimum",
        DateOfBirth = DateOnly.MinValue,
        AdmittedAt = DateTime.MinValue,
        SeenAt = DateTimeOffset.MinValue,
        PreferredCallTime = TimeOnly.MinValue,
        ChartNumber = int.MinValue,
        MedicalRecordNumber = long.MinValue,
        BedNumber = short.MinValue,
        Balance = decimal.MinValue,
        WeightKg = double.MinValue,
        HivPositive = false,
        NationalHealthId = Guid.Empty,
        Sex = Sex.Unknown,
        Consent = ConsentFlags.None,
        Fingerprint = [],
    };

    private static PatientRecord Maximum() => new()
    {
        Label = "maximum",
        DateOfBirth = DateOnly.MaxValue,
        DateOfDeath = DateOnly.MaxValue,
        AdmittedAt = DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
        DischargedAt = DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Local),
        SeenAt = DateTimeOffset.MaxValue,
        NextVisitAt = new DateTimeOffset(DateTime.MaxValue, TimeSpan.FromHours(14)),
        PreferredCallTime = TimeOnly.MaxValue,
        MedicationTime = TimeOnly.MaxValue,
        ChartNumber = int.MaxValue,
        PreviousChartNumber = int.MaxValue,
        MedicalRecordNumber = long.MaxValue,
        InsuranceMemberNumber = long.MaxValue,
        BedNumber = short.MaxValue,
        WardNumber = short.MaxValue,
        Balance = decimal.MaxValue,
        Copay = decimal.MaxValue,
        WeightKg = double.MaxValue,
        HeightCm = double.PositiveInfinity,
        HivPositive = true,
        Smoker = true,
        NationalHealthId = Guid.AllBitsSet,
        DeviceId = Guid.AllBitsSet,
        Sex = Sex.Other,
        Triage = Infrastructure.Triage.Minor,
        Consent = ConsentFlags.All,
        Fingerprint = RandomNumberGenerator.GetBytes(4096),
        Photo = RandomNumberGenerator.GetBytes(256 * 1024),
        Notes = "Ünïcödé, 日本語, emoji 🩺, and a NUL \0 inside",
    };

    private static PatientRecord Edge() => new()
    {
        Label = "edge",
        DateOfBirth = new DateOnly(1984, 3, 9),
        DateOfDeath = new DateOnly(2024, 2, 29),
        AdmittedAt = new DateTime(2025, 3, 30, 2, 30, 0, DateTimeKind.Local).AddTicks(1),
        DischargedAt = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(1_234_567),
        SeenAt = new DateTimeOffset(2025, 6, 1, 8, 15, 30, TimeSpan.FromMinutes(345)).AddTicks(7),
        NextVisitAt = new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(-570)),
        PreferredCallTime = new TimeOnly(13, 45, 7).Add(TimeSpan.FromTicks(99)),
        MedicationTime = TimeOnly.MinValue,
        ChartNumber = -1,
        PreviousChartNumber = 0,
        MedicalRecordNumber = 0x0102030405060708,
        InsuranceMemberNumber = -1,
        BedNumber = -1,
        WardNumber = short.MaxValue,
        Balance = -1234.5600m,
        Copay = new decimal(0, 0, 0, isNegative: true, scale: 1),
        WeightKg = double.NaN,
        HeightCm = -0.0,
        HivPositive = true,
        Smoker = false,
        NationalHealthId = new Guid("00112233-4455-6677-8899-aabbccddeeff"),
        DeviceId = new Guid("0190a5f2-7c1e-7d3a-9b4f-2e6d8c0a1b35"),
        Sex = (Sex)200,
        Triage = Infrastructure.Triage.Deceased,
        Consent = ConsentFlags.Research | ConsentFlags.Marketing,
        Fingerprint = [0],
        Photo = [],
        Notes = "",
    };

    /// <summary>Equal values and equal representations: the Kind, the offset, the decimal scale, the bits of a double.</summary>
    private static void AssertSame(PatientRecord expected, PatientRecord actual)
    {
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.DateOfBirth, actual.DateOfBirth);
        Assert.Equal(expected.DateOfDeath, actual.DateOfDeath);
        Assert.Equal((expected.AdmittedAt.Ticks, expected.AdmittedAt.Kind), (actual.AdmittedAt.Ticks, actual.AdmittedAt.Kind));
        Assert.Equal((expected.DischargedAt?.Ticks, expected.DischargedAt?.Kind), (actual.DischargedAt?.Ticks, actual.DischargedAt?.Kind));
        Assert.Equal((expected.SeenAt.UtcTicks, expected.SeenAt.Offset), (actual.SeenAt.UtcTicks, actual.SeenAt.Offset));
        Assert.Equal((expected.NextVisitAt?.UtcTicks, expected.NextVisitAt?.Offset), (actual.NextVisitAt?.UtcTicks, actual.NextVisitAt?.Offset));
        Assert.Equal(expected.PreferredCallTime, actual.PreferredCallTime);
        Assert.Equal(expected.MedicationTime, actual.MedicationTime);
        Assert.Equal(expected.ChartNumber, actual.ChartNumber);
        Assert.Equal(expected.PreviousChartNumber, actual.PreviousChartNumber);
        Assert.Equal(expected.MedicalRecordNumber, actual.MedicalRecordNumber);
        Assert.Equal(expected.InsuranceMemberNumber, actual.InsuranceMemberNumber);
        Assert.Equal(expected.BedNumber, actual.BedNumber);
        Assert.Equal(expected.WardNumber, actual.WardNumber);
        Assert.Equal(decimal.GetBits(expected.Balance), decimal.GetBits(actual.Balance));
        Assert.Equal(expected.Copay is { } copay ? decimal.GetBits(copay) : null, actual.Copay is { } actualCopay ? decimal.GetBits(actualCopay) : null);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.WeightKg), BitConverter.DoubleToInt64Bits(actual.WeightKg));
        Assert.Equal(expected.HeightCm is { } height ? BitConverter.DoubleToInt64Bits(height) : (long?)null, actual.HeightCm is { } actualHeight ? BitConverter.DoubleToInt64Bits(actualHeight) : (long?)null);
        Assert.Equal(expected.HivPositive, actual.HivPositive);
        Assert.Equal(expected.Smoker, actual.Smoker);
        Assert.Equal(expected.NationalHealthId, actual.NationalHealthId);
        Assert.Equal(expected.DeviceId, actual.DeviceId);
        Assert.Equal(expected.Sex, actual.Sex);
        Assert.Equal(expected.Triage, actual.Triage);
        Assert.Equal(expected.Consent, actual.Consent);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.Photo, actual.Photo);
        Assert.Equal(expected.Notes, actual.Notes);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<byte[]?> ReadColumnAsync(Guid id, string column)
    {
        await using NpgsqlConnection connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT \"{column}\" FROM \"Records\" WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", id);
        object? value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : (byte[]?)value;
    }

    /// <summary>The table's heap file, after a checkpoint (large values may be TOASTed elsewhere; the small ones are here).</summary>
    private async Task<byte[]> ReadTableFileAsync()
    {
        string relation;
        await using (NpgsqlConnection connection = await OpenAsync())
        {
            PostgresServer.Execute(connection, "CHECKPOINT");
            await using var command = new NpgsqlCommand("SELECT pg_relation_filepath('\"Records\"')", connection);
            relation = (string)(await command.ExecuteScalarAsync())!;
        }

        return _server.ReadDataFiles().Single(f => f.Path == relation).Bytes;
    }
}
