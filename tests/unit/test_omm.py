"""Tests of the CCSDS OMM reader (orbitkeep.io.omm): JSON, KVN and XML to TLE."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from orbitkeep.errors import InputFileError, OMMFormatError, OrbitkeepError
from orbitkeep.io.elements import element_format, read_elements
from orbitkeep.io.omm import MANDATORY, omm_to_tle_lines, read_omm
from orbitkeep.io.tle import format_tle, parse_lines, read_tles

DATA = Path(__file__).parents[1] / "data" / "tle"
FROM_OMM = DATA / "25544_iss_2024-09_from_omm_head.tle"

# Three CelesTrak GP JSON records (ISS, Sept. 2024) rebuilt field by field from sets 1, 3
# and 10 of 25544_iss_2024-09_from_omm_head.tle, which the data team converted from
# CelesTrak's own JSON records. Layout and number style as CelesTrak serves them.
CELESTRAK_JSON = """[{
    "OBJECT_NAME": "ISS (ZARYA)", "OBJECT_ID": "1998-067A",
    "EPOCH": "2024-09-15T00:58:12.885024", "MEAN_MOTION": 15.49088255,
    "ECCENTRICITY": 0.0007613, "INCLINATION": 51.6359, "RA_OF_ASC_NODE": 230.2949,
    "ARG_OF_PERICENTER": 354.9391, "MEAN_ANOMALY": 85.5828, "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U", "NORAD_CAT_ID": 25544, "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 47248, "BSTAR": -0.00036841, "MEAN_MOTION_DOT": -0.00020782,
    "MEAN_MOTION_DDOT": 0
}, {
    "OBJECT_NAME": "ISS (ZARYA)", "OBJECT_ID": "1998-067A",
    "EPOCH": "2024-09-16T20:20:37.366080", "MEAN_MOTION": 15.49233013,
    "ECCENTRICITY": 0.0007739, "INCLINATION": 51.6363, "RA_OF_ASC_NODE": 221.3415,
    "ARG_OF_PERICENTER": 357.9498, "MEAN_ANOMALY": 88.1484, "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U", "NORAD_CAT_ID": 25544, "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 47276, "BSTAR": 0.0014358, "MEAN_MOTION_DOT": 0.00080194,
    "MEAN_MOTION_DDOT": 0
}, {
    "OBJECT_NAME": "ISS (ZARYA)", "OBJECT_ID": "1998-067A",
    "EPOCH": "2024-09-23T01:03:47.476800", "MEAN_MOTION": 15.49527377,
    "ECCENTRICITY": 0.0007642, "INCLINATION": 51.6374, "RA_OF_ASC_NODE": 190.6801,
    "ARG_OF_PERICENTER": 16.5968, "MEAN_ANOMALY": 95.1751, "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U", "NORAD_CAT_ID": 25544, "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 47372, "BSTAR": 0.0034867, "MEAN_MOTION_DOT": 0.00200476,
    "MEAN_MOTION_DDOT": 0
}]"""

# The first record as CCSDS KVN (with comments and units) and as CelesTrak's NDM/XML.
KVN = """CCSDS_OMM_VERS = 2.0
COMMENT  GENERATED VIA SPACE-TRACK.ORG API
CREATION_DATE = 2024-09-15T04:16:33
ORIGINATOR = 18 SPCS

OBJECT_NAME = ISS (ZARYA)
OBJECT_ID = 1998-067A
CENTER_NAME = EARTH
REF_FRAME = TEME
TIME_SYSTEM = UTC
MEAN_ELEMENT_THEORY = SGP4

