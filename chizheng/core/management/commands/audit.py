"""``chizheng audit verify`` checks the audit log's hash chain (and a checkpoint);
``chizheng audit checkpoint`` writes its signed head, to be kept elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chizheng.core import audit


class Command(BaseCommand):
    help = (
        "审计日志：chizheng audit verify [--checkpoint FILE] 校验哈希链（及检查点），"
        "发现篡改时退出码为 1 并指出第一条被破坏的记录；"
        "chizheng audit checkpoint [--out FILE] 输出签名的链头（条数、哈希、时间），请另处保存"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验哈希链")
        verify.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="另处保存的检查点文件：同时校验检查点之前的日志未被改写",
        )
        point = sub.add_parser("checkpoint", help="签发检查点")
        point.add_argument(
            "--out", metavar="FILE", help="写入该文件（已存在则不覆盖）；不填则输出到标准输出"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint(options["out"])
            return
        point = self._read(options["checkpoint"]) if options["checkpoint"] else None
        checked, broken = audit.verify()
        if broken is None and point is not None:
            broken = audit.verify_checkpoint(point)
        if broken:
            self.stderr.write(f"审计日志校验失败：{broken.problem}（seq={broken.seq}）")
            raise SystemExit(1)
        self.stdout.write(f"审计日志完整：{checked} 条记录，哈希链无断裂")
        if point is not None:
            self.stdout.write(f"与检查点（{point.at}，{point.count} 条）一致")

    def _read(self, name: str) -> audit.Checkpoint:
        try:
            return audit.checkpoint_parse(Path(name).read_text(encoding="utf-8"))
        except OSError as e:
            self.stderr.write(f"无法读取检查点文件 {name}：{e.strerror}")
        except UnicodeDecodeError:
            self.stderr.write(f"检查点文件 {name} 不是 UTF-8 文本")
        except audit.CheckpointUnreadable as e:
            self.stderr.write(f"{e}：{name}")
        raise SystemExit(1)

    def _checkpoint(self, out: str | None) -> None:
        point = audit.checkpoint()
        if out is None:
            self.stdout.write(point.to_json(), ending="")
        else:
            try:
                with Path(out).open("x", encoding="utf-8") as f:
                    f.write(point.to_json())
            except FileExistsError:
                self.stderr.write(f"文件 {out} 已存在，未覆盖：请为每个检查点使用新文件名")
                raise SystemExit(1) from None
            except OSError as e:
                self.stderr.write(f"无法写入 {out}：{e.strerror}")
                raise SystemExit(1) from None
        self.stderr.write(
            f"检查点：{point.count} 条记录，链头哈希 {point.hash[:16]}…，{point.at}。"
            "请将其保存在本系统的服务器和数据库之外（另一台机器、纸质存档）："
            "持有审计密钥者可以重算整条链，只有另处保存的检查点能发现此前的改写。"
        )
