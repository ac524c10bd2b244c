#!/usr/bin/env python3
"""Generate the third-party email lists in data/ from unpacked upstream packages.

Usage:
    data/scripts/fetch_sources.sh /tmp/crmaudit-data-src
    # allowlist.conf is not in any registry package (the PyPI wheel ships an empty
    # allowlist); save disposable-email-domains/disposable-email-domains:allowlist.conf
    # at the commit named in data/README.md as /tmp/crmaudit-data-src/allowlist.conf
    python3 data/scripts/build_email_lists.py /tmp/crmaudit-data-src

Writes:
    data/disposable_email_domains.txt   PyPI disposable-email-domains 0.0.293 `blocklist` (CC0-1.0)
    data/disposable_email_allowlist.txt upstream allowlist.conf (CC0-1.0)
    data/role_email_locals.txt          npm role-based-email-addresses 3.1.0 (MIT) + RFC 2142 names
"""
import ast
import pathlib
import re
import sys

DATA = pathlib.Path(__file__).resolve().parent.parent

# RFC 2142 mailbox names (also python-email-validator CASE_INSENSITIVE_MAILBOX_NAMES).
RFC2142 = [
    "info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster",
    "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp",
]

# Entries of the mixmax list dropped because they are ordinary given names (or a
# common surname) of people, so `name@company.com` would be a false "role" hit.
# Keep in sync with data/README.md.
PERSON_NAMES_REMOVED = {
    "alexa",    # given name (also Amazon's assistant)
    "alla",     # Russian given name Алла (Swedish "all" in the source list)
    "denver",   # given name / city
    "gardner",  # surname and given name
    "india",    # given name / country
    "paris",    # given name / city
    "per",      # Scandinavian given name
    "sydney",   # given name / city
}


def write_list(name, items):
    items = sorted(set(items))
    for it in items:
        assert it and it == it.strip() and it == it.lower() and "\n" not in it, repr(it)
    (DATA / name).write_text("".join(i + "\n" for i in items), encoding="utf-8", newline="\n")
    print(f"{name}: {len(items)}")
    return items


def main(src):
    src = pathlib.Path(src)

    # 1. disposable blocklist: parse the `blocklist = {...}` set literal without importing it.
    init = (src / "disposable_email_domains-0.0.293" / "disposable_email_domains" / "__init__.py").read_text()
    m = re.search(r"^blocklist = (\{.*?^\})", init, re.S | re.M)
    block = {d.strip().lower() for d in ast.literal_eval(m.group(1))}
    allow = set()
    allow_path = src / "allowlist.conf"
    if allow_path.exists():
        allow = {l.strip().lower() for l in allow_path.read_text().splitlines()
                 if l.strip() and not l.startswith("#")}
        overlap = block & allow
        assert not overlap, f"allowlisted domains in blocklist: {sorted(overlap)}"
        write_list("disposable_email_allowlist.txt", allow)
    else:
        print("allowlist.conf missing: disposable_email_allowlist.txt left unchanged")
    write_list("disposable_email_domains.txt", block)

    # 2. role accounts: string literals of the four arrays in src/index.js.
    js = (src / "role-based-email-addresses-3.1.0" / "package" / "src" / "index.js").read_text()
    roles = {s.lower() for s in re.findall(r"^\s*'([^']+)',?\s*$", js, re.M)}
    assert len(roles) > 900, len(roles)
    missing = PERSON_NAMES_REMOVED - roles
    assert not missing, f"no longer in upstream, update the script: {missing}"
    write_list("role_email_locals.txt", (roles - PERSON_NAMES_REMOVED) | set(RFC2142))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/crmaudit-data-src")