EPOCH = 2024-09-15T00:58:12.885024
MEAN_MOTION = 15.49088255 [rev/day]
ECCENTRICITY = .0007613
INCLINATION = 51.6359 [deg]
RA_OF_ASC_NODE = 230.2949 [deg]
ARG_OF_PERICENTER = 354.9391 [deg]
MEAN_ANOMALY = 85.5828 [deg]
EPHEMERIS_TYPE = 0
CLASSIFICATION_TYPE = U
NORAD_CAT_ID = 25544
ELEMENT_SET_NO = 999
REV_AT_EPOCH = 47248
BSTAR = -.36841E-3 [1/ER]
MEAN_MOTION_DOT = -.20782E-3 [rev/day**2]
MEAN_MOTION_DDOT = 0 [rev/day**3]
"""

XML = """<?xml version="1.0" encoding="UTF-8"?>
<ndm xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:noNamespaceSchemaLocation="https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd">
<omm id="CCSDS_OMM_VERS" version="2.0">
<header><CREATION_DATE/><ORIGINATOR/></header>
<body><segment>
<metadata><OBJECT_NAME>ISS (ZARYA)</OBJECT_NAME><OBJECT_ID>1998-067A</OBJECT_ID>\
<CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>\
<MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata>
<data><meanElements><EPOCH>2024-09-15T00:58:12.885024</EPOCH>\
<MEAN_MOTION>15.49088255</MEAN_MOTION><ECCENTRICITY>.0007613</ECCENTRICITY>\
<INCLINATION>51.6359</INCLINATION><RA_OF_ASC_NODE>230.2949</RA_OF_ASC_NODE>\
<ARG_OF_PERICENTER>354.9391</ARG_OF_PERICENTER><MEAN_ANOMALY>85.5828</MEAN_ANOMALY>\
</meanElements>
<tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE>\
<CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE><NORAD_CAT_ID>25544</NORAD_CAT_ID>\
<ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>47248</REV_AT_EPOCH>\
<BSTAR>-.36841E-3</BSTAR><MEAN_MOTION_DOT>-.20782E-3</MEAN_MOTION_DOT>\
<MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters></data>
</segment></body></omm>
</ndm>
"""

ISS_L1 = "1 25544U 98067A   24259.04042691 -.00020782  00000-0 -36841-3 0  9994"
ISS_L2 = "2 25544  51.6359 230.2949 0007613 354.9391  85.5828 15.49088255472489"


def write(tmp_path: Path, text: str | bytes, name: str = "gp.omm") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def record(**changes: object) -> dict[str, object]:
    rec: dict[str, object] = json.loads(CELESTRAK_JSON)[0]
    rec.update(changes)
    return {k: v for k, v in rec.items() if v is not None}


def omm_error(tmp_path: Path, text: str | bytes, name: str = "gp.omm") -> OMMFormatError:
    p = write(tmp_path, text, name)
    with pytest.raises(OrbitkeepError) as info:
        read_omm(p)
    assert type(info.value) is OMMFormatError, repr(info.value)
    assert name in str(info.value)
    return info.value


# ---------------------------------------------------------------- round trips


def test_celestrak_json_equals_the_tle_of_the_same_epoch(tmp_path: Path) -> None:
    tles = {t.epoch_s: t for t in read_tles(FROM_OMM)}
    got = read_omm(write(tmp_path, CELESTRAK_JSON, "iss.json"))
    assert len(got) == 3
    for t in got:
        ref = tles[t.epoch_s]
        assert (t.line1, t.line2) == (ref.line1, ref.line2)  # line for line, checksums too
        assert t.name == ref.name == "ISS (ZARYA)"
        assert t.path == str(tmp_path / "iss.json")
        assert t.line_no is None
        assert t.sma_m == ref.sma_m
    for rec in json.loads(CELESTRAK_JSON):
        l1, l2 = omm_to_tle_lines(rec)
        assert (l1, l2) in {(t.line1, t.line2) for t in tles.values()}


def test_celestrak_csv_equals_the_json(tmp_path: Path) -> None:
    """CelesTrak GP FORMAT=CSV: the JSON's keywords as a header line, one record a line
    (numbers as CelesTrak writes them: '.0007613', '-.36841E-3'); the same TLEs as the
    JSON. It was read as KVN ('not a KVN line')."""
    recs = json.loads(CELESTRAK_JSON)
    keys = list(recs[0])

    def cell(v: object) -> str:
        text = str(v)
        return text.replace("0.", ".", 1) if text.startswith("0.") else text

    lines = [",".join(keys)]
    for r in recs:
        lines.append(",".join(f'"{v}"' if k == "OBJECT_NAME" else cell(v) for k, v in r.items()))
    for k, a, b in ((1, ",-0.00036841,", ",-.36841E-3,"), (2, ",.0014358,", ",.14358E-2,")):
        assert a in lines[k]
        lines[k] = lines[k].replace(a, b)
    path = write(tmp_path, "\r\n".join(lines) + "\r\n", "iss.csv")
    assert element_format(path) == "omm"
    got = read_elements(path)
    want = read_omm(write(tmp_path, CELESTRAK_JSON, "iss.json"))
    assert [(t.line1, t.line2, t.name) for t in got] == [(t.line1, t.line2, t.name) for t in want]
    assert [t.line_no for t in got] == [2, 3, 4]
    # a record with a field too few names its line
    bad = write(tmp_path, "\n".join([*lines[:3], lines[3].rsplit(",", 1)[0]]) + "\n", "bad.csv")
    with pytest.raises(OMMFormatError, match=r"bad\.csv:4: .*16 fields, the header 17"):
        read_omm(bad)


def gp_record_from_tle(line1: str, line2: str, name: str | None) -> dict[str, object]:
    """The CelesTrak GP JSON record a TLE came from, field by field (numbers as JSON floats)."""

    def exp_field(f: str) -> float:  # ' 34854-4' -> 0.34854e-4
        f = f.strip()
        sign = "-" if f[0] == "-" else ""
        f = f.lstrip("+-")
        return float(f"{sign}0.{f[:-2]}e{f[-2:]}")

    yy, launch_yy = int(line1[18:20]), int(line1[9:11])
    year = 1900 + yy if yy >= 57 else 2000 + yy
    micro = int(line1[24:32]) * 864  # 1e-8 day = 864 microseconds, exactly
    epoch = datetime(year, 1, 1) + timedelta(days=int(line1[20:23]) - 1, microseconds=micro)
    return {
        "OBJECT_NAME": name,
        "OBJECT_ID": f"{1900 + launch_yy if launch_yy >= 57 else 2000 + launch_yy}-"
        f"{line1[11:14]}{line1[14:17].strip()}",
        "EPOCH": epoch.isoformat(timespec="microseconds"),
        "MEAN_MOTION": float(line2[52:63]),
        "ECCENTRICITY": float("0." + line2[26:33]),
        "INCLINATION": float(line2[8:16]),
        "RA_OF_ASC_NODE": float(line2[17:25]),
        "ARG_OF_PERICENTER": float(line2[34:42]),
        "MEAN_ANOMALY": float(line2[43:51]),
        "EPHEMERIS_TYPE": int(line1[62]),
        "CLASSIFICATION_TYPE": line1[7],
        "NORAD_CAT_ID": int(line1[2:7]),
        "ELEMENT_SET_NO": int(line1[64:68]),
        "REV_AT_EPOCH": int(line2[63:68]),
        "BSTAR": exp_field(line1[53:61]),
        "MEAN_MOTION_DOT": float(line1[33:43]),
        "MEAN_MOTION_DDOT": exp_field(line1[44:52]),
    }


def test_every_record_of_the_omm_derived_file_round_trips(tmp_path: Path) -> None:
    """All records behind 25544_iss_2024-09_2025-03_from_omm.tle, rebuilt and converted."""
    shared = Path(__file__).parents[2].parent / "shared" / "data"
    path = shared / "25544_iss_2024-09_2025-03_from_omm.tle"
    if not path.is_file():
        path = FROM_OMM  # the first 10 sets, kept in the repository
    tles = read_tles(path)
    recs = [gp_record_from_tle(t.line1, t.line2, t.name) for t in tles]
    assert recs[0] == json.loads(CELESTRAK_JSON)[0]
    got = read_omm(write(tmp_path, json.dumps(recs), "gp.json"))
    assert [(t.line1, t.line2, t.name) for t in got] == [(t.line1, t.line2, t.name) for t in tles]


def test_space_track_style_strings(tmp_path: Path) -> None:
    # Space-Track's GP JSON gives every value as a string.
    rec = {k: str(v) for k, v in json.loads(CELESTRAK_JSON)[0].items()}
    assert omm_to_tle_lines(rec) == (ISS_L1, ISS_L2)
    (t,) = read_omm(write(tmp_path, json.dumps(rec), "one.json"))  # a single object
    assert t.line1 == ISS_L1


def test_kvn_and_xml_give_the_same_tle(tmp_path: Path) -> None:
    (from_kvn,) = read_omm(write(tmp_path, KVN, "iss.kvn"))
    (from_xml,) = read_omm(write(tmp_path, XML, "iss.xml"))
    (from_json,) = read_omm(write(tmp_path, CELESTRAK_JSON, "iss.json"))[:1]
    for t in (from_kvn, from_xml):
        assert (t.line1, t.line2, t.name) == (ISS_L1, ISS_L2, "ISS (ZARYA)")
        assert t.epoch_s == from_json.epoch_s
    assert from_kvn.line_no == 1
    assert from_kvn.where() == f"{tmp_path / 'iss.kvn'}:1"
    assert from_xml.where() == str(tmp_path / "iss.xml")


def test_several_messages_and_filter(tmp_path: Path) -> None:
    second = KVN.replace("25544", "25545").replace("ISS (ZARYA)", "OTHER")
    tles = read_omm(write(tmp_path, KVN + "\n" + second, "two.kvn"))
    assert [(t.norad_id, t.name, t.line_no) for t in tles] == [
        (25544, "ISS (ZARYA)", 1),
        (25545, "OTHER", 29),
    ]
    assert [t.name for t in read_omm(tmp_path / "two.kvn", norad_id=25545)] == ["OTHER"]
    with pytest.raises(InputFileError, match="no OMM record for NORAD 1 "):
        read_omm(tmp_path / "two.kvn", norad_id=1)

    omm = XML[XML.index("<omm ") : XML.index("</ndm>")]
    xml2 = XML.replace("</ndm>", omm.replace("25544", "25545") + "</ndm>")
    assert [t.norad_id for t in read_omm(write(tmp_path, xml2, "two.xml"))] == [25544, 25545]


def test_namespaced_xml_and_bare_omm_root(tmp_path: Path) -> None:
    qualified = XML.replace("<ndm ", '<ndm xmlns="urn:ccsds:schema:ndmxml" ')
    (t,) = read_omm(write(tmp_path, qualified, "q.xml"))
    assert t.line1 == ISS_L1
    bare = XML[XML.index("<omm ") : XML.index("</ndm>")]
    (t,) = read_omm(write(tmp_path, "\n\n  " + bare, "bare.xml"))
    assert t.line2 == ISS_L2


def test_round_trip_through_tle_file(tmp_path: Path) -> None:
    tles = read_omm(write(tmp_path, CELESTRAK_JSON, "iss.json"))
    p = write(tmp_path, "".join(format_tle(t) for t in tles), "iss.tle")
    assert [(t.line1, t.line2) for t in read_tles(p)] == [(t.line1, t.line2) for t in tles]


# ---------------------------------------------------------------- field conversion


@pytest.mark.parametrize(
    ("bstar", "field"),
    [
        (0, " 00000-0"),
        ("0.0", " 00000-0"),
        (-0.00036841, "-36841-3"),
        ("3.4854e-05", " 34854-4"),
        (0.5, " 50000+0"),
        (1.5, " 15000+1"),
        (0.999999, " 10000+1"),  # rounds up a decade
        (5e-10, " 50000-9"),
        (1e-15, " 00000-0"),  # below what the field can hold
        ("-.12345678E-2", "-12346-2"),
    ],
)
def test_exponent_fields(bstar: object, field: str) -> None:
    l1, l2 = omm_to_tle_lines(record(BSTAR=bstar, MEAN_MOTION_DDOT=bstar))
    assert l1[53:61] == field
    assert l1[44:52] == field
    parse_lines(l1, l2)


@pytest.mark.parametrize(
    ("epoch", "field"),
    [
        ("2024-259T00:58:12.885024", "24259.04042691"),  # day-of-year form
        ("2024-09-15T00:58:12.885024Z", "24259.04042691"),
        ("2000-01-01T00:00:00", "00001.00000000"),
        ("1957-10-04T19:28:34", "57277.81150463"),
        ("2056-12-31T12:00:00", "56366.50000000"),
        ("2023-12-31T23:59:59.9999999", "24001.00000000"),  # rounds into the next year
        # the last 0.43 ms of 2056 cannot round into 2057 (it would read as 1957)
        ("2056-12-31T23:59:59.999568", "56366.99999999"),
    ],
)
def test_epoch_field(epoch: str, field: str) -> None:
    l1, l2 = omm_to_tle_lines(record(EPOCH=epoch))
    assert l1[18:32] == field
    parse_lines(l1, l2)


def test_angles_are_wrapped_and_defaults_filled() -> None:
    rec = record(RA_OF_ASC_NODE=-10, MEAN_ANOMALY="-0.00001", ARG_OF_PERICENTER="359.99999")
    for key in ("MEAN_MOTION_DDOT", "EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH"):
        del rec[key]
    del rec["OBJECT_ID"], rec["CLASSIFICATION_TYPE"], rec["OBJECT_NAME"]
    l1, l2 = omm_to_tle_lines({**rec, "MEAN_MOTION_DOT": "-0.000000001", "INCLINATION": "-0.0"})
    assert l1[:18] == "1 25544U          "
    assert l1[33:43] == " .00000000"
    assert l1[62:68] == "0  999"
    assert l2[8:16] == "  0.0000"
    assert l2[17:25] == "350.0000"
    assert l2[34:42] == "  0.0000"
    assert l2[43:51] == "  0.0000"
    assert l2[63:68] == "    0"
    t = parse_lines(l1, l2)
    assert t.raan_deg == 350.0


def test_revolution_number_wraps() -> None:
    _, l2 = omm_to_tle_lines(record(REV_AT_EPOCH=147248))
    assert l2[63:68] == "47248"


# ---------------------------------------------------------------- unsafe XML


XXE = """<?xml version="1.0"?>
<!DOCTYPE omm [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<omm><body><segment><metadata><OBJECT_NAME>&xxe;</OBJECT_NAME></metadata>
<data><meanElements><EPOCH>2024-09-15T00:58:12.885024</EPOCH></meanElements></data>
</segment></body></omm>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<omm><body><segment><metadata><OBJECT_NAME>&lol9;</OBJECT_NAME></metadata></segment></body></omm>
"""

EXTERNAL_DTD = XML.replace(
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?xml version="1.0"?>\n<!DOCTYPE ndm SYSTEM "http://127.0.0.1:9/ndm.dtd">',
)

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE omm [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>
<omm/>
"""


@pytest.mark.parametrize(
    "attack",
    [XXE, BILLION_LAUGHS, EXTERNAL_DTD, PARAMETER_ENTITY],
    ids=["xxe", "billion-laughs", "external-dtd", "parameter-entity"],
)
def test_unsafe_xml_is_refused(tmp_path: Path, attack: str) -> None:
    t0 = time.perf_counter()
    err = omm_error(tmp_path, attack, "attack.xml")
    assert time.perf_counter() - t0 < 2.0
    assert "unsafe XML" in str(err)
    assert "root:" not in str(err)


# ---------------------------------------------------------------- malformed input


def test_kvn_errors_name_the_line(tmp_path: Path) -> None:
    lines = KVN.splitlines()
    at = {ln.split("=")[0].strip(): i + 1 for i, ln in enumerate(lines) if "=" in ln}

    bad = KVN.replace("MEAN_MOTION = 15.49088255", "MEAN_MOTION = 15.4908x255")
    err = omm_error(tmp_path, bad)
    assert err.line == at["MEAN_MOTION"]
    assert f"gp.omm:{at['MEAN_MOTION']}: MEAN_MOTION: not a number" in str(err)

    err = omm_error(tmp_path, KVN.replace("BSTAR = -.36841E-3 [1/ER]\n", ""))
    assert err.line == 1  # missing: the message's first line
    assert "gp.omm:1: BSTAR: mandatory field is missing" in str(err)

    err = omm_error(tmp_path, KVN.replace("BSTAR = -.36841E-3 [1/ER]", "BSTAR = [1/ER]"))
    assert err.line == at["BSTAR"]  # empty value: its own line
    assert "BSTAR: mandatory field is missing" in str(err)

    err = omm_error(tmp_path, KVN.replace("CENTER_NAME = EARTH", "CENTER_NAME EARTH"))
    assert err.line == at["CENTER_NAME"]
    assert "KEY = value" in str(err)

    err = omm_error(tmp_path, KVN + "INCLINATION = 51.6\n")
    assert err.line == len(lines) + 1
    assert "given twice" in str(err)

    # 125544 fits a TLE as Alpha-5 (C5544) since Alpha-5 is read; 340000 fits no TLE
    err = omm_error(tmp_path, KVN.replace("NORAD_CAT_ID = 25544", "NORAD_CAT_ID = 340000"))
    assert err.line == at["NORAD_CAT_ID"]


@pytest.mark.parametrize("key", MANDATORY)
def test_json_missing_field_names_the_record(tmp_path: Path, key: str) -> None:
    recs = json.loads(CELESTRAK_JSON)
    del recs[1][key]
    err = omm_error(tmp_path, json.dumps(recs), "gp.json")
    assert err.line is None
    assert f"gp.json: record[1]: {key}: mandatory field is missing" in str(err)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("INCLINATION", "51.6x"),
        ("INCLINATION", 190.0),
        ("ECCENTRICITY", 1.0),
        ("ECCENTRICITY", -0.1),
        ("MEAN_MOTION", 0),
        ("MEAN_MOTION", "nan"),
        ("MEAN_MOTION", "1_5.5"),
        ("MEAN_MOTION", "١٥.٥"),
        ("MEAN_MOTION_DOT", 1.5),
        ("BSTAR", 2e12),
        ("NORAD_CAT_ID", 25544.5),
        ("NORAD_CAT_ID", 0),
        ("NORAD_CAT_ID", True),
        ("NORAD_CAT_ID", [25544]),
        ("EPOCH", "2024-02-30T00:00:00"),
        ("EPOCH", "2057-01-01T00:00:00"),
        ("EPOCH", "24259.04042691"),
        ("EPOCH", 1726361892.885),
        ("ELEMENT_SET_NO", 10000),
        ("CLASSIFICATION_TYPE", "X"),
    ],
)
def test_json_bad_field_names_the_record(tmp_path: Path, key: str, value: object) -> None:
    recs = json.loads(CELESTRAK_JSON)
    recs[2][key] = value
    err = omm_error(tmp_path, json.dumps(recs), "gp.json")
    assert f"record[2]: {key}:" in str(err)


