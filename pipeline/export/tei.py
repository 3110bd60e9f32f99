"""TEI P5: one file per document, entities inline (``persName``, ``orgName``…) pointing into ``<standOff>``."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from .. import __version__
from ..files import atomic_writer
from ..normalize.edtf import EDTF_DATE, QUALIFIERS, SEASONS, edtf_bounds, simple_bounds
from ..validate import span_sort_key
from .records import DocumentRows, ProgressCallback, unique_documents
from .target import ExportStats

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EDTF_URI = "https://www.loc.gov/standards/datetime/"
# label -> (inline element, attributes); TRIAL has no TEI name element of its own.
TEI_INLINE = {
    "PERSON": ("persName", {}),
    "ORG": ("orgName", {}),
    "LOC": ("placeName", {}),
    "DATE": ("date", {}),
    "TRIAL": ("rs", {"type": "trial"}),
}
# entity type -> (list element, item element, name element) in <standOff>
TEI_LISTS = {
    "PERSON": ("listPerson", "person", "persName"),
    "ORG": ("listOrg", "org", "orgName"),
    "LOC": ("listPlace", "place", "placeName"),
    "TRIAL": ("listEvent", "event", "label"),
}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_PLAIN_DATE = re.compile(r"^-?\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")  # what W3C dates (TEI's @when) can say


def tei_xml_id(kb_id: str) -> str:
    """The ``xml:id`` a knowledge-base id gets in TEI (itself when it is a valid NCName)."""
    if _NCNAME.match(kb_id):
        return kb_id
    return "kb-" + re.sub(r"[^\w.\-]", "_", kb_id)


def tei_date_attributes(edtf: Optional[str]) -> Dict[str, str]:
    """TEI dating attributes for an EDTF value.

    A plain day, month or year becomes ``@when``; an interval ``@from``/``@to``
    (an open end ``..`` is left out); a season or decade the months or years
    it spans (``1937-21`` → from 1937-03 to 1937-05, ``193X`` → from 1930 to
    1939). Values that are not plain W3C dates also keep their EDTF form in
    ``@when-custom``, with ``@datingMethod`` pointing to the EDTF
    specification, and ``?`` or ``%`` (uncertain) add ``@cert="low"``.

    edtf (str | None): the span's ``edtf`` value.
    RETURNS (Dict[str, str]): the attributes; empty when the value means no date we can read.
    """
    if not edtf or not edtf.strip():
        return {}
    value = edtf.strip()
    parts = value.split("/", 1)
    attrs: Dict[str, str] = {}
    if len(parts) == 1:
        bounds = _tei_range(value)
        if bounds is None:
            return {}
        if bounds[0] == bounds[1]:
            attrs["when"] = bounds[0]
        else:
            attrs["from"], attrs["to"] = bounds
    else:
        low = _tei_range(parts[0]) if parts[0] not in ("", "..") else None
        high = _tei_range(parts[1]) if parts[1] not in ("", "..") else None
        if low is None and high is None:
            return {}
        if low is not None:
            attrs["from"] = low[0]
        if high is not None:
            attrs["to"] = high[1]
    if "?" in value or "%" in value:
        attrs["cert"] = "low"
    if not all(_PLAIN_DATE.match(part) or part in ("", "..") for part in parts):
        attrs["when-custom"] = value
        attrs["datingMethod"] = EDTF_URI
    return attrs


def _tei_range(part: str) -> Optional[Tuple[str, str]]:
    # One EDTF date as the first and last W3C date TEI can say for it, at its own precision.
    plain = QUALIFIERS.sub("", part)
    if _PLAIN_DATE.match(plain):
        return (plain, plain) if simple_bounds(plain) is not None else None
    match = EDTF_DATE.match(plain)
    if match:
        year_text, month_text, day_text = match.group("year", "month", "day")
        if "X" in year_text:
            low = int(year_text.replace("X", "0"))
            return f"{low:04d}", f"{low + 10 ** year_text.count('X') - 1:04d}"
        if month_text == "XX":
            return year_text, year_text
        if month_text and int(month_text) in SEASONS and day_text is None:
            year = int(year_text)
            first, last, carry = SEASONS[int(month_text)]
            return f"{year:04d}-{first:02d}", f"{year + carry:04d}-{last:02d}"
        if day_text == "XX":
            return f"{year_text}-{month_text}", f"{year_text}-{month_text}"
    bounds = edtf_bounds(part)
    if not bounds or not bounds[0] or not bounds[1]:
        return None
    return bounds[0], bounds[1]


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def paragraph_ranges(text: str, spans: Sequence[Dict[str, Any]]) -> List[Tuple[int, int]]:
    """Character ranges of the paragraphs (split at blank lines that are not inside a span), whitespace trimmed."""
    ranges, start = [], 0
    inside = [(s["start"], s["end"]) for s in spans]
    for match in _PARAGRAPH_BREAK.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in inside):
            continue
        ranges.append((start, match.start()))
        start = match.end()
    ranges.append((start, len(text)))
    trimmed = []
    for begin, end in ranges:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def _append_text(parent, text: str, E) -> None:
    # Line breaks inside a paragraph (an infobox, a poem, a list) become <lb/>.
    lines = _xml_text(text).split("\n")
    for index, line in enumerate(lines):
        if index:
            parent.append(E.lb())
        if not line:
            continue
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + line
        else:
            parent.text = (parent.text or "") + line


def tei_inline(span: Dict[str, Any], text: str, E):
    """The inline element for one span: persName, orgName, placeName, date or rs type="trial"."""
    tag, attrs = TEI_INLINE[span["label"]]
    element = E(tag, **attrs)
    element.text = _xml_text(text)
    if span.get("kb_id"):
        element.set("ref", "#" + tei_xml_id(str(span["kb_id"])))
    if span["label"] == "DATE":
        for name, value in tei_date_attributes(span.get("edtf")).items():
            element.set(name, value)
    return element


def tei_document(rows: DocumentRows, *, input_name: str = ""):
    """A TEI P5 document for one tagged document.

    The header names the document, its source, URL and hash; the body holds
    the text in paragraphs with the entities inline, each ``@ref`` pointing
    (``#kb_id``) to a person, org, place or event in ``<standOff>`` that
    carries the canonical and Cyrillic names.

    rows (DocumentRows): the document's rows and task.
    input_name (str): the export's input, named in publicationStmt.
    RETURNS (lxml.etree._Element): the ``<TEI>`` element.
    """
    from lxml.builder import ElementMaker

    E = ElementMaker(namespace=TEI_NS, nsmap={None: TEI_NS})
    task, document = rows.task, rows.document
    text = task["text"]
    meta = task.get("meta") or {}
    title = str(meta.get("title") or _first_line_of(text) or document["id"])
    bibl = E.bibl(E.title(_xml_text(title)), E.idno(_xml_text(document["id"]), type="id"))
    if document["source"]:
        bibl.append(E.idno(_xml_text(document["source"]), type="source"))
    bibl.append(E.idno(rows.hash, type="sha256"))
    if document["url"]:
        bibl.append(E.ptr(target=document["url"]))
    publication = f"Exported by terreur {__version__}" + (f" from {input_name}" if input_name else "") + "; entities tagged automatically."
    header = E.teiHeader(
        E.fileDesc(
            E.titleStmt(E.title(_xml_text(title))),
            E.publicationStmt(E.p(_xml_text(publication))),
            E.sourceDesc(bibl),
        )
    )
    spans = sorted(task.get("spans") or [], key=span_sort_key)
    body = E.body()
    for begin, end in paragraph_ranges(text, spans):
        paragraph = E.p()
        position = begin
        for span in spans:
            if span["start"] < begin or span["end"] > end:
                continue
            _append_text(paragraph, text[position : span["start"]], E)
            paragraph.append(tei_inline(span, text[span["start"] : span["end"]], E))
            position = span["end"]
        _append_text(paragraph, text[position:end], E)
        body.append(paragraph)
    root = E.TEI(header, E.text(body))
    root.set(f"{{{XML_NS}}}lang", "nl")
    stand_off = tei_stand_off(rows, E)
    if stand_off is not None:
        root.append(stand_off)
    return root


def tei_stand_off(rows: DocumentRows, E):
    """``<standOff>`` with one list per entity type, the targets of the mentions' ``@ref``; None without entities."""
    first_text: Dict[str, Tuple[str, str]] = {}
    for mention in rows.mentions:
        if mention["entity"] is not None:
            first_text.setdefault(mention["entity"], (mention["label"], mention["text"]))
    lists: Dict[str, Any] = {}
    for entity in sorted(rows.entities, key=lambda e: e["kb_id"]):
        label, mention_text = first_text[entity["kb_id"]]
        kind = entity["type"] if entity["type"] in TEI_LISTS else label
        if kind not in TEI_LISTS:
            continue  # a DATE with a kb_id has nothing to point to
        list_tag, item_tag, name_tag = TEI_LISTS[kind]
        item = E(item_tag)
        item.set(f"{{{XML_NS}}}id", tei_xml_id(entity["kb_id"]))
        item.append(E(name_tag, _xml_text(entity["canonical"] or mention_text), type="canonical"))
        if entity["cyrillic"]:
            cyrillic = E(name_tag, _xml_text(entity["cyrillic"]), type="original")
            cyrillic.set(f"{{{XML_NS}}}lang", "ru")
            item.append(cyrillic)
        item.append(E.idno(entity["kb_id"], type="kb"))
        if list_tag not in lists:
            lists[list_tag] = E(list_tag)
        lists[list_tag].append(item)
    if not lists:
        return None
    return E.standOff(*[lists[spec[0]] for spec in TEI_LISTS.values() if spec[0] in lists])


def _first_line_of(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def tei_file_name(document_id: str, doc_hash: str) -> str:
    """A safe file name from the document id (the hash when the id has no usable characters)."""
    stem = re.sub(r"[^\w.\-]+", "_", document_id).strip("._")[:120]
    return f"{stem or doc_hash[:16]}.xml"


def export_to_tei(directory: Path, batches: Iterable[List[DocumentRows]], stats: ExportStats, progress: Optional[ProgressCallback], *, input_name: str = "") -> None:
    """Write one TEI file per document into a directory, each atomically."""
    from lxml import etree

    names: Dict[str, str] = {}
    entities: set = set()
    for rows in unique_documents(batches, stats, progress):
        name = tei_file_name(rows.document["id"], rows.hash)
        if names.get(name, rows.hash) != rows.hash:
            name = f"{name[:-4]}-{rows.hash[:12]}.xml"  # two documents with one id
        names[name] = rows.hash
        data = etree.tostring(tei_document(rows, input_name=input_name), xml_declaration=True, encoding="UTF-8", pretty_print=True)
        with atomic_writer(directory / name) as f:
            f.write(data.decode("utf-8"))
        stats.documents += 1
        stats.mentions += len(rows.mentions)
        entities.update(e["kb_id"] for e in rows.entities)
    stats.entities = len(entities)
