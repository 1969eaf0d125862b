using System;
using System.Collections.Generic;

namespace HipaaAnalyzers.Corpus;

internal enum EntityKind
{
    /// <summary>A person: patient, member, subscriber. Names, contact details and identifiers are PHI.</summary>
    Person,

    /// <summary>Clinical data about a patient: diagnoses, medications, results.</summary>
    Clinical,

    /// <summary>Claims, invoices and payments: member ids, policy numbers, dates of service.</summary>
    Financial,

    /// <summary>Supplies, rooms, devices, shifts: no PHI.</summary>
    Operational,
}

internal enum PhiKind
{
    None,

    /// <summary>PHI by its name wherever it is (Ssn, DateOfBirth, Diagnosis).</summary>
    Strong,

    /// <summary>PHI by its name inside a person or PHI-carrying type (FirstName, Email, Phone).</summary>
    Weak,

    /// <summary>PHI only because it is marked [Phi] (Notes, Reason).</summary>
    TaggedOnly,
}

internal enum ValueKind
{
    Text,
    OptionalText,
    Integer,
    Money,
    Date,
    Timestamp,
    OptionalTimestamp,
    TextList,
}

internal sealed record PropertyTemplate(string Name, ValueKind Value, PhiKind Phi);

internal sealed record DomainTemplate(string Entity, string Plural, EntityKind Kind, string[] Statuses);

/// <summary>The words the generated code is made of: clinic domains, their properties, and names for everything else.</summary>
internal static class Vocabulary
{
    public static readonly DomainTemplate[] Domains =
    {
        new("Patient", "Patients", EntityKind.Person, new[] { "Registered", "Active", "Inactive", "Deceased", "Merged" }),
        new("Member", "Members", EntityKind.Person, new[] { "Pending", "Enrolled", "Suspended", "Terminated" }),
        new("Subscriber", "Subscribers", EntityKind.Person, new[] { "Prospect", "Active", "Lapsed", "Cancelled" }),
        new("Guarantor", "Guarantors", EntityKind.Person, new[] { "Unverified", "Verified", "Delinquent", "Closed" }),
        new("Caregiver", "Caregivers", EntityKind.Person, new[] { "Invited", "Active", "Revoked" }),
        new("Enrollee", "Enrollees", EntityKind.Person, new[] { "Applied", "Enrolled", "Disenrolled" }),
        new("Donor", "Donors", EntityKind.Person, new[] { "Screening", "Eligible", "Deferred", "Retired" }),
        new("Appointment", "Appointments", EntityKind.Clinical, new[] { "Scheduled", "CheckedIn", "InProgress", "Completed", "Cancelled", "NoShow" }),
        new("Encounter", "Encounters", EntityKind.Clinical, new[] { "Planned", "Arrived", "InProgress", "Finished", "Cancelled" }),
        new("MedicationOrder", "MedicationOrders", EntityKind.Clinical, new[] { "Draft", "Active", "OnHold", "Completed", "Stopped" }),
        new("LabOrder", "LabOrders", EntityKind.Clinical, new[] { "Ordered", "Collected", "InLab", "Resulted", "Cancelled" }),
        new("Immunization", "Immunizations", EntityKind.Clinical, new[] { "Scheduled", "Administered", "Declined", "NotDone" }),
        new("AllergyRecord", "AllergyRecords", EntityKind.Clinical, new[] { "Unconfirmed", "Confirmed", "Refuted", "Resolved" }),
        new("Referral", "Referrals", EntityKind.Clinical, new[] { "Draft", "Sent", "Accepted", "Declined", "Closed" }),
        new("CarePlan", "CarePlans", EntityKind.Clinical, new[] { "Draft", "Active", "OnHold", "Revoked", "Completed" }),
        new("Admission", "Admissions", EntityKind.Clinical, new[] { "Pending", "Admitted", "Transferred", "Discharged" }),
        new("ImagingStudy", "ImagingStudies", EntityKind.Clinical, new[] { "Registered", "Available", "Cancelled" }),
        new("VitalsReading", "VitalsReadings", EntityKind.Clinical, new[] { "Preliminary", "Final", "Amended" }),
        new("TreatmentEpisode", "TreatmentEpisodes", EntityKind.Clinical, new[] { "Planned", "Active", "Finished" }),
        new("Claim", "Claims", EntityKind.Financial, new[] { "Draft", "Submitted", "Adjudicated", "Paid", "Denied", "Appealed" }),
        new("Invoice", "Invoices", EntityKind.Financial, new[] { "Draft", "Issued", "PartiallyPaid", "Paid", "Void" }),
        new("Payment", "Payments", EntityKind.Financial, new[] { "Pending", "Settled", "Failed", "Refunded" }),
        new("PriorAuthorization", "PriorAuthorizations", EntityKind.Financial, new[] { "Requested", "Approved", "Denied", "Expired" }),
        new("CoverageCheck", "CoverageChecks", EntityKind.Financial, new[] { "Queued", "Verified", "Rejected" }),
        new("BillingStatement", "BillingStatements", EntityKind.Financial, new[] { "Open", "Sent", "Closed" }),
        new("InventoryItem", "InventoryItems", EntityKind.Operational, new[] { "InStock", "Low", "Backordered", "Discontinued" }),
        new("Device", "Devices", EntityKind.Operational, new[] { "Available", "InUse", "Maintenance", "Retired" }),
        new("StaffShift", "StaffShifts", EntityKind.Operational, new[] { "Planned", "Published", "Swapped", "Closed" }),
        new("ExamRoom", "ExamRooms", EntityKind.Operational, new[] { "Available", "Occupied", "Cleaning", "OutOfService" }),
        new("PurchaseOrder", "PurchaseOrders", EntityKind.Operational, new[] { "Draft", "Submitted", "Received", "Cancelled" }),
        new("MaintenanceTicket", "MaintenanceTickets", EntityKind.Operational, new[] { "Open", "Assigned", "Resolved", "Closed" }),
        new("TrainingCourse", "TrainingCourses", EntityKind.Operational, new[] { "Draft", "Published", "Archived" }),
    };