@pytest.mark.parametrize(
    "text",
    ["[", '{"EPOCH": NaN}', "[1, 2]", '[{"EPOCH": Infinity}]', "[" * 100_000, "[]", '"text"'],
)
def test_bad_json(tmp_path: Path, text: str) -> None:
    omm_error(tmp_path, text, "gp.json")


def test_xml_errors_name_the_element(tmp_path: Path) -> None:
    err = omm_error(tmp_path, XML.replace(">51.6359<", ">51.6.359<"), "gp.xml")
    assert "<omm[1]/body/segment/data/meanElements/INCLINATION>: INCLINATION: not a number" in str(
        err
    )
    err = omm_error(tmp_path, XML.replace("<BSTAR>-.36841E-3</BSTAR>", ""), "gp.xml")
    assert "gp.xml: omm[1]: BSTAR: mandatory field is missing" in str(err)
    err = omm_error(tmp_path, XML.replace("<BSTAR>-.36841E-3</BSTAR>", "<BSTAR/>"), "gp.xml")
    assert "<omm[1]/body/segment/data/tleParameters/BSTAR>: BSTAR: mandatory" in str(err)
    bad = "\n\n" + XML.replace("</segment>", "")
    err = omm_error(tmp_path, bad, "gp.xml")
    assert "not well-formed" in str(err)
    assert err.line == next(i for i, ln in enumerate(bad.splitlines(), 1) if "</body>" in ln)
    err = omm_error(tmp_path, "<ndm><opm/></ndm>", "gp.xml")
    assert "no <omm> element" in str(err)


