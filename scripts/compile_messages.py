#!/usr/bin/env python3
"""Compile chizheng/locale/*/LC_MESSAGES/*.po to .mo without GNU gettext (run by `make install`).

Handles what our catalogues use: msgid/msgstr pairs with continued lines and escapes.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path


def parse(po: Path) -> dict[str, str]:
    messages: dict[str, str] = {}
    key: str | None = None
    current: list[str] = []
    msgid = ""

    def flush() -> None:
        nonlocal msgid
        if key == "msgstr" and current is not None:
            text = "".join(current)
            if msgid and text:
                messages[msgid] = text

    for raw in po.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            key, current = "msgid", [ast.literal_eval(line[6:])]
        elif line.startswith("msgstr "):
            msgid = "".join(current)
            key, current = "msgstr", [ast.literal_eval(line[7:])]
        elif line.startswith('"'):
            current.append(ast.literal_eval(line))
    flush()
    header = "".join(
        [
            "Content-Type: text/plain; charset=UTF-8\n",
            "Plural-Forms: nplurals=2; plural=(n != 1);\n",
        ]
    )
    messages[""] = header
    return messages


def write_mo(messages: dict[str, str], mo: Path) -> None:
    keys = sorted(messages)
    ids = [k.encode("utf-8") for k in keys]
    strs = [messages[k].encode("utf-8") for k in keys]
    n = len(keys)
    key_start = 7 * 4 + 16 * n
    offsets_ids, offsets_strs = [], []
    data_ids = b""
    for i in ids:
        offsets_ids.append((len(i), key_start + len(data_ids)))
        data_ids += i + b"\0"
    value_start = key_start + len(data_ids)
    data_strs = b""
    for s in strs:
        offsets_strs.append((len(s), value_start + len(data_strs)))
        data_strs += s + b"\0"
    out = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    for length, offset in offsets_ids:
        out += struct.pack("ii", length, offset)
    for length, offset in offsets_strs:
        out += struct.pack("ii", length, offset)
    mo.write_bytes(out + data_ids + data_strs)


def main() -> int:
    root = Path(__file__).resolve().parent.parent / "chizheng" / "locale"
    for po in root.glob("*/LC_MESSAGES/*.po"):
        write_mo(parse(po), po.with_suffix(".mo"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
