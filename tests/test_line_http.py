"""bot.line's own HTTP client: the framings a server may use, and kept-alive connections."""
import socket
import threading

import pytest
import urllib3

from bot.line import SendError, LineApi, _Http

TIMEOUT = urllib3.Timeout(connect=2, read=2)


def _serve(answers: list[bytes]):
    """A server that answers each request it reads with the next of ``answers`` (one
    connection after another); ``b""`` closes the connection instead. Returns (url, requests)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    seen: list[bytes] = []

    def run():
        pending = list(answers)
        while pending:
            conn, _ = srv.accept()
            with conn:
                while pending:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    if not data:
                        break
                    head, _, body = data.partition(b"\r\n\r\n")
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), 0)
                    while len(body) < length:
                        body += conn.recv(65536)
                    seen.append(head + b"\r\n\r\n" + body)
                    answer = pending.pop(0)
                    if not answer:
                        break
                    conn.sendall(answer)
                    if b"Connection: close" in answer or b"HTTP/1.0" in answer:
                        break
        srv.close()

    threading.Thread(target=run, daemon=True).start()
    return f"http://127.0.0.1:{srv.getsockname()[1]}", seen


def test_content_length_chunked_and_close_framed_answers_on_kept_alive_connections():
    url, seen = _serve([
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=1\r\nefg\r\n0\r\n\r\n",
        b"HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n\r\nrest-of-the-stream",
    ])
    http = _Http()
    first = http.request("POST", url + "/v2/a", b'{"x": 1}', {"Content-Type": "application/json"}, TIMEOUT)
    assert (first.status, first.data, first.headers["content-type"]) == (200, b"{}", "application/json")
    assert http.request("GET", url + "/b?q=1", None, {}, TIMEOUT).data == b"abcdefg"
    last = http.request("GET", url + "/c", None, {}, TIMEOUT)
    assert (last.data, last.headers["content-type"]) == (b"rest-of-the-stream", "image/jpeg")
    assert seen[0].startswith(b"POST /v2/a HTTP/1.1\r\n") and b"Content-Length: 8\r\n" in seen[0]
    assert seen[0].endswith(b'\r\n\r\n{"x": 1}') and seen[1].startswith(b"GET /b?q=1 HTTP/1.1\r\n")


def test_a_connection_the_server_closed_is_not_reused_and_a_lost_answer_is_a_transient_error():
    url, _ = _serve([b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", b"",
                     b'HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{"sentMessages": []}'])
    api = LineApi("token", url)
    api._http.request("GET", url + "/ping", None, {}, TIMEOUT)
    with pytest.raises(SendError) as e:  # the kept connection is used, and the server hangs up
        api.reply("token", [{"type": "text", "text": "hi"}])
    assert e.value.transient and e.value.status is None
    assert api.reply("token", [{"type": "text", "text": "hi"}]) == []  # a new connection
