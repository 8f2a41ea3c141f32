"""A real SMTP server (aiosmtpd) for the end-to-end tests: every message lands in a folder.

Usage: python3 smtp_sink.py DIR [PORT]

Each accepted message is written to DIR/tmp/ and then renamed into DIR/new/ as
NNNNNNNN-<uuid>.msg, so a reader never sees half a message. A file holds one JSON line
with the envelope ({"mail_from", "rcpt_tos", "received_at_ms"}) followed by the raw
message bytes. While the file DIR/reject exists, messages are refused with a temporary
error (451), to test retries. Prints `READY <port>` once it listens, and exits when its
standard input closes so that it never outlives the test process.
"""

import asyncio
import itertools
import json
import os
import sys
import threading
import time
import uuid

from aiosmtpd.smtp import SMTP


class FolderHandler:
    """Writes each message atomically into a Maildir-like folder."""

    def __init__(self, folder):
        self.folder = folder
        self.tmp = os.path.join(folder, "tmp")
        self.new = os.path.join(folder, "new")
        os.makedirs(self.tmp, exist_ok=True)
        os.makedirs(self.new, exist_ok=True)
        existing = len(os.listdir(self.new))
        self.counter = itertools.count(existing + 1)

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, "reject")):
            return "451 4.3.0 Mailbox temporarily unavailable (test switch)"
        header = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "received_at_ms": int(time.time() * 1000),
        }
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = "%08d-%s.msg" % (next(self.counter), uuid.uuid4().hex)
        tmp_path = os.path.join(self.tmp, name)
        with open(tmp_path, "wb") as f:
            f.write(json.dumps(header).encode("utf-8") + b"\n")
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp_path, os.path.join(self.new, name))
        return "250 2.0.0 Message accepted for delivery"


def watch_stdin(loop):
    """Stops the server when the harness goes away (its end of our stdin closes)."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass
    loop.call_soon_threadsafe(loop.stop)


def main():
    if len(sys.argv) < 2:
        print("usage: smtp_sink.py DIR [PORT]", file=sys.stderr)
        sys.exit(2)
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    handler = FolderHandler(folder)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="smtp-sink.test", enable_SMTPUTF8=True),
            host="127.0.0.1",
            port=port,
            reuse_address=True,
        )
    )
    actual = server.sockets[0].getsockname()[1]
    threading.Thread(target=watch_stdin, args=(loop,), daemon=True).start()
    print("READY %d" % actual, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