    public static readonly string[] Sites =
    {
        "Cardiology", "Oncology", "Pediatrics", "Radiology", "Emergency", "Outpatient", "Telehealth", "Orthopedics",
        "Neurology", "Dermatology", "Maternity", "Pharmacy", "Laboratory", "Intake", "Rehabilitation", "BehavioralHealth",
        "Dental", "Ophthalmology", "UrgentCare", "HomeCare", "Hospice", "Research", "OccupationalHealth", "SportsMedicine",
        "Nephrology", "Pulmonology", "Endocrinology", "Geriatrics", "Transplant", "Wellness",
    };

    public static readonly Dictionary<EntityKind, PropertyTemplate[]> Properties = new()
    {
        [EntityKind.Person] = new[]
        {
            new PropertyTemplate("MedicalRecordNumber", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("Ssn", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("FirstName", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("LastName", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("MiddleName", ValueKind.OptionalText, PhiKind.Weak),
            new PropertyTemplate("DateOfBirth", ValueKind.Date, PhiKind.Strong),
            new PropertyTemplate("Email", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("Phone", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("StreetAddress", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("City", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("ZipCode", ValueKind.Text, PhiKind.Weak),
            new PropertyTemplate("InsuranceMemberId", ValueKind.OptionalText, PhiKind.Strong),
            new PropertyTemplate("PreferredLanguage", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("MaritalStatus", ValueKind.OptionalText, PhiKind.None),
            new PropertyTemplate("EmergencyContactPhone", ValueKind.OptionalText, PhiKind.Weak),
            new PropertyTemplate("Notes", ValueKind.OptionalText, PhiKind.TaggedOnly),
            new PropertyTemplate("Allergies", ValueKind.TextList, PhiKind.Strong),
            new PropertyTemplate("VisitCount", ValueKind.Integer, PhiKind.None),
            new PropertyTemplate("Balance", ValueKind.Money, PhiKind.None),
            new PropertyTemplate("LastSeenAt", ValueKind.OptionalTimestamp, PhiKind.None),
        },
        [EntityKind.Clinical] = new[]
        {
            new PropertyTemplate("Diagnosis", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("IcdCode", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("ProcedureCode", ValueKind.OptionalText, PhiKind.Strong),
            new PropertyTemplate("ScheduledAt", ValueKind.Timestamp, PhiKind.None),
            new PropertyTemplate("ProviderName", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("Room", ValueKind.OptionalText, PhiKind.None),
            new PropertyTemplate("DurationMinutes", ValueKind.Integer, PhiKind.None),
            new PropertyTemplate("ChiefComplaint", ValueKind.OptionalText, PhiKind.TaggedOnly),
            new PropertyTemplate("Medication", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("Dosage", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("TestResult", ValueKind.OptionalText, PhiKind.Strong),
            new PropertyTemplate("ClinicalNotes", ValueKind.OptionalText, PhiKind.Strong),
            new PropertyTemplate("Priority", ValueKind.Integer, PhiKind.None),
            new PropertyTemplate("OrderedBy", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("Reason", ValueKind.OptionalText, PhiKind.TaggedOnly),
            new PropertyTemplate("CompletedAt", ValueKind.OptionalTimestamp, PhiKind.None),
            new PropertyTemplate("Department", ValueKind.Text, PhiKind.None),
        },
        [EntityKind.Financial] = new[]
        {
            new PropertyTemplate("ClaimNumber", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("MemberId", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("PolicyNumber", ValueKind.Text, PhiKind.Strong),
            new PropertyTemplate("Amount", ValueKind.Money, PhiKind.None),
            new PropertyTemplate("Currency", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("ServiceDate", ValueKind.Date, PhiKind.Strong),
            new PropertyTemplate("PayerName", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("DueDate", ValueKind.Date, PhiKind.None),
            new PropertyTemplate("PaidAt", ValueKind.OptionalTimestamp, PhiKind.None),
            new PropertyTemplate("Reference", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("DenialReason", ValueKind.OptionalText, PhiKind.None),
            new PropertyTemplate("LineCount", ValueKind.Integer, PhiKind.None),
        },
        [EntityKind.Operational] = new[]
        {
            new PropertyTemplate("Sku", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("Name", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("Quantity", ValueKind.Integer, PhiKind.None),
            new PropertyTemplate("UnitPrice", ValueKind.Money, PhiKind.None),
            new PropertyTemplate("Category", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("Location", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("ReorderLevel", ValueKind.Integer, PhiKind.None),
            new PropertyTemplate("SerialNumber", ValueKind.OptionalText, PhiKind.None),
            new PropertyTemplate("LastServicedAt", ValueKind.OptionalTimestamp, PhiKind.None),
            new PropertyTemplate("AssignedTo", ValueKind.OptionalText, PhiKind.None),
            new PropertyTemplate("Vendor", ValueKind.Text, PhiKind.None),
            new PropertyTemplate("Notes", ValueKind.OptionalText, PhiKind.None),
        },
    };

    public static readonly string[] JobWords = { "Reminder", "Reconciliation", "Cleanup", "Export", "Sync", "Digest", "Escalation" };

    public static readonly string[] PartnerWords = { "Payer", "Lab", "Pharmacy", "Registry", "Imaging", "Exchange", "Eligibility", "Fax" };

    public static readonly string[] Policies = { "ClinicalStaff", "FrontDesk", "Billing", "Physicians", "Nurses", "Administrators", "CareTeam" };

    public static readonly string[] Verbs = { "Loaded", "Fetched", "Read", "Resolved", "Found" };

    public static readonly string[] Outcomes = { "completed", "finished", "done", "succeeded" };

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    public static string Kebab(string name)
    {
        var chars = new List<char>(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                chars.Add('-');
            }

            chars.Add(char.ToLowerInvariant(name[i]));
        }

        return new string(chars.ToArray());
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;
}
