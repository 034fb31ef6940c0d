"""Structured logs: masking of ID numbers, phones and bank accounts (messages, extra fields,
tracebacks), the JSON and text line formats, and the settings that choose them."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chizheng.core.logging import (
    JsonFormatter,
    MaskPersonalData,
    RequestContext,
    TextFormatter,
    log_context,
    mask_text,
)

from .processes import ROOT, fresh_env

ID_NUMBER = "410402199001010019"
PHONE = "13912345678"
CARD = "6222021234567890123"


class TestMaskText:
    @pytest.mark.parametrize(
        ("raw", "masked"),
        [
            (f"身份证 {ID_NUMBER} 已登记", "身份证 410402********0019 已登记"),
            ("证号41040219900101002x", "证号410402********002x"),
            (f"tel={PHONE}", "tel=139****5678"),
            ("tel +86 139-1234-5678", "tel +86 139****5678"),
            ("008613912345678", "0086139****5678"),
            (f"卡号{CARD}", "卡号6222***********0123"),
            ("账户 6222 0212 3456 7890 123", "账户 6222 **** **** ***0 123"),
            ("旧证号 410402900101001", "旧证号 4104*******1001"),
            # full-width digits are digits too
            ("４１０４０２１９９００１０１００１９", "４１０４０２********００１９"),
        ],
    )
    def test_personal_data_is_masked(self, raw: str, masked: str) -> None:
        assert mask_text(raw) == masked

    @pytest.mark.parametrize(
        "kept",
        [
            "2026-12-01 10:00:00,123",
            "GET /registry/people/ 200 12.5ms",
            "rows 100000 of 1234567",
            "request 0f3a9c20b7d14e0b9a8f0123456789ab",  # hex ids stay whole
            "class 12 approved on 2022-05-10",
        ],
    )
    def test_ordinary_text_is_kept(self, kept: str) -> None:
        assert mask_text(kept) == kept


@pytest.fixture
def json_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the filters and formatter of the settings, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContext())
    handler.addFilter(MaskPersonalData())
    handler.setFormatter(JsonFormatter(time_zone="Asia/Shanghai"))
    logger = logging.getLogger("chizheng.test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TestJson:
    def test_a_line_has_time_level_logger_message_request_and_user(self, json_log) -> None:
        logger, stream = json_log
        with log_context(request_id="req-0001-abcd", user_id=7):
            logger.info("registered %s", ID_NUMBER)
        (line,) = lines(stream)
        assert line["level"] == "INFO"
        assert line["logger"] == "chizheng.test.json"
        assert line["message"] == "registered 410402********0019"
        assert line["request_id"] == "req-0001-abcd"
        assert line["user_id"] == 7
        assert str(line["time"]).endswith("+08:00")

    def test_outside_a_request_the_ids_are_null(self, json_log) -> None:
        logger, stream = json_log
        logger.warning("nightly check done")
        (line,) = lines(stream)
        assert line["request_id"] is None and line["user_id"] is None

    def test_extra_fields_are_masked(self, json_log) -> None:
        logger, stream = json_log
        logger.info("lookup", extra={"path": f"/people/{ID_NUMBER}/", "account": int(CARD)})
        (line,) = lines(stream)
        assert line["path"] == "/people/410402********0019/"
        assert line["account"] == "6222***********0123"

    def test_a_traceback_is_masked(self, json_log) -> None:
        logger, stream = json_log

        def fails(number: str, phone: str) -> None:
            raise ValueError(f"cannot register {number} with phone {phone} card {CARD}")

        try:
            fails(ID_NUMBER, PHONE)
        except ValueError:
            logger.exception("import failed")
        text = stream.getvalue()
        assert ID_NUMBER not in text and PHONE not in text and CARD not in text
        (line,) = lines(stream)
        exception = str(line["exception"])
        assert "Traceback (most recent call last)" in exception
        assert "ValueError: cannot register 410402********0019 with phone 139****5678" in exception
        assert "6222***********0123" in exception

    def test_stack_info_is_masked(self, json_log) -> None:
        logger, stream = json_log
        number = ID_NUMBER  # the stack shows this line's source, with the number in it
        logger.info("where %s", number, stack_info=True)
        assert ID_NUMBER not in stream.getvalue()
        assert "stack" in lines(stream)[0]


def test_text_lines_carry_request_and_user() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContext())
    handler.addFilter(MaskPersonalData())
    handler.setFormatter(TextFormatter())
    logger = logging.getLogger("chizheng.test.text")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with log_context(request_id="abcdef0123", user_id=3):
            logger.warning("phone %s", PHONE)
        logger.warning("no request")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    first, second = stream.getvalue().splitlines()
    assert first.endswith("WARNING chizheng.test.text [abcdef0123] user=3 phone 139****5678")
    assert second.endswith("WARNING chizheng.test.text [-] user=- no request")


def _django_process(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh process with the project's settings (not the test settings of this one)."""
    clean = fresh_env(Path(env.pop("CHIZHENG_VAR_DIR")), keys=True, **env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # The installed command or our own interpreter, with fixed arguments.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_settings_write_json_when_configured(tmp_path: Path) -> None:
    code = (
        "import django, logging; django.setup()\n"
        "log = logging.getLogger('chizheng.probe')\n"
        f"log.info('person %s', '{ID_NUMBER}')\n"
        "try:\n"
        f"    raise RuntimeError('phone {PHONE}')\n"
        "except RuntimeError:\n"
        "    log.exception('failed')\n"
    )
    done = _django_process(code, CHIZHENG_LOG_FORMAT="json", CHIZHENG_VAR_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert [r["message"] for r in records] == ["person 410402********0019", "failed"]
    assert "RuntimeError: phone 139****5678" in records[1]["exception"]
    assert ID_NUMBER not in done.stderr and PHONE not in done.stderr


def test_the_settings_write_text_by_default(tmp_path: Path) -> None:
    code = (
        "import django, logging; django.setup(); logging.getLogger('chizheng.probe').info('hello')"
    )
    done = _django_process(code, CHIZHENG_VAR_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("INFO chizheng.probe [-] user=- hello")


def test_an_unknown_log_format_stops_the_start(tmp_path: Path) -> None:
    done = _django_process(
        "import django; django.setup()", CHIZHENG_LOG_FORMAT="yaml", CHIZHENG_VAR_DIR=str(tmp_path)
    )
    assert done.returncode != 0
    assert "CHIZHENG_LOG_FORMAT='yaml' is not text or json" in done.stderr
