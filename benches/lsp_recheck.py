#!/usr/bin/env python3
"""Re-check latency of a warm `ccguard lsp`: an editor's view of how long a change takes to
show its diagnostics. Not a test: it asserts nothing and only prints figures. See
docs/editors.md.

    benches/lsp_recheck.py                           # target/release/ccguard, fixtures/posts/*
    benches/lsp_recheck.py BINARY [POST...] [-n N]   # another build, other posts, N edits each

For each post: one `ccguard lsp` process, `initialize`, `didOpen` (the cold first check, which
loads the rules and builds the detectors), then N full-text `didChange`s, each timed from
sending it to receiving the `publishDiagnostics` of that version. Prints the cold check and
the median, 90th percentile and fastest warm round trip. Python 3 standard library only.
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", nargs="?", default=os.path.join(root, "target/release/ccguard"))
    parser.add_argument("posts", nargs="*")
    parser.add_argument("-n", type=int, default=50, help="edits per post (default 50)")
    args = parser.parse_args()
    posts = args.posts or sorted(
        glob.glob(os.path.join(root, "fixtures/posts/*.md"))
        + glob.glob(os.path.join(root, "fixtures/posts/*.html"))
    )
    print(f"{'post':<40} {'bytes':>7} {'cold ms':>8} {'median':>7} {'p90':>7} {'min':>7}")
    for post in posts:
        cold, warm, size = measure(args.binary, post, args.n)
        warm.sort()
        p90 = warm[min(len(warm) - 1, int(len(warm) * 0.9))]
        print(
            f"{os.path.basename(post):<40} {size:>7} {cold:>8.1f} "
            f"{statistics.median(warm):>7.2f} {p90:>7.2f} {warm[0]:>7.2f}"
        )


def measure(binary, post, edits):
    """(cold check ms, [warm round trip ms], bytes) for one post in a fresh server."""
    with open(post, "rb") as f:
        text = f.read().decode("utf-8", errors="replace")
    language = "html" if post.endswith((".html", ".htm")) else "markdown"
    uri = "file://" + os.path.abspath(post)
    server = subprocess.Popen(
        [binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    client = Client(server)
    client.request(1, "initialize", {"processId": None, "capabilities": {}})
    client.notify("initialized", {})
    start = time.perf_counter()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
    )
    client.diagnostics(1)
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for version in range(2, edits + 2):
        # Alternate two texts, so that each change is a real one.
        changed = text if version % 2 else text + "\n"
        start = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": changed}],
            },
        )
        client.diagnostics(version)
        warm.append((time.perf_counter() - start) * 1000)
    client.request(2, "shutdown", None)
    client.notify("exit", None)
    if server.wait(timeout=60) != 0:
        sys.exit(f"ccguard lsp exited with {server.returncode} on {post}")
    return cold, warm, len(text.encode("utf-8"))


class Client:
    """Content-Length framed JSON-RPC over the server's stdin and stdout."""

    def __init__(self, server):
        self.server = server

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode("utf-8")
        self.server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.server.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.server.stdout.readline()
            if not line:
                sys.exit("ccguard lsp closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(self.server.stdout.read(length))

    def wait(self, wanted):
        while True:
            message = self.receive()
            if wanted(message):
                return message

    def request(self, id, method, params):
        self.send({"id": id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == id and "method" not in m)

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def diagnostics(self, version):
        return self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"].get("version") == version
        )


if __name__ == "__main__":
    main()
