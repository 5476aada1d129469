"""Take the README's screenshot of the demo organisation's page.

    .venv/bin/python tools/screenshot.py [--out docs/screenshot-organisation.png]

Seeds the demo into a temporary data folder, serves it on a free loopback port, signs in as
alice with Debian's chromium and saves a PNG.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshot-organisation.png")
    parser.add_argument("--path", default="/o/demo/")
    args = parser.parse_args()
    env = dict(os.environ, PARRHESIA_DATA_DIR=tempfile.mkdtemp(prefix="parrhesia-shot-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    subprocess.run([sys.executable, "-m", "parrhesia", "demo"], env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "parrhesia", "serve", "--port", str(port), "--no-task-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username or e-mail").fill("alice")
            page.locator("#id_password").fill("parrhesia-demo")
            page.get_by_role("button", name="Sign In").click()
            page.goto(f"{base}{args.path}")
            page.screenshot(path=args.out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"Saved {args.out}")


if __name__ == "__main__":
    main()
