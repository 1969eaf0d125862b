using System;
using System.Linq;
using HipaaAnalyzers.Phi;
using Xunit;

namespace HipaaAnalyzers.Tests.Vocabulary;

/// <summary>How identifiers split into words, and the last word found from the end.</summary>
public class IdentifierWordsTests
{
    [Theory]
    [InlineData("PatientService", "patient,service")]
    [InlineData("PatientSSN", "patient,ssn")]
    [InlineData("SSNNumber", "ssn,number")]
    [InlineData("date_of_birth", "date,of,birth")]
    [InlineData("m_ssn", "ssn")]
    [InlineData("Patients_API", "patients,api")]
    [InlineData("Address2Line", "address,2,line")]
    [InlineData("_", "")]
    public void Splits_identifiers_into_lower_case_words(string identifier, string expected) =>
        Assert.Equal(expected, string.Join(",", IdentifierWords.Split(identifier)));

    [Fact]
    public void The_last_word_is_the_last_word_of_the_split()
    {
        // Every identifier of up to four characters over an alphabet that has each kind of boundary.
        const string alphabet = "aAzZ1_";
        var identifiers = new[] { string.Empty }.AsEnumerable();
        for (int length = 0; length < 4; length++)
        {
            identifiers = identifiers.Concat(identifiers.Where(i => i.Length == length).SelectMany(i => alphabet.Select(c => i + c)).ToList());
        }

        int checkedCount = 0;
        foreach (var identifier in identifiers.Concat(new[] { "PatientService", "SSNNumber", "Patients_API", "HTTPClient__", "PHIAuditLog2" }))
        {
            var words = IdentifierWords.Split(identifier);
            Assert.Equal(words.Length == 0 ? null : words[words.Length - 1], IdentifierWords.LastWord(identifier));
            checkedCount++;
        }

        Assert.True(checkedCount > 1500, checkedCount.ToString());
    }

    [Fact]
    public void The_last_word_is_found_in_a_word_set_as_its_lower_case_form_is()
    {
        var set = new IdentifierWords.WordSet(new[] { "service", "api", "z", "za", "zaz", "1", "2line" });
        var identifiers = new[] { string.Empty }.AsEnumerable();
        const string alphabet = "aAzZ1_";
        for (int length = 0; length < 4; length++)
        {
            identifiers = identifiers.Concat(identifiers.Where(i => i.Length == length).SelectMany(i => alphabet.Select(c => i + c)).ToList());
        }

        var named = new[]
        {
            "PatientService", "PATIENTSERVICE", "Patients_API", "Address2Line", "PatientServices", "ServiceX", "Patient\u00c7Service",
            "PatientSERVİCE", "PatientServıce", "Kelvin\u212aService", "\u00dcberService", "Patient\u00e9", "Servic\u00e9",
        }.Select(System.Text.RegularExpressions.Regex.Unescape);
        foreach (var identifier in identifiers.Concat(named))
        {
            var last = IdentifierWords.LastWord(identifier);
            Assert.True((last is not null && set.Contains(last)) == IdentifierWords.LastWordIsOneOf(identifier, set), identifier);
        }

        Assert.True(IdentifierWords.LastWordIsOneOf("PatientService", set));
        Assert.False(IdentifierWords.LastWordIsOneOf("PatientServices", set));
    }

    [Theory]
    [InlineData("Service")]
    [InlineData("")]
    [InlineData("servic\u00e9")]
    public void A_word_set_takes_only_lower_case_ascii_words(string word) =>
        Assert.Throws<ArgumentException>(() => new IdentifierWords.WordSet(new[] { "api", System.Text.RegularExpressions.Regex.Unescape(word) }));
}
