#!/usr/bin/env python3
"""Verify a HipaaAnalyzers audit log without .NET: the canonical form, the hash chain and the checkpoint signatures.

An independent implementation of docs/runtime/audit.md, using only the Python standard library and the openssl
command line (for ECDSA P-256 signature checks).

    python3 audit_verify.py audit.jsonl audit-signing-key.pub.pem [key-id]

key-id defaults to the id derived from the public key (p256- and 16 hex digits of SHA-256 over the DER public key).
Exit code 0: the log verifies; 1: it does not (the first broken line is printed); 2: usage error.
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

GENESIS = "0" * 64
ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def jstr(value):
    """A JSON string in the canonical form: minimal escaping, everything else as itself."""
    return '"' + "".join(ESCAPES.get(c, "\\u%04x" % ord(c) if ord(c) < 0x20 else c) for c in value) + '"'


def canonical_body(r):
    """The canonical bytes of a record (without its hash member), rebuilt from its values."""
    if r.get("type") == "checkpoint":
        return '{"seq":%d,"type":"checkpoint","timestamp":%s,"last_seq":%d,"key_id":%s,"signature":%s,"prev":%s}' % (
            r["seq"], jstr(r["timestamp"]), r["last_seq"], jstr(r["key_id"]), jstr(r["signature"]), jstr(r["prev"]))
    context = ",".join('"%s":%s' % (k, jstr(r["context"][k])) for k in ("ip", "device_id", "location") if k in r["context"])
    reason = ',"reason":' + jstr(r["reason"]) if "reason" in r else ""
    return '{"seq":%d,"timestamp":%s,"user":%s,"action":%s,"resource":%s,"context":{%s},"outcome":%s%s,"prev":%s}' % (
        r["seq"], jstr(r["timestamp"]), jstr(r["user"]), jstr(r["action"]), jstr(r["resource"]), context,
        jstr(r["outcome"]), reason, jstr(r["prev"]))


def der_signature(p1363):
    """IEEE P1363 r||s (64 bytes) to the DER SEQUENCE of two INTEGERs that openssl expects."""
    def integer(b):
        b = b.lstrip(b"\x00") or b"\x00"
        if b[0] & 0x80:
            b = b"\x00" + b
        return b"\x02" + bytes([len(b)]) + b
    body = integer(p1363[:32]) + integer(p1363[32:])
    return b"\x30" + bytes([len(body)]) + body


def signature_ok(public_key_pem, r):
    message = "hipaa-audit-checkpoint/v1\n%d\n%s\n%s\n%s" % (r["last_seq"], r["prev"], r["timestamp"], r["key_id"])
    with tempfile.TemporaryDirectory() as work:
        msg, sig = os.path.join(work, "msg"), os.path.join(work, "sig")
        with open(msg, "wb") as f:
            f.write(message.encode("utf-8"))
        with open(sig, "wb") as f:
            f.write(der_signature(base64.b64decode(r["signature"], validate=True)))
        result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", public_key_pem, "-signature", sig, msg],
                                capture_output=True)
        return result.returncode == 0


def derived_key_id(public_key_pem):
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", public_key_pem, "-outform", "DER"],
                         capture_output=True, check=True).stdout
    return "p256-" + hashlib.sha256(der).hexdigest()[:16]


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__)
        return 2
    log, public_key = argv[1], argv[2]
    key_id = argv[3] if len(argv) == 4 else derived_key_id(public_key)
    with open(log, "rb") as f:
        content = f.read()
    lines = content.split(b"\n")
    if lines[-1]:
        print("Torn: the last line has no line end")
        lines = lines[:-1]
    lines = lines[:-1] if lines and not lines[-1] else lines
    prev, seq, checkpoint = GENESIS, 0, None
    for number, raw in enumerate(lines, 1):
        try:
            r = json.loads(raw.decode("utf-8"))
            body = canonical_body(r)
        except (ValueError, KeyError, TypeError, AttributeError):
            print("Malformed: line %d is not a record" % number)
            return 1
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        if raw.decode("utf-8") != body[:-1] + ',"hash":"%s"}' % digest:
            print("Edited: line %d is not canonical or its hash does not match" % number)
            return 1
        if r["seq"] != seq + 1:
            print("Deleted or reordered: line %d has seq %d, expected %d" % (number, r["seq"], seq + 1))
            return 1
        if r["prev"] != prev:
            print("Edited: line %d does not link to the record before it" % number)
            return 1
        if r.get("type") == "checkpoint":
            if r["last_seq"] != r["seq"] - 1 or r["key_id"] != key_id or not signature_ok(public_key, r):
                print("SignatureInvalid: checkpoint at line %d" % number)
                return 1
            checkpoint = r["seq"]
        prev, seq = digest, r["seq"]
    if lines and content and not content.endswith(b"\n"):
        return 1
    print("OK: %d records, last checkpoint at seq %s" % (seq, checkpoint))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
