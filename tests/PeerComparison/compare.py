#!/usr/bin/env python3
"""Scores each tool's SARIF log against the ground truth written into the corpus as marker comments.

Markers (see README section of docs/peer-comparison.md):

    statement;            // expect: <category>            a finding is expected here
    statement;            // safe: <category>              code that looks like <category> but is fine
    statement;            // expect: <category> @<name>    markers with the same name in one file form one case

A marker covers its statement: the marker's line and the lines directly above it, stopping before the first line
that is blank, a comment, or ends with ';', '{', '}' or ','. A finding belongs to a case when the line where it
starts lies in one of the case's statements, and it counts when the tool's rule is mapped (rules.tsv) to the
case's category. On a safe case, any mapped finding is a false alarm, whatever its category.
"""

import argparse
import json
import os
import re
import sys
from collections import OrderedDict, defaultdict
from urllib.parse import unquote, urlparse

CATEGORIES = OrderedDict([
    ("weak-hash", "Weak hash"),
    ("weak-cipher", "Disallowed cipher"),
    ("cipher-mode", "Insecure mode / padding"),
    ("key-size", "Key size"),
    ("weak-random", "Insecure randomness"),
    ("static-iv", "Static IV / salt"),
    ("weak-kdf", "Weak KDF"),
    ("homemade-crypto", "Home-made crypto"),
    ("transport", "Transport security"),
    ("hardcoded-key", "Hard-coded key"),
    ("hardcoded-credential", "Hard-coded credential"),
    ("sql-key", "Key in SQL text"),
])

TOOLS = OrderedDict([
    ("hipaa", ("HipaaAnalyzers", re.compile(r"^HIPAA\d+$"))),
    ("scs", ("SecurityCodeScan.VS2019", re.compile(r"^SCS\d+$"))),
    ("sonar", ("SonarAnalyzer.CSharp", re.compile(r"^S\d+$"))),
    ("netanalyzers", ("Microsoft.CodeAnalysis.NetAnalyzers", re.compile(r"^CA\d+$"))),
])

MARKER = re.compile(r"//\s*(expect|safe):\s*([a-z-]+)(?:\s+@([A-Za-z0-9_-]+))?\s*$")
STOP_ENDINGS = (";", "{", "}", ",")


class Case:
    def __init__(self, path, kind, category, name):
        self.path = path
        self.kind = kind
        self.category = category
        self.name = name
        self.ranges = []  # (first line, last line), 1-based, inclusive
        self.method = None

    @property
    def first_line(self):
        return min(first for first, _ in self.ranges)

    def label(self, root):
        rel = os.path.relpath(self.path, root)
        where = ", ".join(f"{first}" if first == last else f"{first}-{last}" for first, last in sorted(self.ranges))
        return f"{rel}:{where} {self.method or ''}".rstrip()

    def covers(self, line):
        return any(first <= line <= last for first, last in self.ranges)


def strip_comment(text):
    # Good enough for the corpus: a '//' outside a string literal starts a comment.
    in_string = False
    i = 0
    while i < len(text):
        c = text[i]
        if c == '"' and (i == 0 or text[i - 1] != "\\"):
            in_string = not in_string
        elif not in_string and text.startswith("//", i):
            return text[:i]
        i += 1
    return text


def enclosing_member(lines, index):
    """The name of the member declared nearest above line index (0-based), for reports only."""
    modifiers = re.compile(r"^\s*(?:public|private|internal|protected)\b")
    for j in range(index, -1, -1):
        text = strip_comment(lines[j])
        if not modifiers.match(text):
            continue
        m = re.search(r"\b(?:class|struct|record|interface)\s+([A-Za-z_]\w*)", text)
        if m:
            return m.group(1)
        m = re.match(r"^[^=(]*?([A-Za-z_]\w*)\s*(?:<[^>]*>)?\s*\(", text)
        if m:
            return m.group(1)
        m = re.match(r"^[^=(]*?([A-Za-z_]\w*)\s*=", text)
        if m:
            return m.group(1)
    return None


