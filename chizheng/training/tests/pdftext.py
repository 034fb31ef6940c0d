"""The text a ReportLab PDF draws, read back from its bytes for the tests (no PDF library
is installed): each page's content stream decoded (ASCII85, Flate), the strings of its
``Tj``/``TJ`` operators unescaped, and those drawn in a CID font (``/Type0``, UCS-2) read
as UTF-16BE, the others as Latin-1. Strings are joined as drawn: a line wrapped inside a
table cell reads on without a break."""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"<<(.*)>>\s*stream\r?\n(.*?)\s*endstream", re.S)
_TOKEN = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\((?:\\.|[^\\)])*\)|\[|\]|T[jJ]", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        c = literal[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(header: bytes, data: bytes) -> bytes:
    if b"/ASCII85Decode" in header:
        data = base64.a85decode(data.strip(), adobe=True)
    if b"/FlateDecode" in header:
        data = zlib.decompress(data)
    return data


def pdf_text(pdf: bytes) -> str:
    """Everything the PDF draws, page after page."""
    cid = set(re.findall(rb"/Name /(F\d+) /Subtype /Type0", pdf))
    out: list[str] = []
    for chunk in pdf.split(b"endobj"):
        found = _STREAM.search(chunk)
        if found is None:
            continue
        header, data = found.groups()
        if b"/Subtype" in header:  # an image or a font file, not a page's content
            continue
        font, pending = b"", []
        for m in _TOKEN.finditer(_decode(header, data)):
            token = m.group(0)
            if m.group(1):
                font = m.group(1)
            elif token.startswith(b"("):
                raw = _unescape(token[1:-1])
                pending.append(raw.decode("utf-16-be") if font in cid else raw.decode("latin-1"))
            elif token in (b"Tj", b"TJ"):
                out.extend(pending)
                pending = []
    return "".join(out)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))
