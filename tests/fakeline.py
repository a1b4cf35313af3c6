"""A local stand-in for the LINE Messaging API: records every call, can fail on demand."""
from __future__ import annotations

import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLine:
    def __init__(self, quota_limit: int | None = None, quota_used: int = 0):
        self.lock = threading.Lock()
        self.calls: list[dict] = []
        self.profiles_asked: list[str] = []  # user ids whose LINE profile (display name) was asked for
        self.fail_pushes = 0          # answer this many pushes with 500
        self.reject_replies = False   # answer replies with 400 (expired token)
        self.fail_replies = 0         # answer this many replies with 500, unsent (the token stays unused)
        self.lose_replies = 0         # send this many replies but answer 500 (the answer lost on the way back)
        self.accepted_keys: set[str] = set()
        self.used_tokens: set[str] = set()
        self.quota_limit, self.quota_used = quota_limit, quota_used
        self.quota_delay = 0.0        # seconds the quota takes to answer (servers asking at once)
        self.richmenus: dict[str, dict] = {}      # rich menu id -> its JSON, until deleted
        self.richmenu_images: dict[str, tuple[str, bytes]] = {}  # id -> (content type, image), data API
        self.default_richmenu: str | None = None
        self.fail_richmenu_images = 0             # answer this many image uploads with 500
        self.contents: dict[str, tuple[str, bytes]] = {}  # message id -> (content type, bytes), data API
        self.fail_contents = 0        # answer this many content downloads with 500
        self.transcoding = "succeeded"  # what a video/voice message's preparation status says
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # as LINE's API: a client may keep its connection for the next call

            def log_message(self, *args):
                pass

            def _send(self, code: int, obj: dict) -> None:
                data = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_bytes(self, ctype: str, data: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                content = re.match(r"^/v2/bot/message/([^/]+)/content(/transcoding)?$", self.path)
                if content:
                    with fake.lock:
                        fake.calls.append({"path": self.path, "body": None, "retry_key": None, "ids": [],
                                           "t": time.time(), "auth": self.headers.get("Authorization")})
                        if content.group(2):
                            return self._send(200, {"status": fake.transcoding})
                        if fake.fail_contents > 0:
                            fake.fail_contents -= 1
                            return self._send(500, {"message": "Internal server error"})
                        found = fake.contents.get(content.group(1))
                    if found is None:
                        return self._send(404, {"message": "Not found"})
                    return self._send_bytes(*found)
                if self.path.startswith("/v2/bot/profile/"):
                    with fake.lock:
                        fake.profiles_asked.append(self.path.rsplit("/", 1)[1])
                    return self._send(200, {"userId": self.path.rsplit("/", 1)[1], "displayName": "ป้าสมศรี"})
                if "/member/" in self.path:
                    return self._send(200, {"userId": self.path.rsplit("/", 1)[1], "displayName": "พี่แดง OSS"})
                if self.path == "/v2/bot/message/quota":
                    time.sleep(fake.quota_delay)
                    if fake.quota_limit is None:
                        return self._send(200, {"type": "none"})
                    return self._send(200, {"type": "limited", "value": fake.quota_limit})
                if self.path == "/v2/bot/message/quota/consumption":
                    return self._send(200, {"totalUsage": fake.quota_used})
                if self.path == "/v2/bot/richmenu/list":
                    with fake.lock:
                        return self._send(200, {"richmenus": [dict(v, richMenuId=k) for k, v in fake.richmenus.items()]})
                return self._send(404, {"message": "not found"})

            def do_DELETE(self):
                with fake.lock:
                    fake.calls.append({"path": "DELETE " + self.path, "body": None, "retry_key": None, "ids": [],
                                       "t": time.time()})
                    if self.path == "/v2/bot/user/all/richmenu":
                        fake.default_richmenu = None
                        return self._send(200, {})
                    rid = self.path.rsplit("/", 1)[1]
                    if not self.path.startswith("/v2/bot/richmenu/") or fake.richmenus.pop(rid, None) is None:
                        return self._send(404, {"message": "Not found"})
                    fake.richmenu_images.pop(rid, None)
                    if fake.default_richmenu == rid:
                        fake.default_richmenu = None
                return self._send(200, {})

            def _richmenu_post(self, raw: bytes) -> bool:
                """Rich menu calls (the image is binary, not JSON). True when handled."""
                path = self.path
                with fake.lock:
                    if path == "/v2/bot/richmenu":
                        rid = "richmenu-" + "".join(random.choices("0123456789abcdef", k=32))
                        fake.richmenus[rid] = json.loads(raw)
                        fake.calls.append({"path": path, "body": fake.richmenus[rid], "retry_key": None, "ids": [],
                                           "t": time.time()})
                        self._send(200, {"richMenuId": rid})
                        return True
                    if path.startswith("/v2/bot/richmenu/") and path.endswith("/content"):
                        rid = path.split("/")[4]
                        fake.calls.append({"path": path, "body": {"bytes": len(raw)}, "retry_key": None, "ids": [],
                                           "t": time.time(), "host": self.headers.get("Host")})
                        if fake.fail_richmenu_images > 0:
                            fake.fail_richmenu_images -= 1
                            self._send(500, {"message": "Internal server error"})
                        elif rid not in fake.richmenus:
                            self._send(404, {"message": "Not found"})
                        else:
                            fake.richmenu_images[rid] = (self.headers.get("Content-Type") or "", raw)
                            self._send(200, {})
                        return True
                    if path.startswith("/v2/bot/user/all/richmenu/"):
                        rid = path.rsplit("/", 1)[1]
                        fake.calls.append({"path": path, "body": None, "retry_key": None, "ids": [], "t": time.time()})
                        if rid not in fake.richmenu_images:  # as on LINE: a menu without an image cannot be default
                            self._send(400, {"message": "An image has not been uploaded to the rich menu"})
                        else:
                            fake.default_richmenu = rid
                            self._send(200, {})
                        return True
                return False

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the sender died mid-request (a killed worker): LINE got nothing
                    return None
                if self.headers.get("Authorization") != "Bearer test-token":
                    return self._send(401, {"message": "Authentication failed"})
                if self._richmenu_post(raw):
                    return
                body = json.loads(raw or b"{}")
                key = self.headers.get("X-Line-Retry-Key")
                with fake.lock:
                    if self.headers.get("Authorization") != "Bearer test-token":
                        return self._send(401, {"message": "Authentication failed"})
                    if self.path.endswith("/push"):
                        if fake.fail_pushes > 0:
                            fake.fail_pushes -= 1
                            return self._send(500, {"message": "Internal server error"})
                        if key in fake.accepted_keys:
                            return self._send(409, {"message": "The retry key is already accepted"})
                        fake.accepted_keys.add(key)
                    if self.path.endswith("/reply"):
                        token = body.get("replyToken")
                        if fake.fail_replies > 0:
                            fake.fail_replies -= 1
                            return self._send(500, {"message": "Internal server error"})
                        if not token or fake.reject_replies or token in fake.used_tokens:  # as on LINE, a token works once
                            return self._send(400, {"message": "Invalid reply token"})
                        fake.used_tokens.add(token)
                    ids = [str(random.randrange(10 ** 17)) for _ in body.get("messages", [])]
                    fake.calls.append({"path": self.path, "body": body, "retry_key": key, "ids": ids, "t": time.time()})
                    if self.path.endswith("/reply") and fake.lose_replies > 0:
                        fake.lose_replies -= 1
                        return self._send(500, {"message": "Internal server error"})
                return self._send(200, {"sentMessages": [{"id": i, "quoteToken": "q" + i} for i in ids]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def replies(self, token: str | None = None) -> list[dict]:
        with self.lock:
            return [c for c in self.calls if c["path"].endswith("/reply")
                    and (token is None or c["body"]["replyToken"] == token)]

    def pushes(self, to: str | None = None) -> list[dict]:
        with self.lock:
            return [c for c in self.calls if c["path"].endswith("/push") and (to is None or c["body"]["to"] == to)]

    def downloads(self, message_id: str) -> list[dict]:
        with self.lock:
            return [c for c in self.calls if c["path"] == f"/v2/bot/message/{message_id}/content"]

    def wait(self, predicate, seconds: float = 5.0):
        end = time.time() + seconds
        while time.time() < end:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        return predicate()
