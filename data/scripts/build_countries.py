#!/usr/bin/env python3
"""Generate data/countries.csv from Unicode CLDR JSON plus aliases compiled for crmaudit.

Usage:
    data/scripts/fetch_sources.sh /tmp/crmaudit-data-src
    python3 data/scripts/build_countries.py /tmp/crmaudit-data-src

Columns: alpha2,alpha3,numeric,name_en,name_ru,aliases
  * alpha3/numeric: cldr-core 48.2.0 supplemental/codeMappings.json
  * name_en/name_ru: cldr-localenames-full 48.2.0 main/{en,ru}/territories.json (standard form)
  * aliases (`|`-separated): CLDR `-alt-short` / `-alt-variant` forms (en, ru), mechanical
    variants of the CLDR names (`&`->`and`, `St.`->`Saint`/`St`, accents stripped, `о-ва`->
    `острова`, `ё`->`е`), and the hand-compiled ALIASES table below (ISO 3166-1 short names,
    common English/Russian spellings, a few Latin-script endonyms).
Only the 249 ISO 3166-1 codes are kept: CLDR territories that have an alpha-3 and a numeric
code, minus deprecated codes (territoryAlias), user-assigned codes and EU.
"""
import csv
import io
import json
import pathlib
import sys
import unicodedata

DATA = pathlib.Path(__file__).resolve().parent.parent