@pytest.mark.parametrize(
    "text",
    ["hello world", "KEY = 1\n", "CCSDS_OMM_VERS = 2.0\nCOMMENT only\n", "COMMENT x\n", "= 3"],
)
def test_bad_kvn(tmp_path: Path, text: str) -> None:
    omm_error(tmp_path, text)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"  \n\n",
        b"\x00\x01",
        b'[{"OBJECT_NAME": "\x00"}]',
        b"\xff\xfe<\x00o\x00",
        b"\x89PNG\r\n",
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(InputFileError) as info:
        read_omm(write(tmp_path, content, "gp.json"))
    assert "gp.json" in str(info.value)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="directory"):
        read_omm(tmp_path)
    with pytest.raises(InputFileError, match="no such file"):
        read_omm(tmp_path / "absent.json")


def test_only_defusedxml_parses_xml() -> None:
    import orbitkeep.io.omm as omm

    source = Path(omm.__file__).read_text(encoding="utf-8")
    for unsafe in ("xml.etree", "xml.dom", "xml.sax", "lxml", "xml.parsers"):
        assert unsafe not in source, unsafe
    assert "defusedxml.ElementTree" in source


# ---------------------------------------------------------------- the commands read OMM

OBSERVED = Path(__file__).parents[1] / "data" / "observed"


