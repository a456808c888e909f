"""A small webhook receiver for the demo: checks each push's signature and records what it gets."""

from __future__ import annotations

import hashlib
import hmac
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from liaison.channels.dispatch import EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from liaison.demo.loader import DEMO_WEBHOOK_SECRET


class Command(BaseCommand):
    help = "启动演示用的推送接收端：校验签名，按事件编号去重，把收到的事件逐行记入 var/webhooks/received.jsonl。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8765, help="监听端口（默认 8765，与演示数据中的推送地址一致）")
        parser.add_argument("--secret", default=DEMO_WEBHOOK_SECRET, help="签名密钥（默认为演示系统的密钥）")
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "webhooks" / "received.jsonl"))

    def handle(self, *args: object, port: int, secret: str, out: str, **options: object) -> None:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        seen: set[str] = set()
        if path.exists():
            seen = {json.loads(line).get("id", "") for line in path.read_text(encoding="utf-8").splitlines() if line}
        write = self.stdout.write

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # headers and body go out without waiting for a delayed ACK

            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                timestamp = self.headers.get(TIMESTAMP_HEADER, "")
                expected = (
                    "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                )
                if not hmac.compare_digest(expected, self.headers.get(SIGNATURE_HEADER, "")):
                    self._answer(401, {"error": "bad signature"})
                    write(f"拒绝：签名不符（{self.headers.get(EVENT_HEADER, '')}）")
                    return
                event_id = self.headers.get(EVENT_ID_HEADER, "")
                if event_id in seen:
                    self._answer(200, {"duplicate": True})
                    return
                seen.add(event_id)
                with path.open("a", encoding="utf-8") as log:
                    log.write(body.decode("utf-8") + "\n")
                event = json.loads(body)
                write(f"收到 {event.get('type')} · {event.get('mechanism', {}).get('name', '')} · {event_id}")
                self._answer(200, {"ok": True})

            def _answer(self, status: int, data: dict) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        write(f"推送接收端在 http://127.0.0.1:{port}/ 监听，记录到 {path}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
