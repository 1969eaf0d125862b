namespace HipaaAnalyzers.Phi;

/// <summary>
/// Built-in name lists, from the HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)) and common clinical data.
/// Each entry is "phrase=label"; the label says which identifier it stands for.
/// </summary>
internal static class PhiNameDefaults
{
    /// <summary>Names that are PHI wherever they appear.</summary>
    public const string Strong =
        "ssn=social security number, social security=social security number, social security number=social security number, " +
        "social insurance number=social security number, " +
        "mrn=medical record number, medical record=medical record number, medical record number=medical record number, " +
        "chart number=medical record number, " +
        "dob=date of birth, date of birth=date of birth, birth date=date of birth, birthdate=date of birth, birthday=date of birth, " +
        "date of death=date of death, death date=date of death, " +
        "admission date=admission date, admit date=admission date, admitted at=admission date, admitted on=admission date, " +
        "admission time=admission date, discharge date=discharge date, discharged at=discharge date, " +
        "discharged on=discharge date, date of service=date of service, service date=date of service, " +
        "visit date=date of service, encounter date=date of service, appointment date=date of service, " +
        "diagnosis=diagnosis, diagnoses=diagnosis, icd=diagnosis code, icd code=diagnosis code, icd10=diagnosis code, " +
        "procedure code=procedure code, cpt code=procedure code, " +
        "health plan id=health plan beneficiary number, health plan number=health plan beneficiary number, " +
        "beneficiary id=health plan beneficiary number, beneficiary number=health plan beneficiary number, " +
        "member id=health plan beneficiary number, member number=health plan beneficiary number, " +
        "subscriber id=health plan beneficiary number, medicare number=health plan beneficiary number, " +
        "medicaid id=health plan beneficiary number, insurance id=health plan beneficiary number, " +
        "insurance number=health plan beneficiary number, policy number=health plan beneficiary number, " +
        "prescription=prescription, prescriptions=prescription, rx number=prescription, " +
        "medication=medication, medications=medication, " +
        "lab result=lab result, lab results=lab result, test result=lab result, " +
        "allergy=allergy, allergies=allergy, medical history=medical history, clinical note=clinical note, " +
        "clinical notes=clinical note, progress note=clinical note, treatment plan=treatment, " +
        "prescription number=prescription, national id=national identifier, national identifier=national identifier, " +
        "national identification number=national identifier, " +
        "nhs number=health plan beneficiary number, health card=health plan beneficiary number, " +
        "health card number=health plan beneficiary number, mbi=health plan beneficiary number, " +
        "chi number=health plan beneficiary number, personal health number=health plan beneficiary number, " +
        "phn=health plan beneficiary number, medicare id=health plan beneficiary number, " +
        "medicaid number=health plan beneficiary number, aadhaar=national identifier, aadhar=national identifier, " +
        "cpf=national identifier, bsn=national identifier, nir=national identifier, tc kimlik=national identifier, " +
        "kimlik no=national identifier, egn=national identifier, pesel=national identifier, " +
        "passport id=passport number, driver licence=license number, drivers licence=license number, " +
        "driving licence=license number, " +
        "chief complaint=chief complaint, presenting complaint=chief complaint, reason for visit=reason for visit, " +
        "visit reason=reason for visit, symptom=symptom, symptoms=symptom, consultation note=clinical note, " +
        "consultation notes=clinical note, progress notes=clinical note, medical note=clinical note, " +
        "medical notes=clinical note, nursing note=clinical note, nursing notes=clinical note, soap note=clinical note, " +
        "allergen=allergy, immunization=immunization, immunizations=immunization, vaccination=immunization, " +
        "blood type=blood type, blood group=blood type, emergency contact=emergency contact, next of kin=next of kin, " +
        "passport number=passport number, driver license=license number, drivers license=license number, " +
        "driving license=license number, biometric=biometric identifier, genetic=genetic information, " +
        "genome=genetic information";

    /// <summary>Names that are PHI only inside a PHI-carrying type or a type named like a person.</summary>
    public const string Weak =
        "name=person name, surname=person name, " +
        "email=email address, e mail=email address, mail=email address, " +
        "phone=telephone number, telephone=telephone number, mobile=telephone number, cell phone=telephone number, " +
        "fax=fax number, " +
        "address=geographic subdivision, street=geographic subdivision, city=geographic subdivision, " +
        "county=geographic subdivision, zip=geographic subdivision, zip code=geographic subdivision, " +
        "postal code=geographic subdivision, postcode=geographic subdivision, " +
        "ip address=IP address, " +
        "device serial=device identifier, serial number=device identifier, device id=device identifier, " +
        "vin=vehicle identifier, license plate=vehicle identifier, vehicle id=vehicle identifier, " +
        "license number=license number, certificate number=certificate number, account number=account number, " +
        "identification number=national identifier, identity number=national identifier, id number=national identifier, " +
        "photo=full-face photograph, fingerprint=biometric identifier, web url=URL, homepage=URL";

