"""Policy parameters: dated values, each citing the clause of the source document.

Pure Python (no Django). The YAML files under ``policy/parameters/`` define each parameter
once (its unit, type and meaning) with a list of dated versions; an amendment file may add
later versions of a parameter defined elsewhere. The loader is strict: a version without a
clause, with a value of the wrong type, or whose dates overlap another's is rejected, and
asking for a value at a date when none is in force raises ``PolicyNotInForce`` — there is
never a default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chizheng.core.errors import DomainError

if TYPE_CHECKING:
    from .workdays import WorkdayCalendar

_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")

ValueType = Literal["int", "decimal", "share", "bool", "str", "list", "mapping"]


class PolicyError(DomainError):
    code = "policy_invalid"
    http_status = 500


class UnknownParameter(PolicyError):
    code = "policy_unknown"


class PolicyNotInForce(PolicyError):
    """No value on the date asked for: the date is outside the policy (a client's error)."""

    code = "policy_not_in_force"
    http_status = 422


class Version(BaseModel):
    """One dated value of a parameter."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    valid_from: dt.date = Field(alias="from")
    until: dt.date | None = None  # inclusive; None = until a later version is encoded
    value: Any
    clause: str = Field(min_length=1)
    original: str = Field(min_length=1)  # the Chinese sentence this value encodes
    source: str = Field(min_length=1)  # the document, e.g. 平技领办〔2022〕5号
    note: str = ""

    @field_validator("clause")
    @classmethod
    def _clause_cites(cls, v: str) -> str:
        # §20(1) and 附件2 of the work plan, a section of the spec, or an article (第二条) of
        # another regulation (the national holiday rules of the working-day calendar).
        if not any(mark in v for mark in ("§", "附件", "spec/")) and not _ARTICLE.search(v):
            raise ValueError(
                f"clause {v!r} must cite the document, e.g. '§20(1)', '附件2' or '第二条'"
            )
        return v

    @model_validator(mode="after")
    def _ordered(self) -> Version:
        if self.until is not None and self.until < self.valid_from:
            raise ValueError(f"until {self.until} is before from {self.valid_from}")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.until is None or day <= self.until)


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = Field(min_length=1)  # Chinese
    description_en: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    type: ValueType
    versions: tuple[Version, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _typed_and_disjoint(self) -> Parameter:
        for v in self.versions:
            _check_type(self.name, self.type, v.value)
        ordered = sorted(self.versions, key=lambda v: v.valid_from)
        for earlier, later in pairwise(ordered):
            if earlier.until is None or earlier.until >= later.valid_from:
                raise ValueError(
                    f"{self.name}: versions from {earlier.valid_from} and {later.valid_from} overlap "
                    f"(set 'until' of the earlier one before {later.valid_from})"
                )
        object.__setattr__(self, "versions", tuple(ordered))
        return self

    def version_at(self, day: dt.date) -> Version:
        for v in self.versions:
            if v.covers(day):
                return v
        spans = ", ".join(f"{v.valid_from}–{v.until or '…'}" for v in self.versions)
        raise PolicyNotInForce(
            f"参数 {self.name}（{self.description}）在 {day} 没有生效的取值（已有：{spans}）",
            message_en=f"no value of {self.name} is in force on {day} (versions: {spans})",
            detail={"parameter": self.name, "date": day.isoformat()},
        )

    def typed(self, value: Any) -> Any:
        if self.type in ("decimal", "share"):
            return Decimal(str(value))
        if self.type == "list":
            return tuple(value)
        return value


def _check_type(name: str, kind: ValueType, value: Any) -> None:
    ok: bool
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in ("decimal", "share"):
        ok = isinstance(value, (int, float, str)) and not isinstance(value, bool)
        if ok:
            try:
                d = Decimal(str(value))
            except InvalidOperation:
                ok = False
            else:
                ok = d.is_finite() and (kind == "decimal" or Decimal(0) <= d <= Decimal(1))
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "str":
        ok = isinstance(value, str)
    elif kind == "list":
        ok = isinstance(value, list) and all(isinstance(x, (str, int)) for x in value)
    else:
        ok = isinstance(value, dict)
    if not ok:
        raise ValueError(f"{name}: value {value!r} is not of type {kind}")


class Policy:
    """All parameters, loaded and checked."""

    def __init__(self, parameters: dict[str, Parameter], fingerprint: str) -> None:
        self._parameters = parameters
        self.fingerprint = fingerprint

    def __iter__(self) -> Iterator[Parameter]:
        return iter(sorted(self._parameters.values(), key=lambda p: p.name))

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise UnknownParameter(
                f"未知的政策参数：{name}",
                message_en=f"unknown policy parameter {name}",
                detail={"parameter": name},
            ) from None

    def version(self, name: str, at: dt.date) -> Version:
        return self.parameter(name).version_at(at)

    def value(self, name: str, at: dt.date) -> Any:
        p = self.parameter(name)
        return p.typed(p.version_at(at).value)

    def at(self, day: dt.date, *, calendar: WorkdayCalendar | None = None) -> PolicyAt:
        return PolicyAt(self, day, calendar=calendar)


class PolicyAt:
    """The policy as in force on one date: what a rule receives. ``calendar`` is the
    working-day calendar deadlines are counted on (the package's and the shipped overrides
    when not given; the Django side passes the one with the office's overrides)."""

    def __init__(
        self, policy: Policy, day: dt.date, *, calendar: WorkdayCalendar | None = None
    ) -> None:
        self.policy = policy
        self.date = day
        self.calendar = calendar

    def __getitem__(self, name: str) -> Any:
        return self.policy.value(name, self.date)

    def version(self, name: str) -> Version:
        return self.policy.version(name, self.date)

    def clause(self, name: str) -> str:
        return self.version(name).clause

    @property
    def fingerprint(self) -> str:
        return self.policy.fingerprint


def default_policy_dir() -> Path:
    env = os.environ.get("CHIZHENG_POLICY_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "policy"


def load(paths: Iterable[Path] | None = None) -> Policy:
    """Load every ``*.yaml`` under ``parameters/`` of the given policy dirs (or files)."""
    files: list[Path] = []
    for p in paths or [default_policy_dir()]:
        p = Path(p)
        if p.is_dir():
            base = p / "parameters" if (p / "parameters").is_dir() else p
            files.extend(sorted(base.rglob("*.yaml")))
        elif p.is_file():
            files.append(p)
        else:
            raise PolicyError(f"政策目录不存在：{p}", message_en=f"policy path {p} does not exist")
    if not files:
        raise PolicyError("没有找到政策参数文件", message_en="no policy parameter files found")

    definitions: dict[str, dict[str, Any]] = {}
    amendments: dict[str, list[Any]] = {}
    digest = hashlib.sha256()
    for f in files:
        raw = f.read_bytes()
        digest.update(f.name.encode() + b"\0" + raw)
        try:
            doc = yaml.safe_load(raw) or {}
        except yaml.YAMLError as e:
            raise PolicyError(f"{f}: YAML 格式错误：{e}", message_en=f"{f}: bad YAML: {e}") from e
        if not isinstance(doc, dict) or set(doc) - {"parameters", "amendments", "description"}:
            raise PolicyError(
                f"{f}: 顶层只能包含 parameters / amendments / description",
                message_en=f"{f}: top level may only hold parameters, amendments, description",
            )
        for name, body in (doc.get("parameters") or {}).items():
            if name in definitions:
                raise PolicyError(
                    f"{f}: 参数 {name} 重复定义",
                    message_en=f"{f}: parameter {name} is defined twice",
                )
            definitions[name] = {"name": name, **(body or {}), "_file": str(f)}
        for name, versions in (doc.get("amendments") or {}).items():
            amendments.setdefault(name, []).extend(versions or [])

    parameters: dict[str, Parameter] = {}
    for name, versions in amendments.items():
        if name not in definitions:
            raise PolicyError(
                f"修订了未定义的参数 {name}", message_en=f"amendment of undefined parameter {name}"
            )
        definitions[name]["versions"] = list(definitions[name].get("versions") or []) + versions
    for name, body in definitions.items():
        origin = body.pop("_file")
        try:
            parameters[name] = Parameter.model_validate(body)
        except ValidationError as e:
            problems = "; ".join(
                f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()
            )
            raise PolicyError(
                f"{origin}: 参数 {name} 无效：{problems}",
                message_en=f"{origin}: parameter {name} is invalid: {problems}",
                detail={"parameter": name, "errors": problems},
            ) from e
    return Policy(parameters, digest.hexdigest()[:16])


@lru_cache(maxsize=1)
def current() -> Policy:
    """The project's policy, loaded once per process."""
    return load()
