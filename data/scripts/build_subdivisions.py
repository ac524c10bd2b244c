#!/usr/bin/env python3
"""Generate data/subdivisions.csv (US, CA, AU, RU, DE, IN).

Usage:
    data/scripts/fetch_sources.sh /tmp/crmaudit-data-src
    python3 data/scripts/build_subdivisions.py /tmp/crmaudit-data-src

Columns: country,code,name,aliases
  * code: ISO 3166-2 suffix (`CA` for US-CA, `MOW` for RU-MOW), except the USPS-only
    military codes AA/AE/AP.
  * name: the local official name: Russian for RU, German for DE, English elsewhere.
  * aliases (`|`-separated): English names from Unicode CLDR (cldr-subdivisions-full 48.2.0,
    subdivisions/en/en.json; for the US territories cldr-localenames-full en territories), plus
    forms compiled for crmaudit below (abbreviations, short forms, former names/codes).
The set of codes is checked against CLDR (and /usr/share/iso-codes/json/iso_3166-2.json when
Debian's iso-codes is installed), except India's 2023 codes (CG, TS, UK) which are newer than
iso-codes 4.15.
"""
import csv
import io
import json
import pathlib
import sys
import unicodedata

DATA = pathlib.Path(__file__).resolve().parent.parent


def strip_accents(s):
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


# ---- United States: ISO 3166-2:US + USPS military "states" --------------------------------
# extra aliases: AP-style / older GPO abbreviations and common spellings.
US = {
    "AL": ["Ala."], "AK": ["Alas."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif.", "Cal."],
    "CO": ["Colo."], "CT": ["Conn."], "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "HI": [],
    "ID": [], "IL": ["Ill."], "IN": ["Ind."], "IA": [], "KS": ["Kan.", "Kans."], "KY": ["Ky."],
    "LA": ["La."], "ME": [], "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."],
    "MS": ["Miss."], "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."],
    "NH": ["N.H."], "NJ": ["N.J."], "NM": ["N.M.", "N. Mex."], "NY": ["N.Y.", "New York State"],
    "NC": ["N.C.", "N. Carolina"], "ND": ["N.D.", "N. Dakota"], "OH": [], "OK": ["Okla."],
    "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn.", "Penna."], "RI": ["R.I."],
    "SC": ["S.C.", "S. Carolina"], "SD": ["S.D.", "S. Dakota"], "TN": ["Tenn."], "TX": ["Tex."],
    "UT": [], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash.", "Washington State"],
    "WV": ["W.Va.", "W. Va.", "W. Virginia"], "WI": ["Wis.", "Wisc."], "WY": ["Wyo."],
}
US_NAME_OVERRIDE = {"DC": "District of Columbia"}
US_EXTRA = {"DC": ["Washington, D.C.", "Washington D.C.", "D.C."]}
US_TERRITORIES = {  # ISO 3166-2:US outlying areas; names from CLDR territories (en)
    "AS": ["Amer. Samoa"],
    "GU": [],
    "MP": ["CNMI", "Commonwealth of the Northern Mariana Islands"],
    "PR": ["P.R.", "Commonwealth of Puerto Rico"],
    "UM": ["United States Minor Outlying Islands", "US Minor Outlying Islands"],
    "VI": ["US Virgin Islands", "United States Virgin Islands", "Virgin Islands", "USVI"],
}
US_MILITARY = {  # USPS Publication 28, not ISO
    "AA": ("Armed Forces Americas", ["Armed Forces Americas (except Canada)"]),
    "AE": ("Armed Forces Europe", ["Armed Forces Africa", "Armed Forces Canada", "Armed Forces Middle East"]),
    "AP": ("Armed Forces Pacific", []),
}

# ---- Canada ------------------------------------------------------------------------------
CA = {
    "AB": ["Alta."],
    "BC": ["B.C.", "Colombie-Britannique"],
    "MB": ["Man."],
    "NB": ["N.B.", "Nouveau-Brunswick"],
    "NL": ["NF", "Nfld.", "Newfoundland", "Terre-Neuve-et-Labrador"],
    "NS": ["N.S.", "Nouvelle-Écosse"],
    "NT": ["NWT", "N.W.T.", "Territoires du Nord-Ouest"],
    "NU": [],
    "ON": ["Ont."],
    "PE": ["PEI", "P.E.I.", "Île-du-Prince-Édouard"],
    "QC": ["PQ", "Que.", "Québec"],
    "SK": ["Sask."],
    "YT": ["Y.T.", "Yukon Territory"],
}

# ---- Australia ---------------------------------------------------------------------------
AU = {
    "ACT": ["A.C.T."], "NSW": ["N.S.W."], "NT": ["N.T."], "QLD": ["Qld."], "SA": ["S.A."],
    "TAS": ["Tas."], "VIC": ["Vic."], "WA": ["W.A."],
}