def _kvn(recs: list[dict[str, object]]) -> str:
    """KVN messages of GP records, one per record, each opened by its version line."""
    return "".join(
        "CCSDS_OMM_VERS = 2.0\n" + "".join(f"{k} = {v}\n" for k, v in r.items()) + "\n"
        for r in recs
    )


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.xml", XML, "omm"),
        ("a.json", CELESTRAK_JSON, "omm"),
        ("one.json", "\n  " + json.dumps(json.loads(CELESTRAK_JSON)[0]), "omm"),
        ("a.kvn", KVN, "omm"),
        ("b.kvn", "COMMENT a comment first\n" + KVN, "omm"),
        ("c.kvn", KVN[KVN.index("OBJECT_NAME") :], "omm"),  # no version line
        ("gp.php", XML, "omm"),  # the content decides, not the name
        ("xml.tle", XML, "omm"),
        ("a.tle", f"ISS (ZARYA)\n{ISS_L1}\n{ISS_L2}\n", "tle"),
        ("b.tle", f"{ISS_L1}\r\n{ISS_L2}\r\n", "tle"),
        ("c.tle", f"\ufeff0 ISS (ZARYA)\n{ISS_L1}\n{ISS_L2}\n", "tle"),
        ("empty.tle", "", "tle"),
    ],
)
def test_the_format_is_told_by_the_content(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    assert element_format(write(tmp_path, text, name)) == fmt


def test_read_elements_reads_each_format_with_its_reader(tmp_path: Path) -> None:
    tle = write(tmp_path, f"ISS (ZARYA)\n{ISS_L1}\n{ISS_L2}\n", "iss.tle")
    for p in (
        tle,
        write(tmp_path, XML, "iss.xml"),
        write(tmp_path, KVN, "iss.kvn"),
        write(tmp_path, json.dumps(json.loads(CELESTRAK_JSON)[:1]), "iss.json"),
    ):
        (t,) = read_elements(p)
        assert (t.line1, t.line2, t.name, t.path) == (ISS_L1, ISS_L2, "ISS (ZARYA)", str(p))
    assert read_elements(tle, norad_id=25544)[0].line1 == ISS_L1
    # what is wrong with a file is said by the reader of its format
    with pytest.raises(InputFileError, match="no such file"):
        read_elements(tmp_path / "missing.tle")
    with pytest.raises(OMMFormatError, match="unsafe XML"):
        read_elements(write(tmp_path, '<!DOCTYPE x [<!ENTITY a "a">]><ndm/>', "x.xml"))
    with pytest.raises(InputFileError, match="no OMM record for NORAD 1 "):
        read_elements(write(tmp_path, KVN, "iss.kvn"), norad_id=1)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    from orbitkeep.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    doc: dict[str, object] = json.loads(out)
    return doc


def test_the_commands_give_the_same_answer_from_omm_as_from_the_tles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Starlink-24's last 60 element sets before 2022-10-10 and Starlink-61's before
    2022-07-15, as TLEs and as the GP JSON / KVN records they correspond to: `reentry`,
    `decay` and `batch` answer the same, to the last digit."""
    from orbitkeep.timescale import parse_utc

    sl24 = [
        t
        for t in read_tles(OBSERVED / "44238_starlink24.tle")
        if t.epoch_s < parse_utc("2022-10-10")
    ][-60:]
    sl61 = [
        t
        for t in read_tles(OBSERVED / "44249_starlink61.tle")
        if t.epoch_s < parse_utc("2022-07-15")
    ][-60:]
    both = sl24 + sl61
    recs = [gp_record_from_tle(t.line1, t.line2, t.name) for t in both]
    tle = write(tmp_path, "".join(format_tle(t) for t in both), "two.tle")
    gp = write(tmp_path, json.dumps(recs), "two.json")
    kvn = write(tmp_path, _kvn(recs), "two.kvn")

    def reentry(p: Path) -> dict[str, object]:
        args = ["reentry", str(p), "--norad", "44238", "--samples", "40", "--seed", "3"]
        return _cli([*args, "--json"], capsys)

    ref = reentry(tle)
    assert ref["norad_id"] == 44238 and ref["samples"] == 40
    assert reentry(gp) == ref
    assert reentry(kvn) == ref

    def decay(p: Path) -> dict[str, object]:
        return _cli(["decay", str(p), "--norad", "44249", "--days", "5", "--json"], capsys)

    assert decay(gp) == decay(tle)

    ref_batch = _cli(["batch", str(tle), "--json"], capsys)
    assert ref_batch["objects"] == 2 and ref_batch["reentered"] == 2
    assert _cli(["batch", str(gp), "--json"], capsys) == ref_batch


def test_a_malformed_omm_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orbitkeep.cli import main

    bad = json.loads(CELESTRAK_JSON)
    bad[1]["MEAN_MOTION"] = "fast"
    p = write(tmp_path, json.dumps(bad), "gp.json")
    for cmd in ("reentry", "decay", "batch"):
        assert main([cmd, str(p)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert f"{p}: record[1]: MEAN_MOTION:" in err, err


def test_catalogue_numbers_above_99999_become_alpha5(tmp_path: Path) -> None:
    """An OMM's NORAD_CAT_ID of 100,000-339,999 fits the TLE's 5 columns as Alpha-5
    (270000 -> T0000) and reads back as the same number; above 339,999 no TLE can hold
    it, and the error says so."""
    l1, l2 = omm_to_tle_lines(record(NORAD_CAT_ID=270000))
    assert l1[2:7] == l2[2:7] == "T0000"
    assert parse_lines(l1, l2).norad_id == 270000
    doc = json.loads(CELESTRAK_JSON)
    doc[0]["NORAD_CAT_ID"] = 270000
    p = write(tmp_path, json.dumps(doc[:1]), "gp.json")
    assert [t.norad_id for t in read_elements(p)] == [270000]
    doc[0]["NORAD_CAT_ID"] = 340000
    err = omm_error(tmp_path, json.dumps(doc[:1]), "big.json")
    assert "NORAD_CAT_ID" in str(err) and "339999" in str(err)
