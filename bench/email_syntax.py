#!/usr/bin/env python3
"""Compares crmaudit's email syntax check (EM001) with python-email-validator.

Installs email-validator from PyPI into bench/out/venv, builds a corpus of real-world
address shapes and their mutations (the kinds of damage CRM data shows: typos, pasted
display names, lists, missing parts, bad characters, length limits, IDN), audits it
with `crmaudit audit --select EM001`, asks `email_validator.validate_email` about
each address (`check_deliverability=False`, `strict=True` for the RFC length limits, its other options at their defaults: a syntax
comparison), and reports the agreement and every disagreement.

    bench/email_syntax.py                    # uses target/dist/crmaudit (built if missing)
    bench/email_syntax.py --bin target/release/crmaudit

Disagreements go to bench/out/email-syntax-disagreements.csv.
"""

import argparse
import csv
import itertools
import json
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")

LOCALS = [
    "ann", "ann.lee", "ann_lee", "ann-lee", "a.lee99", "ann+crm", "o'brien", "j.o.smith",
    "x", "info", "sales.team", "first.middle.last", "a1b2c3", "ANN.LEE", "user%host",
    "ivan", "иван", "иван.петров", "müller", "josé", "δοκιμή", "用户", "ann!", "ann#tag",
    "ann$", "ann&co", "ann*", "ann=lee", "ann?", "ann^", "ann`", "ann{x}", "ann|lee", "ann~",
]
DOMAINS = [
    "gmail.com", "yandex.ru", "mail.ru", "acme-corp.com", "sub.example.co.uk", "example.org",
    "почта.рф", "xn--80ak6aa92e.com", "münchen.de", "a.io", "my-shop.myshopify.com",
    "corp.internal.example.net", "x.y.z.example.com", "domain.travel", "b.co",
]


def mutations(local, domain):
    """Ways a CRM address goes wrong, and some that stay valid."""
    a = f"{local}@{domain}"
    yield a
    yield a.upper()
    yield f"{local}@@{domain}"
    yield f"{local}{domain}"
    yield f"{local} @{domain}"
    yield f"{local}@ {domain}"
    yield f".{local}@{domain}"
    yield f"{local}.@{domain}"
    yield f"{local}..x@{domain}"
    yield f"{local}@{domain}."
    yield f"{local}@.{domain}"
    yield f"{local}@{domain.replace('.', '..', 1)}"
    yield f"{local}@{domain.replace('.', ',', 1)}"
    yield f"{local}@{domain.rsplit('.', 1)[0]}"
    yield f"{local}@{domain}1"
    yield f"{local}@{domain.rsplit('.', 1)[0]}.c"
    yield f"{local}@-{domain}"
    yield f"{local}@{domain.split('.')[0]}-.{domain.split('.', 1)[1]}" if "." in domain else a
    yield f"{local}@{domain.replace('.', '_', 1)}"
    yield f"Ann Lee <{a}>"
    yield f"\"{local}\"@{domain}"
    yield f"{local}@[192.0.2.1]"
    yield f"{a}; bo@{domain}"
    yield f"{a},bo@{domain}"
    yield f"mailto:{a}"
    yield f"{local}@{domain}/"
    yield f"{local}(comment)@{domain}"
    yield f"{local}@{'a' * 64}.com"
    yield f"{local}@{'a' * 63}.com"
    yield f"{'a' * 65}@{domain}"
    yield f"{'a' * 64}@{domain}"
    yield f"{local}@{'.'.join(['abcdefghij' * 2] * 12)}.com"
    yield f"{local}@{domain}\u200b"
    yield f"{local}\u00a0@{domain}"
    yield f"{local}@{domain}😀"


def real_world():
    """Addresses as they appear in the exports and fixtures of this repository."""
    import glob
    import re
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.csv"), recursive=True)):
        if "malformed" in path:
            continue
        with open(path, encoding="utf-8", errors="ignore") as fh:
            for cell in re.split(r"[,;\t\n\"]", fh.read()):
                cell = cell.strip()
                if "@" in cell and len(cell) < 120:
                    found.append(cell)
    return found


def corpus():
    seen = set()
    for address in real_world():
        if address not in seen:
            seen.add(address)
            yield address
    for local, domain in itertools.product(LOCALS, DOMAINS):
        for address in mutations(local, domain):
            if address not in seen:
                seen.add(address)
                yield address


def validator(python):
    """Verdicts of email-validator, run in its venv: address -> error or ''."""
    script = r"""
import json, sys
from email_validator import validate_email, EmailNotValidError
out = {}
for a in json.load(sys.stdin):
    try:
        validate_email(a, check_deliverability=False, strict=True)
        out[a] = ""
    except EmailNotValidError as e:
        out[a] = str(e)
json.dump(out, sys.stdout)
"""
    return script


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/dist/crmaudit"))
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if not os.path.exists(args.bin):
        subprocess.run(["cargo", "build", "--profile", "dist", "--locked", "-q"], cwd=ROOT, check=True)
    env_dir = os.path.join(OUT, "venv")
    python = os.path.join(env_dir, "bin", "python")
    if not os.path.exists(python):
        venv.create(env_dir, with_pip=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "email-validator>=2,<3"], check=True)
    version = subprocess.run([python, "-c", "import email_validator; print(email_validator.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()

    addresses = list(corpus())
    path = os.path.join(OUT, "email-syntax-corpus.csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Id", "LastName", "Email"])
        for i, a in enumerate(addresses):
            w.writerow([f"e{i:05d}", "Lee", a])
    p = subprocess.run([args.bin, "audit", path, "--isolated", "--object", "contact", "--select", "EM001",
                        "-f", "json", "--fail-on", "never"], capture_output=True, check=True)
    report = json.loads(p.stdout)
    ours = {}
    for f in report["findings"]:
        if f["code"] == "EM001":
            ours[int(f["record_id"][1:])] = f["message"]
    theirs = json.loads(subprocess.run([python, "-c", validator(python)], input=json.dumps(addresses),
                                       capture_output=True, text=True, check=True).stdout)
    rows = []
    for i, a in enumerate(addresses):
        we_flag = i in ours
        they_flag = theirs[a] != ""
        if we_flag != they_flag:
            rows.append([a, "invalid" if we_flag else "valid", ours.get(i, ""),
                         "invalid" if they_flag else "valid", theirs[a]])
    agree = len(addresses) - len(rows)
    print(f"email-validator {version}: {len(addresses)} addresses, crmaudit invalid {len(ours)}, "
          f"email-validator invalid {sum(1 for v in theirs.values() if v)}")
    print(f"agreement {agree}/{len(addresses)} = {100 * agree / len(addresses):.2f}%, {len(rows)} disagreements")
    out = os.path.join(OUT, "email-syntax-disagreements.csv")
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["address", "crmaudit", "crmaudit_message", "email_validator", "email_validator_message"])
        w.writerows(rows)
    print(f"disagreements: {out}")


if __name__ == "__main__":
    main()