# ---- Germany: name = German; CLDR English goes to aliases ---------------------------------
DE = {
    "BW": ("Baden-Württemberg", ["BaWü", "Баден-Вюртемберг"]),
    "BY": ("Bayern", ["Бавария"]),
    "BE": ("Berlin", ["Берлин"]),
    "BB": ("Brandenburg", ["Бранденбург"]),
    "HB": ("Bremen", ["Freie Hansestadt Bremen", "Бремен"]),
    "HH": ("Hamburg", ["Freie und Hansestadt Hamburg", "Гамбург"]),
    "HE": ("Hessen", ["Гессен"]),
    "MV": ("Mecklenburg-Vorpommern", ["Mecklenburg-Western Pomerania", "MeckPomm", "Мекленбург-Передняя Померания"]),
    "NI": ("Niedersachsen", ["Нижняя Саксония"]),
    "NW": ("Nordrhein-Westfalen", ["NRW", "Северный Рейн-Вестфалия"]),
    "RP": ("Rheinland-Pfalz", ["Рейнланд-Пфальц"]),
    "SL": ("Saarland", ["Саар", "Саарланд"]),
    "SN": ("Sachsen", ["Freistaat Sachsen", "Саксония"]),
    "ST": ("Sachsen-Anhalt", ["Саксония-Анхальт"]),
    "SH": ("Schleswig-Holstein", ["Шлезвиг-Гольштейн"]),
    "TH": ("Thüringen", ["Freistaat Thüringen", "Тюрингия"]),
}

# ---- India: ISO 3166-2:IN as of the 2023-11 newsletter ------------------------------------
# extra aliases: former names and the ISO codes they replaced (OR->OD 2019?, CT->CG, TG->TS,
# UT->UK 2023-11; DD and DN merged into DH 2020).
IN = {
    "AN": ["Andaman & Nicobar Islands"], "AP": [], "AR": [], "AS": [], "BR": [],
    "CG": ["CT", "Chhattisgarh"], "CH": [], "DH": ["DD", "DN", "Daman and Diu", "Dadra and Nagar Haveli"],
    "DL": ["NCT of Delhi", "National Capital Territory of Delhi", "New Delhi"], "GA": [], "GJ": [],
    "HP": [], "HR": [], "JH": [], "JK": ["Jammu & Kashmir"], "KA": [], "KL": [], "LA": [],
    "LD": [], "MH": [], "ML": [], "MN": [], "MP": [], "MZ": [], "NL": [], "OD": ["OR", "Orissa"],
    "PB": [], "PY": ["Pondicherry"], "RJ": [], "SK": [], "TN": [], "TR": [], "TS": ["TG"],
    "UK": ["UT", "Uttaranchal"], "UP": [], "WB": [],
}

