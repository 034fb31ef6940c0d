"""Finding 7 of issue 11: an ID number typed with full-width digits, spaces of any width or a
lower-case x is the same number — before validation, the blind index and storage."""

from __future__ import annotations

import pytest

from chizheng.core import ids

ASCII = "11010519491231002X"  # the example of GB 11643-1999
FULL_WIDTH = "１１０１０５１９４９１２３１００２ｘ"


def test_full_width_digits_normalise_to_ascii() -> None:
    assert ids.normalise(FULL_WIDTH) == ASCII
    r = ids.check(FULL_WIDTH)
    assert r.valid and r.number == ASCII


@pytest.mark.parametrize(
    "raw",
    [
        "110105 1949 1231 002x",  # ASCII spaces
        "110105\u30001949\u30001231\u3000002X",  # ideographic (full-width) spaces
        "\t110105194912310\u00a002X\n",  # tab, no-break space, newline
        "110105\u200b19491231002X",  # a zero-width space pasted from a web page
    ],
)
def test_every_kind_of_blank_is_stripped(raw: str) -> None:
    assert ids.normalise(raw) == ASCII
    assert ids.check(raw).valid


def test_digits_of_other_scripts_are_not_digits() -> None:
    # Arabic-Indic digits survive NFKC and Python's int() accepts them: they must not pass.
    arabic = "".join(chr(0x0660 + int(c)) for c in ASCII[:17]) + "X"
    r = ids.check(arabic)
    assert not r.valid and r.reason == "前17位必须是数字"


def test_mask_and_birth_date_read_the_normalised_number() -> None:
    assert ids.mask(FULL_WIDTH) == "110105********002X"
    assert ids.birth_date(FULL_WIDTH).isoformat() == "1949-12-31"


def test_the_idcheck_command_prints_the_normalised_number() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("idcheck", FULL_WIDTH, "\u3000" + ASCII.lower(), stdout=out)
    assert out.getvalue().splitlines() == [f"{ASCII} valid", f"{ASCII} valid"]
