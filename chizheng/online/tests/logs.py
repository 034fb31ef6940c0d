"""Building small event logs for the rule tests: times in seconds from a fixed instant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from chizheng.online import audit
from chizheng.online.schema import EVENT_SCHEMA

T0 = dt.datetime(2022, 6, 1, 8, 0, tzinfo=dt.UTC)
ENGINE = "duckdb"  # set per test by the ``engine`` fixture


class Log:
    """Accumulates events; defaults make a segment valid unless a test says otherwise."""

    def __init__(self, platform: str = "P1") -> None:
        self.rows: list[dict[str, Any]] = []
        self.platform = platform
        self._next = 1

    def add(
        self,
        kind: str,
        t: float,
        *,
        learner: str = "L1",
        session: str = "S1",
        course: str = "C1",
        lesson: int = 1,
        pos: float | None = None,
        rate: float | None = None,
        ok: bool | None = None,
        event_id: int | None = None,
        platform: str | None = None,
    ) -> Log:
        if event_id is None:
            event_id = self._next
        self._next = max(self._next, event_id) + 1
        self.rows.append(
            {
                "event_id": event_id,
                "platform": platform or self.platform,
                "learner": learner,
                "session": session,
                "course": course,
                "lesson": lesson,
                "ts": T0 + dt.timedelta(seconds=t),
                "kind": kind,
                "pos": pos,
                "rate": rate,
                "ok": ok,
            }
        )
        return self

    def hb(self, t: float, pos: float | None = None, *, rate: float = 1.0, **kw: Any) -> Log:
        return self.add("hb", t, pos=t if pos is None else pos, rate=rate, **kw)

    def play(
        self,
        start: float,
        end: float,
        *,
        step: float = 30,
        pos0: float | None = None,
        popups: bool = True,
        photos: bool = True,
        face: bool = True,
        **kw: Any,
    ) -> Log:
        """Heartbeats every ``step`` s from ``start`` to ``end`` (inclusive), video position
        advancing in real time, with answered popups every 240 s, a photo every 600 s and a
        passed face check at ``start``: a valid segment unless the test breaks something."""
        base = start if pos0 is None else start - pos0
        if face:
            self.add("face", start, ok=True, **_who(kw))
        t = start
        while t <= end:
            self.hb(t, t - base, **kw)
            t += step
        if t - step < end:
            self.hb(end, end - base, **kw)
        if popups:
            p = start + 240
            while p < end:
                self.add("popup", p, ok=True, **_who(kw))
                p += 240
        if photos:
            p = start + 600
            while p < end:
                self.add("photo", p, **_who(kw))
                p += 600
        return self

    def table(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows, schema=EVENT_SCHEMA)

    def audit(self, **kw: Any) -> list[dict[str, Any]]:
        kw.setdefault("engine", ENGINE)
        return audit.audit(self.table(), **kw).to_pylist()

    def flags(self, **kw: Any) -> list[str]:
        return [r["flags"] for r in self.audit(**kw)]


def _who(kw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if k in ("learner", "session", "course", "lesson")}


def segments(rows: Iterable[dict[str, Any]]) -> list[tuple[str, str, str, int, float, float, str]]:
    """(learner, session, course, lesson, start s, end s, flags) relative to ``T0``."""
    return [
        (
            r["learner"],
            r["session"],
            r["course"],
            r["lesson"],
            (r["start"] - T0).total_seconds(),
            (r["end"] - T0).total_seconds(),
            r["flags"],
        )
        for r in rows
    ]


def ndjson(rows: Iterable[dict[str, Any]]) -> bytes:
    import json

    def plain(r: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in r.items() if v is not None}
        out["ts"] = r["ts"].isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return out

    return b"".join(json.dumps(plain(r)).encode() + b"\n" for r in rows)


def csv(rows: Iterable[dict[str, Any]]) -> bytes:
    from chizheng.online.schema import COLUMNS

    lines = [",".join(COLUMNS)]
    for r in rows:
        cells = []
        for c in COLUMNS:
            v = r.get(c)
            if v is None:
                cells.append("")
            elif c == "ts":
                cells.append(v.isoformat(timespec="milliseconds"))
            elif isinstance(v, bool):
                cells.append("true" if v else "false")
            else:
                cells.append(str(v))
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


def parquet(table: pa.Table) -> bytes:
    import io

    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()