# ---- Russia: the 83 federal subjects of ISO 3166-2:RU, name in Russian ---------------------
# (code, Russian name, extra aliases). Short forms ("обл.", "кр.", "Респ.", bare adjective)
# and English forms are added mechanically in ru_aliases().
RU = [
    ("AD", "Республика Адыгея", ["Адыгея", "Adygeya"]),
    ("AL", "Республика Алтай", ["Горный Алтай", "Altai Republic"]),
    ("BA", "Республика Башкортостан", ["Башкортостан", "Башкирия", "Bashkiria"]),
    ("BU", "Республика Бурятия", ["Бурятия", "Buryatia"]),
    ("CE", "Чеченская Республика", ["Чечня", "Chechnya", "Chechen Republic"]),
    ("CU", "Чувашская Республика", ["Чувашия", "Chuvashia", "Chuvash Republic"]),
    ("DA", "Республика Дагестан", ["Дагестан"]),
    ("IN", "Республика Ингушетия", ["Ингушетия"]),
    ("KB", "Кабардино-Балкарская Республика", ["Кабардино-Балкария", "Kabardino-Balkaria", "КБР"]),
    ("KL", "Республика Калмыкия", ["Калмыкия"]),
    ("KC", "Карачаево-Черкесская Республика", ["Карачаево-Черкесия", "Karachay-Cherkessia", "КЧР"]),
    ("KR", "Республика Карелия", ["Карелия"]),
    ("KK", "Республика Хакасия", ["Хакасия", "Khakasia"]),
    ("KO", "Республика Коми", ["Коми", "Komi Republic"]),
    ("ME", "Республика Марий Эл", ["Марий Эл"]),
    ("MO", "Республика Мордовия", ["Мордовия"]),
    ("SA", "Республика Саха (Якутия)", ["Якутия", "Саха", "Республика Саха", "Yakutia", "Sakha Republic"]),
    ("SE", "Республика Северная Осетия — Алания", ["Республика Северная Осетия - Алания", "Республика Северная Осетия-Алания",
                                                   "Северная Осетия", "Северная Осетия — Алания", "Северная Осетия-Алания",
                                                   "Алания", "North Ossetia"]),
    ("TA", "Республика Татарстан", ["Татарстан", "Татария"]),
    ("TY", "Республика Тыва", ["Тыва", "Тува", "Tyva"]),
    ("UD", "Удмуртская Республика", ["Удмуртия", "Udmurtia", "Udmurt Republic"]),
    ("ALT", "Алтайский край", []),
    ("KAM", "Камчатский край", ["Камчатка"]),
    ("KHA", "Хабаровский край", []),
    ("KDA", "Краснодарский край", ["Кубань"]),
    ("KYA", "Красноярский край", []),
    ("PER", "Пермский край", []),
    ("PRI", "Приморский край", ["Приморье"]),
    ("STA", "Ставропольский край", ["Ставрополье"]),
    ("ZAB", "Забайкальский край", ["Забайкалье"]),
    ("AMU", "Амурская область", []),
    ("ARK", "Архангельская область", []),
    ("AST", "Астраханская область", []),
    ("BEL", "Белгородская область", []),
    ("BRY", "Брянская область", []),
    ("CHE", "Челябинская область", []),
    ("IRK", "Иркутская область", []),
    ("IVA", "Ивановская область", []),
    ("KGD", "Калининградская область", []),
    ("KLU", "Калужская область", []),
    ("KEM", "Кемеровская область", ["Кемеровская область — Кузбасс", "Кемеровская область - Кузбасс", "Кузбасс", "Kuzbass"]),
    ("KIR", "Кировская область", []),
    ("KOS", "Костромская область", []),
    ("KGN", "Курганская область", []),
    ("KRS", "Курская область", []),
    ("LEN", "Ленинградская область", ["Ленобласть", "ЛО"]),
    ("LIP", "Липецкая область", []),
    ("MAG", "Магаданская область", []),
    ("MOS", "Московская область", ["Подмосковье", "МО"]),
    ("MUR", "Мурманская область", []),
    ("NIZ", "Нижегородская область", []),
    ("NGR", "Новгородская область", []),
    ("NVS", "Новосибирская область", []),
    ("OMS", "Омская область", []),
    ("ORE", "Оренбургская область", []),
    ("ORL", "Орловская область", ["Orel"]),
    ("PNZ", "Пензенская область", []),
    ("PSK", "Псковская область", []),
    ("ROS", "Ростовская область", []),
    ("RYA", "Рязанская область", []),
    ("SAK", "Сахалинская область", []),
    ("SAM", "Самарская область", []),
    ("SAR", "Саратовская область", []),
    ("SMO", "Смоленская область", []),
    ("SVE", "Свердловская область", []),
    ("TAM", "Тамбовская область", []),
    ("TOM", "Томская область", []),
    ("TUL", "Тульская область", []),
    ("TVE", "Тверская область", []),
    ("TYU", "Тюменская область", []),
    ("ULY", "Ульяновская область", []),
    ("VLA", "Владимирская область", []),
    ("VGG", "Волгоградская область", []),
    ("VLG", "Вологодская область", []),
    ("VOR", "Воронежская область", []),
    ("YAR", "Ярославская область", []),
    ("MOW", "Москва", ["г. Москва", "г Москва", "город Москва", "Moskva"]),
    ("SPE", "Санкт-Петербург", ["г. Санкт-Петербург", "г Санкт-Петербург", "город Санкт-Петербург", "СПб", "С.-Петербург",
                                "Петербург", "St. Petersburg", "St Petersburg", "Sankt-Peterburg"]),
    ("YEV", "Еврейская автономная область", ["ЕАО", "Еврейская АО", "Jewish Autonomous Oblast"]),
    ("CHU", "Чукотский автономный округ", ["Чукотка", "Чукотский АО", "ЧАО", "Chukotka"]),
    ("KHM", "Ханты-Мансийский автономный округ — Югра", ["Ханты-Мансийский автономный округ - Югра",
                                                         "Ханты-Мансийский автономный округ", "Ханты-Мансийский АО",
                                                         "ХМАО", "ХМАО — Югра", "ХМАО-Югра", "Югра", "Yugra"]),
    ("NEN", "Ненецкий автономный округ", ["Ненецкий АО", "НАО"]),
    ("YAN", "Ямало-Ненецкий автономный округ", ["Ямало-Ненецкий АО", "ЯНАО", "Ямал"]),
]