def read_cases(corpus):
    cases = OrderedDict()
    problems = []
    for directory, _, files in os.walk(corpus):
        if os.sep + "obj" in directory or os.sep + "bin" in directory:
            continue
        for name in sorted(files):
            if not name.endswith(".cs"):
                continue
            path = os.path.realpath(os.path.join(directory, name))
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            for index, text in enumerate(lines):
                m = MARKER.search(text)
                if not m:
                    continue
                kind, category, case_name = m.group(1), m.group(2), m.group(3)
                if category not in CATEGORIES:
                    problems.append(f"{path}:{index + 1}: unknown category '{category}'")
                    continue
                first = index
                while first > 0:
                    above = strip_comment(lines[first - 1]).strip()
                    if not above or above.endswith(STOP_ENDINGS):
                        break
                    first -= 1
                key = (path, case_name) if case_name else (path, f"line {index + 1}")
                case = cases.get(key)
                if case is None:
                    case = Case(path, kind, category, case_name)
                    cases[key] = case
                elif (case.kind, case.category) != (kind, category):
                    problems.append(f"{path}:{index + 1}: @{case_name} is '{case.kind}: {case.category}' elsewhere")
                case.ranges.append((first + 1, index + 1))
                if case.method is None:
                    case.method = enclosing_member(lines, index)
    return list(cases.values()), problems


def read_mapping(path):
    mapping = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                raise SystemExit(f"{path}:{number}: expected tool, rule, categories, note (tab-separated)")
            tool, rule, categories = parts[0], parts[1], parts[2].split(",")
            for category in categories:
                if category not in CATEGORIES:
                    raise SystemExit(f"{path}:{number}: unknown category '{category}'")
            mapping[tool][rule] = categories
    return mapping


ANALYZER_FAILURES = ("AD0001", "CS8032", "CS8033", "CS8034", "CS8784", "CS8785")


def read_sarif(path):
    """The located findings, and the analyzer failures (an analyzer that threw or could not load)."""
    with open(path, encoding="utf-8-sig") as f:
        log = json.load(f)
    findings = set()
    failures = defaultdict(int)
    for run in log.get("runs", []):
        for result in run.get("results", []):
            if result.get("suppressions"):
                continue
            rule = result.get("ruleId")
            if rule in ANALYZER_FAILURES:
                text = result.get("message", {}).get("text", "")
                m = re.search(r"(?:Analyzer|analyzer|generator) '([^']+)'", text)
                failures[f"{rule} {m.group(1) if m else text[:120]}"] += 1
                continue
            for location in result.get("locations", [])[:1]:
                physical = location.get("physicalLocation", {})
                uri = physical.get("artifactLocation", {}).get("uri")
                line = physical.get("region", {}).get("startLine")
                if not uri or not line:
                    continue
                parsed = urlparse(uri)
                file = unquote(parsed.path) if parsed.scheme == "file" else unquote(uri)
                findings.add((rule, os.path.realpath(file), line, result.get("message", {}).get("text", "")))
    return findings, failures


def score(tool, findings, cases, mapping, corpus_root):
    rules = mapping.get(tool, {})
    prefix = TOOLS[tool][1]
    result = {
        "found": defaultdict(list), "missed": defaultdict(list), "false_alarms": defaultdict(list),
        "other_category": [], "unmarked": [], "unmapped": defaultdict(int),
    }
    in_scope = []
    for rule, file, line, message in sorted(findings):
        if not prefix.match(rule or ""):
            continue
        if rule not in rules:
            if file.startswith(corpus_root):
                result["unmapped"][rule] += 1
            continue
        in_scope.append((rule, file, line, message))

    claimed = set()
    for case in cases:
        hits = [f for f in in_scope if f[1] == case.path and case.covers(f[2])]
        claimed.update(hits)
        matching = sorted({f[0] for f in hits if case.category in rules[f[0]]})
        others = sorted({f[0] for f in hits if case.category not in rules[f[0]]})
        if case.kind == "expect":
            if matching:
                result["found"][case.category].append((case, matching))
            else:
                result["missed"][case.category].append((case, []))
            if others:
                result["other_category"].append((case, others))
        elif hits:
            result["false_alarms"][case.category].append((case, sorted(matching + others)))

    for finding in in_scope:
        if finding not in claimed:
            result["unmarked"].append(finding)
    return result


