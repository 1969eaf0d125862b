using HipaaAnalyzers.AspNetCore;
using Xunit;

namespace HipaaAnalyzers.Tests.AspNetCore;

public class AuditModelTests
{
    /// <summary>
    /// The audit model's first look at every identifier of a callee compares ASCII names in place; it must answer as a
    /// case-insensitive search for "udit" does, for names with letters beyond ASCII too.
    /// </summary>
    [Fact]
    public void The_audit_word_test_answers_as_a_search_ignoring_case()
    {
        // Pieces that make the word, parts of it and near misses in every case.
        string[] pieces = { "u", "U", "d", "D", "i", "I", "t", "T", "\u0131", "\u00e9", "udit", "UDIT", "uDiT", "ud\u0131t", "udi", "A", "_", "9" };
        var random = new System.Random(20261207);
        int matched = 0;
        for (int round = 0; round < 50_000; round++)
        {
            var name = new System.Text.StringBuilder();
            for (int i = random.Next(0, 6); i > 0; i--)
            {
                name.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = name.ToString();
            bool expected = text.IndexOf("udit", System.StringComparison.OrdinalIgnoreCase) >= 0;
            matched += expected ? 1 : 0;
            Assert.True(expected == AuditModel.SaysAudit(text), text);
        }

        Assert.True(matched > 5_000, "too few names contain the word: " + matched);
        Assert.True(AuditModel.SaysAudit("IAuditLog") && AuditModel.SaysAudit("_AUDITtrail") && !AuditModel.SaysAudit("Audi"));
    }
}
