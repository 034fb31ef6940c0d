"""``chizheng serve``: collect the static files, then run the production server until stopped."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chizheng.web import server


def _port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise CommandError(f"端口 {raw!r} 不是整数") from None
    if not 1 <= port <= 65535:
        raise CommandError(f"端口 {port} 不在 1–65535 之内")
    return port


def _positive(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"{name} {raw!r} 不是整数") from None
    if value < 1:
        raise CommandError(f"{name} 至少为 1，收到 {value}")
    return value


class Command(BaseCommand):
    help = (
        "以生产服务器（gunicorn）运行网站：先收集静态文件，再监听 --host:--port，"
        "直到收到 SIGTERM/SIGINT；静态文件由应用自身提供（压缩、带哈希的文件名）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", default="8000", help="端口（默认 8000）")
        parser.add_argument(
            "--workers",
            default=str(server.default_workers()),
            help="工作进程数（默认 每核 2 个加 1）",
        )
        parser.add_argument("--threads", default="4", help="每个工作进程的线程数（默认 4）")
        parser.add_argument(
            "--timeout", default="60", help="单个请求的最长秒数，超时的工作进程被重启（默认 60）"
        )
        parser.add_argument(
            "--keepalive",
            default="20",
            help="空闲的长连接保持的秒数（默认 20；在反向代理之后应大于代理的空闲超时）",
        )
        parser.add_argument("--no-access-log", action="store_true", help="不输出访问日志")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError(
                "CHIZHENG_DEBUG 已开启：生产服务器不提供调试页面，请先关闭 CHIZHENG_DEBUG"
            )
        opts = server.Options(
            host=options["host"],
            port=_port(options["port"]),
            workers=_positive("--workers", options["workers"]),
            threads=_positive("--threads", options["threads"]),
            timeout=_positive("--timeout", options["timeout"]),
            keepalive=_positive("--keepalive", options["keepalive"]),
            access_log=not options["no_access_log"],
        )
        collected = server.collect_static()
        self.stdout.write(
            f"静态文件{'已收集到' if collected else '未变，仍用'} {settings.STATIC_ROOT}\n"
            f"网站地址：http://{opts.host}:{opts.port}/"
            f"（gunicorn，{opts.workers} 个工作进程 × {opts.threads} 个线程）"
        )
        self.stdout.flush()
        server.serve(opts)
