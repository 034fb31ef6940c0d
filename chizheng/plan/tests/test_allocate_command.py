"""`chizheng plan allocate`: CSV in, CSV out, Chinese errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

WEIGHTS = (
    "name,weight\n汝州市,3.00\n舞钢市,1.17\n宝丰县,2.00\n郏 县,2.02\n鲁山县,3.14\n叶 县,2.80\n"
    "新华区,1.34\n卫东区,1.26\n湛河区,1.38\n石龙区,0.17\n示范区,0.51\n高新区,0.21\n"
)


def run(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "w.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "allocate", "--weights", str(path), *args, stdout=out)
    return out.getvalue()


def test_allocates_and_prints_csv(tmp_path: Path) -> None:
    out = run(tmp_path, WEIGHTS, "--total", "19", "--unit", "0.01")
    lines = out.strip().split("\n")
    assert lines[0] == "name,value"
    assert lines[1:] == [
        f"{row.split(',')[0]},{row.split(',')[1]}" for row in WEIGHTS.strip().split("\n")[1:]
    ]


def test_fix_keeps_the_value_and_reallocates_the_rest(tmp_path: Path) -> None:
    out = run(tmp_path, WEIGHTS, "--total", "15", "--fix", "汝州市=2.00")
    values = dict(line.split(",") for line in out.strip().split("\n")[1:])
    assert values["汝州市"] == "2.00"
    assert sum(float(v) * 100 for v in values.values()) == pytest.approx(1500)


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("name,weight\na,1\nb,x\nc\n", ["--total", "1"], "第3行权重“x”不是数字；第4行应为"),
        ("a,1\nb,-2\n", ["--total", "1"], "第2行“b”的权重为负数"),
        ("a,1\nb,2\n", ["--total", "1", "--fix", "c=0.5"], "--fix 的名称“c”不在权重文件中"),
        (
            "a,1\nb,2\n",
            ["--total", "1", "--fix", "a=0.7", "--fix", "b=0.4"],
            "固定值合计（1.1）超过总数（1）",
        ),
        ("", ["--total", "1"], "文件中没有权重数据"),
        ("a,1\n", ["--total", "abc"], "总数不是数字"),
    ],
)
def test_bad_input_is_explained(tmp_path: Path, text: str, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(tmp_path, text, *args)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到权重文件"):
        call_command("plan", "allocate", "--total", "1", "--weights", str(tmp_path / "none.csv"))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("汝州市,1\n".encode("gbk"))
    with pytest.raises(CommandError, match="不是 UTF-8"):
        call_command("plan", "allocate", "--total", "1", "--weights", str(path))