# Hand-compiled aliases (facts; "compiled for crmaudit"). English and Russian spellings seen in
# CRM exports, ISO 3166-1 English short names where they differ from CLDR, and a few endonyms.
ALIASES = {
    "AE": ["UAE", "U.A.E.", "Emirates", "Объединённые Арабские Эмираты", "Объединенные Арабские Эмираты", "Эмираты"],
    "AG": ["Antigua"],
    "AT": ["Österreich", "Osterreich", "Republic of Austria"],
    "BA": ["Bosnia-Herzegovina", "BiH", "Босния"],
    "BE": ["België", "Belgique", "Kingdom of Belgium"],
    "BN": ["Brunei Darussalam"],
    "BO": ["Bolivia (Plurinational State of)", "Plurinational State of Bolivia"],
    "BQ": ["Bonaire, Sint Eustatius and Saba", "Bonaire", "Карибские Нидерланды"],
    "BR": ["Brasil", "Federative Republic of Brazil"],
    "BS": ["The Bahamas", "Bahamas, The", "Багамские Острова"],
    "BY": ["Belorussia", "Byelorussia", "Белоруссия", "Республика Беларусь"],
    "CC": ["Keeling Islands"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC", "Congo, The Democratic Republic of the",
           "Congo-Kinshasa", "Zaire", "Демократическая Республика Конго", "ДР Конго", "ДРК"],
    "CF": ["ЦАР", "Центральноафриканская Республика"],
    "CG": ["Congo", "Republic of the Congo", "Congo-Brazzaville", "Конго"],
    "CH": ["Swiss Confederation", "Schweiz", "Suisse", "Svizzera"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire", "Кот-д'Ивуар", "Берег Слоновой Кости"],
    "CN": ["People's Republic of China", "PRC", "Mainland China", "КНР", "Китайская Народная Республика"],
    "CZ": ["Czech", "Česko", "Cesko"],
    "DE": ["Deutschland", "Federal Republic of Germany", "ФРГ", "Федеративная Республика Германия"],
    "DK": ["Danmark"],
    "DO": ["Доминикана"],
    "ES": ["España", "Espana", "Kingdom of Spain"],
    "FI": ["Suomi"],
    "FK": ["Falkland Islands (Malvinas)"],
    "FM": ["Micronesia (Federated States of)", "Federated States of Micronesia", "Микронезия"],
    "FR": ["French Republic", "Французская Республика"],
    "GB": ["UK", "U.K.", "United Kingdom of Great Britain and Northern Ireland", "Great Britain", "Britain",
           "England", "Scotland", "Wales", "Northern Ireland", "Соединённое Королевство", "Соединенное Королевство",
           "Англия", "Шотландия", "Уэльс", "Северная Ирландия"],
    "GM": ["The Gambia", "Gambia, The"],
    "GR": ["Hellas", "Hellenic Republic"],
    "GS": ["South Georgia and the South Sandwich Islands"],
    "HK": ["Hong Kong SAR", "Сянган"],
    "HM": ["Heard Island and McDonald Islands"],
    "HU": ["Magyarország", "Magyarorszag"],
    "IE": ["Republic of Ireland", "Éire", "Eire"],
    "IN": ["Bharat", "Republic of India"],
    "IR": ["Iran, Islamic Republic of", "Islamic Republic of Iran", "Исламская Республика Иран"],
    "IT": ["Italia", "Italian Republic"],
    "KG": ["Kyrgyz Republic", "Kirghizia", "Кыргызстан", "Кыргызская Республика"],
    "KP": ["Korea, Democratic People's Republic of", "Democratic People's Republic of Korea", "DPRK",
           "Северная Корея", "Корейская Народно-Демократическая Республика"],
    "KR": ["Korea, Republic of", "Republic of Korea", "Korea", "Южная Корея", "Корея"],
    "KZ": ["Республика Казахстан"],
    "LA": ["Lao People's Democratic Republic", "Lao PDR"],
    "MD": ["Moldova, Republic of", "Republic of Moldova", "Молдавия", "Республика Молдова"],
    "MF": ["Saint Martin (French part)", "Saint-Martin"],
    "MK": ["Macedonia", "Republic of North Macedonia", "Македония"],
    "MM": ["Burma"],
    "MO": ["Macau", "Аомынь"],
    "MX": ["México", "United Mexican States"],
    "NL": ["Holland", "The Netherlands", "Nederland", "Голландия"],
    "NO": ["Norge"],
    "NZ": ["Aotearoa"],
    "PG": ["Папуа-Новая Гвинея"],
    "PL": ["Polska", "Republic of Poland"],
    "PS": ["Palestine, State of", "State of Palestine", "Государство Палестина"],
    "PT": ["Portuguese Republic"],
    "RU": ["Russian Federation", "Российская Федерация", "РФ"],
    "SA": ["KSA", "Kingdom of Saudi Arabia"],
    "SE": ["Sverige"],
    "SH": ["Saint Helena, Ascension and Tristan da Cunha"],
    "SK": ["Slovak Republic"],
    "SX": ["Sint Maarten (Dutch part)"],
    "SY": ["Syrian Arab Republic", "Сирийская Арабская Республика"],
    "TC": ["Острова Теркс и Кайкос"],
    "TL": ["Timor Leste"],
    "TM": ["Туркмения"],
    "TR": ["Turkiye", "Republic of Türkiye", "Турецкая Республика"],
    "TW": ["Taiwan, Province of China"],
    "TZ": ["Tanzania, United Republic of", "United Republic of Tanzania"],
    "UM": ["United States Minor Outlying Islands", "US Minor Outlying Islands"],
    "US": ["USA", "U.S.A.", "U.S.", "United States of America", "America",
           "Соединённые Штаты", "Соединённые Штаты Америки", "Соединенные Штаты Америки", "Америка"],
    "VA": ["Holy See", "Vatican", "Holy See (Vatican City State)", "Святой Престол"],
    "VC": ["Saint Vincent and the Grenadines"],
    "VE": ["Venezuela (Bolivarian Republic of)", "Bolivarian Republic of Venezuela"],
    "VG": ["Virgin Islands, British"],
    "VI": ["Virgin Islands, U.S.", "US Virgin Islands", "United States Virgin Islands"],
    "VN": ["Viet Nam", "Socialist Republic of Viet Nam"],
    "ZA": ["RSA", "Republic of South Africa", "ЮАР"],
}

NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ"}


def user_assigned(c):
    return c == "AA" or c == "ZZ" or "QM" <= c <= "QZ" or "XA" <= c <= "XZ"


def strip_accents(s):
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def is_latin(s):
    return all(ord(ch) < 0x370 or ch in "’" for ch in s)


def variants_en(name):
    """CLDR form, `&` -> `and`, `St.` -> `Saint`/`St`, curly apostrophe and accents -> ASCII."""
    out = {name}
    if not is_latin(name):
        return out
    plain = name.replace("’", "'").replace(" & ", " and ")
    out.add(plain)
    if plain.startswith("St. "):
        out.add("Saint " + plain[4:])
        out.add("St " + plain[4:])
    for n in list(out):
        out.add(strip_accents(n).replace("’", "'"))
    return out


def variants_ru(name):
    out = {name}
    for n in list(out):
        out.add(n.replace("о-ва", "острова").replace("о-в ", "остров ").replace("Св. ", "Святой "))
    for n in list(out):
        out.add(n.replace("’", "'"))
    for n in list(out):
        out.add(n.replace("ё", "е").replace("Ё", "Е"))
    return out


def main(src):
    src = pathlib.Path(src)
    terr = lambda l: json.loads((src / "cldr-localenames-full-48.2.0" / "package" / "main" / l / "territories.json")
                                .read_text())["main"][l]["localeDisplayNames"]["territories"]
    en, ru = terr("en"), terr("ru")
    core = src / "cldr-core-48.2.0" / "package" / "supplemental"
    cm = json.loads((core / "codeMappings.json").read_text())["supplemental"]["codeMappings"]
    deprecated = json.loads((core / "aliases.json").read_text())["supplemental"]["metadata"]["alias"]["territoryAlias"]

    codes = sorted(c for c in en
                   if len(c) == 2 and c.isalpha() and c in cm and "_alpha3" in cm[c] and "_numeric" in cm[c]
                   and c not in deprecated and not user_assigned(c) and c not in NOT_COUNTRIES)
    assert len(codes) == 249, len(codes)
    assert set(ALIASES) <= set(codes), set(ALIASES) - set(codes)

    rows, owner = [], {}
    for c in codes:
        a3, num = cm[c]["_alpha3"], cm[c]["_numeric"]
        cands = []
        cands += sorted(variants_en(en[c]))
        for k in sorted(en):
            if k.startswith(c + "-alt-"):
                cands += sorted(variants_en(en[k]))
        cands += sorted(variants_ru(ru[c]))
        for k in sorted(ru):
            if k.startswith(c + "-alt-"):
                cands += sorted(variants_ru(ru[k]))
        for a in ALIASES.get(c, []):
            cands += sorted(variants_en(a) | variants_ru(a))
        seen = {en[c].casefold(), ru[c].casefold(), c.casefold(), a3.casefold()}
        aliases = []
        for a in cands:
            a = a.strip()
            assert "|" not in a and a
            if a.casefold() in seen:
                continue
            seen.add(a.casefold())
            aliases.append(a)
        for n in [en[c], ru[c]] + aliases:
            k = n.casefold()
            assert owner.get(k, c) == c, f"name {n!r} used by {owner[k]} and {c}"
            owner[k] = c
        rows.append([c, a3, num, en[c], ru[c], "|".join(aliases)])

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["alpha2", "alpha3", "numeric", "name_en", "name_ru", "aliases"])
    w.writerows(rows)
    (DATA / "countries.csv").write_text(buf.getvalue(), encoding="utf-8", newline="\n")
    print(f"countries.csv: {len(rows)} rows, {sum(len(r[5].split('|')) for r in rows if r[5])} aliases")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/crmaudit-data-src")