    /// <summary>Words that make a type "about a person", where weak names count.</summary>
    public const string PersonTypeWords =
        "patient, member, beneficiary, subscriber, guarantor, person, enrollee, insured, policyholder, dependent, " +
        "guardian, caregiver, resident, individual, applicant, claimant, donor, recipient, participant";

    /// <summary>
    /// Words that make a type about someone or something other than a patient: staff, whose names and identifiers
    /// are workforce data, and catalog entries such as drug products and specialties. A word of
    /// <see cref="PersonTypeWords"/> that names a patient (Patient, Beneficiary, Guarantor) in the same name wins.
    /// </summary>
    public const string NonPatientTypeWords =
        "doctor, physician, nurse, practitioner, clinician, provider, employee, staff, personnel, therapist, pharmacist, " +
        "technician, receptionist, surgeon, dentist, specialist, admin, administrator, worker, consultant, " +
        "product, drug, catalog, catalogue, inventory, specialty, speciality, department, manufacturer, supplier, vendor, " +
        "brand, hospital, clinic, pharmacy, laboratory, insurer, payer";

    /// <summary>
    /// Labels of names that say who someone is rather than what their health is: PHI for a patient, workforce or
    /// catalog data for anyone else. Weak names (name, email, address ...) are always of this kind.
    /// </summary>
    public const string IdentityLabels =
        "social security number, date of birth, date of death, national identifier, health plan beneficiary number, medical record number, " +
        "passport number, license number, biometric identifier, certificate number, account number, emergency contact, next of kin";

    /// <summary>
    /// Words that, after a PHI name, turn it into something else: a count, a label, a pattern, a protected form.
    /// "SsnLength", "DiagnosisCount", "DateOfBirthFormat" and "SsnHash" are not PHI.
    /// </summary>
    public const string NeutralWords =
        "id, ids, guid, uuid, count, counts, length, size, total, type, kind, format, formats, regex, pattern, label, prompt, placeholder, " +
        "hint, header, column, field, required, enabled, valid, validator, validation, service, repository, provider, " +
        "client, sender, handler, factory, options, settings, config, template, url, uri, path, route, endpoint, " +
        "status, hash, hashed, hmac, index, encrypted, cipher, ciphertext, token, redacted, masked, mask, " +
        "pseudonym, pseudonymized, exists, present, provided, error, errors, message, exception, attempts, version, " +
        "schema, table, sort, filter, changed, modified, updated, mode, key, keys, price, prices, cost, costs";

    /// <summary>
    /// Words that, before a weak name, make it the name or address of a thing or of staff, not of a patient:
    /// "propertyName", "fileName", "serverAddress", "fromEmail" (the clinic's sender), "userName", "wardName".
    /// </summary>
    public const string ThingWords =
        "member, property, method, type, file, event, class, table, host, machine, server, column, field, claim, role, " +
        "scheme, route, action, controller, app, application, service, queue, topic, key, header, parameter, param, " +
        "resource, tenant, database, db, schema, category, product, company, organization, org, department, facility, " +
        "hospital, clinic, practice, device, base, remote, local, endpoint, variable, assembly, namespace, module, " +
        "project, environment, cluster, node, bucket, container, blob, job, task, step, stage, feature, test, smtp, " +
        "from, sender, reply, support, admin, noreply, vendor, tool, browser, culture, site, domain, proxy, gateway, " +
        "bind, listen, template, policy, plan, group, team, config, setting, attribute, element, tag, section, " +
        "user, staff, doctor, physician, nurse, clinician, practitioner, employee, operator, author, caller, login, " +
        "agent, reviewer, approver, signer, provider, ward, room, bed, unit, floor, building, location, insurer, payer, " +
        "brand, generic, trade, display, drug, specialty, speciality, manufacturer, supplier, operation, process, command, " +
        "query, request, activity, span, metric, counter, meter, channel, connection, entity, model, view, page, component, " +
        "workflow, report, insurance";
}