def ru_aliases(name, en):
    out = []
    if name.endswith(" область") and "автономная" not in name:
        adj = name[: -len(" область")]
        out += [adj + " обл.", adj + " обл", adj]
        base = en.replace(" Province", "")
        out += [base + " Oblast", base + " Region", base + " Province"]
    elif name.endswith(" край"):
        adj = name[: -len(" край")]
        out += [adj + " кр.", adj + " кр", adj]
        base = en.replace(" Krai", "")
        out += [base + " Kray", base + " Territory"]
    elif name.startswith("Республика "):
        rest = name[len("Республика "):]
        out += ["Респ. " + rest, "Респ " + rest]
        if "(" not in rest and "—" not in rest:
            out += ["Republic of " + en]
    elif name.endswith(" Республика"):
        adj = name[: -len(" Республика")]
        out += [adj + " Респ.", adj + " Респ"]
    elif name.endswith(" автономный округ"):
        out += [en.replace(" Okrug", "") + " Autonomous Okrug"]
    return out


def main(src):
    src = pathlib.Path(src)
    sub_en = json.loads((src / "cldr-subdivisions-full-48.2.0" / "package" / "subdivisions" / "en" / "en.json")
                        .read_text())["subdivisions"]["localeDisplayNames"]["subdivisions"]
    terr_en = json.loads((src / "cldr-localenames-full-48.2.0" / "package" / "main" / "en" / "territories.json")
                         .read_text())["main"]["en"]["localeDisplayNames"]["territories"]
    cldr = lambda cc, code: sub_en[cc.lower() + code.lower()]

    rows = []  # (country, code, name, [aliases])
    for code, extra in US.items():
        rows.append(("US", code, cldr("US", code), extra))
    rows.append(("US", "DC", US_NAME_OVERRIDE["DC"], [cldr("US", "DC")] + US_EXTRA["DC"]))
    for code, extra in US_TERRITORIES.items():
        rows.append(("US", code, terr_en[code], extra))
    for code, (name, extra) in US_MILITARY.items():
        rows.append(("US", code, name, extra))
    for code, extra in CA.items():
        rows.append(("CA", code, cldr("CA", code), extra))
    for code, extra in AU.items():
        rows.append(("AU", code, cldr("AU", code), extra))
    for code, (name, extra) in DE.items():
        rows.append(("DE", code, name, [cldr("DE", code)] + extra))
    for code, extra in IN.items():
        en = cldr("IN", code)
        rows.append(("IN", code, strip_accents(en), [en] + extra))
    for code, name, extra in RU:
        en = cldr("RU", code)
        rows.append(("RU", code, name, [en] + extra + ru_aliases(name, en)))

    # ---- checks ----
    expect = {"US": 57 + 3, "CA": 13, "AU": 8, "DE": 16, "IN": 36, "RU": 83}
    for cc, n in expect.items():
        got = [r for r in rows if r[0] == cc]
        assert len(got) == n, (cc, len(got))
        assert len({r[1] for r in got}) == n, cc
    try:
        iso = json.loads(pathlib.Path("/usr/share/iso-codes/json/iso_3166-2.json").read_text())["3166-2"]
    except FileNotFoundError:
        iso = None
    if iso:
        for cc in expect:
            iso_codes = {x["code"].split("-", 1)[1] for x in iso if x["code"].startswith(cc + "-")}
            ours = {r[1] for r in rows if r[0] == cc} - (set(US_MILITARY) if cc == "US" else set())
            if cc == "IN":  # iso-codes 4.15 predates the 2019/2023 changes
                iso_codes = (iso_codes - {"OR", "CT", "TG", "UT"}) | {"OD", "CG", "TS", "UK"}
            assert ours == iso_codes, (cc, ours ^ iso_codes)

    out_rows = []
    for cc, code, name, aliases in rows:
        seen = {name.casefold(), code.casefold()}
        al = []
        for a in aliases + [strip_accents(name)] if cc != "RU" else aliases:
            a = a.strip()
            assert a and "|" not in a
            if a.casefold() not in seen:
                seen.add(a.casefold())
                al.append(a)
        out_rows.append([cc, code, name, "|".join(al)])
    # names/aliases must be unambiguous within a country
    for cc in expect:
        owner = {}
        for r in out_rows:
            if r[0] != cc:
                continue
            for n in [r[1], r[2]] + (r[3].split("|") if r[3] else []):
                k = n.casefold()
                assert owner.get(k, r[1]) == r[1], (cc, n, owner[k], r[1])
                owner[k] = r[1]
    out_rows.sort(key=lambda r: (r[0], r[1]))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["country", "code", "name", "aliases"])
    w.writerows(out_rows)
    (DATA / "subdivisions.csv").write_text(buf.getvalue(), encoding="utf-8", newline="\n")
    print(f"subdivisions.csv: {len(out_rows)} rows " + str({cc: sum(1 for r in out_rows if r[0] == cc) for cc in expect}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/crmaudit-data-src")