def tool_version(artifacts, tool, repo_root):
    if tool == "hipaa":
        version = "?"
        props = os.path.join(repo_root, "Directory.Build.props")
        if os.path.exists(props):
            m = re.search(r"<Version>([^<]+)</Version>", open(props, encoding="utf-8").read())
            version = m.group(1) if m else version
        info_path = os.path.join(artifacts, "hipaa.source.txt")
        source = open(info_path, encoding="utf-8").read().strip() if os.path.exists(info_path) else "source"
        return f"{version} ({source})"
    package = {"scs": "SecurityCodeScan.VS2019", "sonar": "SonarAnalyzer.CSharp",
               "netanalyzers": "Microsoft.CodeAnalysis.NetAnalyzers"}[tool]
    for directory, _, files in os.walk(os.path.join(artifacts, tool, "obj")):
        if "project.assets.json" in files:
            with open(os.path.join(directory, "project.assets.json"), encoding="utf-8") as f:
                assets = json.load(f)
            for key in assets.get("libraries", {}):
                name, _, version = key.partition("/")
                if name.lower() == package.lower():
                    return version
    return "not restored"


def cell(result, category, vulnerable, safe):
    found = len(result["found"][category])
    alarms = len(result["false_alarms"][category])
    return f"{found}/{vulnerable}, {alarms} FA" if safe else f"{found}/{vulnerable}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--tools", required=True)
    parser.add_argument("--repo-root", required=True)
    parser.add_argument("--json")
    args = parser.parse_args()

    corpus = os.path.realpath(args.corpus)
    cases, problems = read_cases(corpus)
    if problems:
        print("Marker problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    for category in CATEGORIES:
        kinds = {case.kind for case in cases if case.category == category}
        if kinds != {"expect", "safe"}:
            problems.append(f"category {category} needs both vulnerable and safe cases (has: {sorted(kinds)})")
    if problems:
        print("Marker problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    mapping = read_mapping(args.rules)
    tools = [t for t in args.tools.split(",") if t]

    results = OrderedDict()
    for tool in tools:
        sarif = os.path.join(args.artifacts, f"{tool}.sarif")
        if not os.path.exists(sarif):
            print(f"{sarif} is missing; the {tool} build did not write it.", file=sys.stderr)
            return 2
        findings, failures = read_sarif(sarif)
        results[tool] = score(tool, findings, cases, mapping, corpus)
        results[tool]["failures"] = failures

    vulnerable = defaultdict(int)
    safe = defaultdict(int)
    for case in cases:
        (vulnerable if case.kind == "expect" else safe)[case.category] += 1

    out = []
    out.append("Tools:")
    for tool in tools:
        out.append(f"  {TOOLS[tool][0]} {tool_version(args.artifacts, tool, args.repo_root)}")
    out.append("")
    out.append(f"Corpus: {sum(vulnerable.values())} vulnerable cases, {sum(safe.values())} safe cases, "
               f"{len(CATEGORIES)} categories.")
    out.append("Cells: found/vulnerable cases, FA = false alarms (safe cases with a finding).")
    out.append("")
    header = "| Category | Vulnerable | Safe | " + " | ".join(TOOLS[t][0] for t in tools) + " |"
    out.append(header)
    out.append("|" + "---|" * (3 + len(tools)))
    for category, title in CATEGORIES.items():
        row = [f"{title} ({category})", str(vulnerable[category]), str(safe[category])]
        row += [cell(results[t], category, vulnerable[category], safe[category]) for t in tools]
        out.append("| " + " | ".join(row) + " |")
    totals = ["**Total**", str(sum(vulnerable.values())), str(sum(safe.values()))]
    for tool in tools:
        found = sum(len(v) for v in results[tool]["found"].values())
        alarms = sum(len(v) for v in results[tool]["false_alarms"].values())
        totals.append(f"**{found}/{sum(vulnerable.values())}, {alarms} FA**")
    out.append("| " + " | ".join(totals) + " |")
    out.append("")
    missed_row = ["Missed (false negatives)", "", ""]
    for tool in tools:
        missed_row.append(str(sum(len(v) for v in results[tool]["missed"].values())))
    out.append("| " + " | ".join(missed_row) + " |")
    out.append("")
    for tool in tools:
        if results[tool]["failures"]:
            out.append(f"WARNING: {TOOLS[tool][0]} had analyzer failures (its numbers are not what it can do):")
            for failure, count in sorted(results[tool]["failures"].items()):
                out.append(f"  - {failure} x{count}")
    if any(results[t]["failures"] for t in tools):
        out.append("")

    root = os.path.dirname(corpus)
    for tool in tools:
        r = results[tool]
        out.append(f"## {TOOLS[tool][0]}")
        for title, key in (("Missed", "missed"), ("False alarms", "false_alarms")):
            items = [item for category in CATEGORIES for item in r[key][category]]
            out.append(f"{title} ({len(items)}):")
            for case, rules in items:
                suffix = f"  [{', '.join(rules)}]" if rules else ""
                out.append(f"  - {case.category}: {case.label(root)}{suffix}")
        if r["other_category"]:
            out.append(f"Vulnerable cases reported under another category only or as well ({len(r['other_category'])}):")
            for case, rules in r["other_category"]:
                out.append(f"  - {case.category}: {case.label(root)}  [{', '.join(rules)}]")
        if r["unmarked"]:
            out.append(f"Mapped findings outside every marked statement ({len(r['unmarked'])}):")
            for rule, file, line, message in r["unmarked"]:
                out.append(f"  - {rule} {os.path.relpath(file, root)}:{line} {message[:110]}")
        if r["unmapped"]:
            listed = ", ".join(f"{rule} x{count}" for rule, count in sorted(r["unmapped"].items()))
            out.append(f"Other rules of this tool that fired (not mapped to a category): {listed}")
        out.append("")

    if "hipaa" in results and len(tools) > 1:
        out.append("## HipaaAnalyzers against each peer")
        hipaa_found = {id(case) for category in CATEGORIES for case, _ in results["hipaa"]["found"][category]}
        hipaa_alarms = sum(len(v) for v in results["hipaa"]["false_alarms"].values())
        for tool in tools:
            if tool == "hipaa":
                continue
            peer = results[tool]
            only_peer = [case for category in CATEGORIES for case, _ in peer["found"][category] if id(case) not in hipaa_found]
            alarms = sum(len(v) for v in peer["false_alarms"].values())
            out.append(f"- {TOOLS[tool][0]}: finds {len(only_peer)} case(s) HipaaAnalyzers misses"
                       + ("" if not only_peer else ": " + "; ".join(f"{c.category} {c.label(root)}" for c in only_peer))
                       + f". False alarms: HipaaAnalyzers {hipaa_alarms}, {TOOLS[tool][0]} {alarms}.")
        out.append("")

    print("\n".join(out))

    if args.json:
        data = {
            "tools": {t: TOOLS[t][0] + " " + tool_version(args.artifacts, t, args.repo_root) for t in tools},
            "categories": {c: {"vulnerable": vulnerable[c], "safe": safe[c]} for c in CATEGORIES},
            "results": {
                t: {
                    key: {c: [case.label(root) for case, _ in results[t][key][c]] for c in CATEGORIES}
                    for key in ("found", "missed", "false_alarms")
                }
                for t in tools
            },
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
