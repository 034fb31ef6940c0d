"""Reading an uploaded .xlsx or .csv file into rows: the headers, then (row number as the
user sees it, cells) for every non-empty row. The .xlsx reader streams the first sheet's
XML itself, refuses DTDs and oversized parts, and hands a formula cell back as ``Formula``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from chizheng.core.errors import ValidationError


@dataclass(frozen=True)
class Formula:
    """A cell of an .xlsx file that holds a formula: refused, whatever it would compute (its
    value may differ in another program, and written back it would run in every export)."""

    text: str


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def read_rows(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Headers, and (row number as the user sees it, cells) for every non-empty data row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            rows: Iterator[Sequence[Any]] = xlsx_rows(content)
            first = next(rows, None)
        except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
            raise ValidationError(
                "无法读取该Excel文件，请使用下载的模板（.xlsx）",
                message_en="unreadable .xlsx file",
                code="import_unreadable",
            ) from e
        rows = itertools.chain([first] if first is not None else [], rows)
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(
                "CSV文件编码无法识别，请使用UTF-8或GBK编码",
                message_en="unknown CSV encoding",
                code="import_unreadable",
            )
        rows = iter(csv.reader(io.StringIO(text)))
    else:
        raise ValidationError(
            "只支持 .xlsx 或 .csv 文件", message_en="only .xlsx or .csv", code="import_unreadable"
        )
    header = next(rows, None)
    if header is None:
        raise ValidationError("文件为空", message_en="empty file", code="import_unreadable")
    headers = [_header(h) for h in header]

    def data() -> Iterator[tuple[int, list[Any]]]:
        try:
            for n, raw in enumerate(rows, start=2):
                cells = [_cell(v) for v in raw]
                if any(c != "" for c in cells):
                    yield n, cells
        except ET.ParseError as e:
            raise ValidationError(
                "Excel文件已损坏，无法读取",
                message_en="damaged .xlsx file",
                code="import_unreadable",
            ) from e

    return headers, data()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


MAX_PART_BYTES = 512 * 1024 * 1024


def _part(z: zipfile.ZipFile, name: str) -> bytes:
    """One XML part of the workbook, refused if it declares a DTD or entities (the XML attacks
    defusedxml guards against need one; spreadsheet parts never have one) or is a zip bomb."""
    if z.getinfo(name).file_size > MAX_PART_BYTES:
        raise ET.ParseError(f"{name} is too large")
    data = z.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ET.ParseError(f"{name} declares a DTD")
    return data


def _first_sheet_path(z: zipfile.ZipFile) -> str:
    workbook = ET.fromstring(_part(z, "xl/workbook.xml"))  # noqa: S314 - DTDs refused by _part
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if sheet is None:
        raise KeyError("no sheet")
    rels = ET.fromstring(_part(z, "xl/_rels/workbook.xml.rels"))  # noqa: S314 - see _part
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == sheet.get(_REL):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError("sheet target")


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + (ord(ch.upper()) - 64)
        else:
            break
    return n - 1


def xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows, streamed with the C XML parser (openpyxl's reader is several
    times slower on 100,000-row files). Empty rows between rows come back as empty lists so
    row numbers stay those the user sees; numbers come back as int/float."""
    z = zipfile.ZipFile(io.BytesIO(content))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in z.namelist():
        for _, el in ET.iterparse(io.BytesIO(_part(z, "xl/sharedStrings.xml"))):  # noqa: S314
            if el.tag == f"{_NS}si":
                shared.append("".join(t.text or "" for t in el.iter(f"{_NS}t")))
                el.clear()
    expected = 1
    for _, el in ET.iterparse(io.BytesIO(_part(z, _first_sheet_path(z)))):  # noqa: S314
        if el.tag != f"{_NS}row":
            continue
        number = int(el.get("r") or expected)
        while expected < number:
            yield []
            expected += 1
        cells: list[Any] = []
        for c in el.iter(f"{_NS}c"):
            ref = c.get("r")
            if ref:
                col = _column(ref)
                cells.extend([None] * (col - len(cells)))
            kind = c.get("t", "n")
            v = c.find(f"{_NS}v")
            f = c.find(f"{_NS}f")
            value: Any
            if f is not None:
                value = Formula(f.text or "")
            elif kind == "s":
                value = shared[int(v.text)] if v is not None and v.text else ""
            elif kind == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            elif v is None or v.text is None:
                value = None
            elif kind in ("str", "e"):
                value = v.text
            elif kind == "b":
                value = v.text == "1"
            else:
                text = v.text
                value = float(text) if any(ch in text for ch in ".eE") else int(text)
            cells.append(value)
        el.clear()
        expected = number + 1
        yield cells


def _header(value: Any) -> str:
    text = str(value or "").strip()
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", text)
