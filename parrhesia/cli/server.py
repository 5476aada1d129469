"""`parrhesia serve`, `worker`, `migrate`, `check` and `manage`: running a site."""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from parrhesia.cli import CommandError, add_command, django_setup
from parrhesia.cli._deployment import deployment_problems


def register(subparsers: Any) -> None:
    serve = add_command(
        subparsers,
        "serve",
        serve_command,
        help="apply pending migrations and serve the site (gunicorn, static files included)",
        description="Apply pending migrations, then serve Parrhesia with gunicorn.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help=f"gunicorn worker processes, 1 to {MAX_WORKERS} (default 2, or PARRHESIA_WEB_WORKERS)",
    )
    serve.add_argument(
        "--no-task-worker",
        action="store_true",
        help="do not start a background task worker beside the web server",
    )
    add_command(
        subparsers,
        "worker",
        worker_command,
        help="run a background task worker (django-tasks database backend)",
    )
    add_command(subparsers, "migrate", migrate_command, help="apply pending database migrations")
    check = add_command(
        subparsers,
        "check",
        check_command,
        help="run Django's system checks; --deploy: check this server's environment",
        description="Without --deploy: Django's checks, including its deployment checks, of the "
        "settings as production runs them (PARRHESIA_SECURE=1 and PARRHESIA_DEBUG=0 are forced, "
        "so it passes on a laptop and in CI). With --deploy: the environment as it is, nothing "
        "forced, as a public site needs it (TLS, debug off, a secret key, host names, CSRF "
        "origins); run it on each server.",
    )
    check.add_argument(
        "--deploy",
        action="store_true",
        help="check this environment as it is, for a public site (fails on any missing setting)",
    )
    manage = add_command(
        subparsers,
        "manage",
        manage_command,
        help="run a Django management command (for operators)",
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its arguments")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number, not {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, not {port}")
    return port


MAX_WORKERS = 64


def _positive(text: str) -> int:
    try:
        value = int(text) if len(text) < 20 else MAX_WORKERS + 1
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_WORKERS}, not {text[:20]!r}")
    return value


def _environment_number(name: str, default: int, low: int, high: int) -> int:
    """A number from the environment, or one line naming the variable and its range."""
    text = os.environ.get(name, "").strip() or str(default)
    value = int(text) if text.isascii() and text.isdigit() and len(text) < 20 else -1
    if not low <= value <= high:
        raise CommandError(f"{name}={text[:20]!r}: expected a whole number from {low} to {high}")
    return value


def database_prepare(verbose: bool = True) -> None:
    """Apply migrations and create the cache table: safe to run at every start."""
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
        call_command("createcachetable", verbosity=0)
    except OperationalError as error:
        raise CommandError(
            f"cannot reach the database ({error}); check DATABASE_URL or PARRHESIA_DATA_DIR"
        ) from None


WARM_REQUESTS = 200


def _freeze_when_warm(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """gunicorn's ``post_request``: once, after a worker's first ``WARM_REQUESTS`` requests.

    By then the worker has built what it keeps for good (templates, URL maps, translation
    catalogues, allauth's and the rules' registries: ~10^5 objects). Python's full garbage
    collection walks every tracked object, which took 55–65 ms in a warm worker, paid by the
    request that happened to trigger it (the slowest votes of ``bench/opinion_web.py``).
    ``gc.freeze()`` moves them out of the collector's sight; later collections walk only what is
    new. The response has already been sent when this hook runs.
    """
    if worker.nr == WARM_REQUESTS:
        gc.collect()
        gc.freeze()


def migrate_command(args: argparse.Namespace) -> int:
    django_setup()
    database_prepare()
    return 0


def serve_command(args: argparse.Namespace) -> int:
    # SQLite: web requests leave copying the WAL back to the task worker (its default 1,000
    # pages), unless the WAL grows ten times larger (no worker, or one far behind).
    workers = args.workers or _environment_number("PARRHESIA_WEB_WORKERS", 2, 1, MAX_WORKERS)
    worker_checkpoint = str(
        _environment_number("PARRHESIA_SQLITE_AUTOCHECKPOINT", 1000, 0, 2**31 // 10)
    )
    os.environ.setdefault("PARRHESIA_SQLITE_AUTOCHECKPOINT", str(10 * int(worker_checkpoint)))
    metrics_folder_prepare(args.host, args.port)
    django_setup()
    database_prepare()
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from parrhesia.config.wsgi import application

    # Workers are forked from this process: none may inherit its database connection (two
    # processes on one PostgreSQL socket corrupt each other's results).
    connections.close_all()
    gc.collect()
    gc.freeze()  # what the workers inherit is never garbage: keep it out of their collections

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{_bracket(args.host)}:{args.port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", "parrhesia.cli._access_log.RedactingLogger")
            self.cfg.set("timeout", 60)
            self.cfg.set("post_fork", lambda server, worker: connections.close_all())
            self.cfg.set("post_request", _freeze_when_warm)

        def load(self) -> Any:
            return application

    worker = None
    if not args.no_task_worker:
        worker = subprocess.Popen(
            [sys.executable, "-m", "parrhesia", "worker"],
            env={**os.environ, "PARRHESIA_SQLITE_AUTOCHECKPOINT": worker_checkpoint},
        )
    print(
        f"Parrhesia is serving on http://{_bracket(args.host)}:{args.port} (Ctrl-C to stop)",
        flush=True,
    )
    try:
        Server().run()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
    return 0


def metrics_folder_prepare(host: str, port: int) -> Path:
    """The folder where this server's web workers share their request metrics, emptied.

    ``prometheus_client``'s multiprocess mode: each worker process writes its own file there,
    ``/metrics`` adds them up. One folder per address, so that several servers started from one
    data folder (``bench/assembly.py``) keep theirs apart; each is scraped on its own address.
    Set before Django starts: ``prometheus_client`` reads it when first imported.
    """
    from parrhesia.config.environment import data_dir

    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    name = re.sub(r"[^A-Za-z0-9.-]", "_", f"{host}-{port}")
    folder = Path(configured) if configured else data_dir() / "metrics" / name
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # a previous run's counts
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def worker_command(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    if not 0 <= settings.TASK_WORKER_NICE <= 19:
        raise CommandError(
            f"PARRHESIA_WORKER_NICE={settings.TASK_WORKER_NICE}: expected 0 to 19 (os.nice)"
        )
    worker_priority_lower(settings.TASK_WORKER_NICE, settings.TASK_WORKER_IDLE)
    call_command("db_worker")
    return 0


def worker_priority_lower(nice: int, idle: bool) -> None:
    """Background work yields the CPU to web requests (``docs/opinion.md``, *Analysis*).

    ``nice`` lowers the weight of this process; ``idle`` also puts it in Linux's ``SCHED_IDLE``
    class, where a waking web request always preempts it at once. (With nice alone, Linux's
    EEVDF scheduler may let the worker finish its slice first: a few milliseconds per wake-up
    of a request, which added up to the slowest votes of ``bench/opinion_web.py``.) Done before
    any task module starts threads (numpy's BLAS pool): a thread inherits its creator's priority.
    """
    if nice > 0:
        os.nice(nice)
    if idle and hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except OSError as error:  # e.g. a container that forbids it: nice alone then
            print(
                f"parrhesia worker: SCHED_IDLE refused ({error}); running at nice {nice}",
                file=sys.stderr,
            )


def check_command(args: argparse.Namespace) -> int:
    if args.deploy:
        django_setup()
        deployment_check()
    else:
        # The settings as production runs them: behind TLS, debug off (CI's mode).
        os.environ["PARRHESIA_SECURE"] = "1"
        os.environ["PARRHESIA_DEBUG"] = "0"
        django_setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as error:
        print(error, file=sys.stderr)
        raise CommandError("the checks above failed; fix the settings they name") from None
    if not args.deploy:
        print(
            "(production settings simulated; on a server, 'parrhesia check --deploy' checks "
            "its real environment)"
        )
    return 0


def deployment_check() -> None:
    """``check --deploy``: one line per missing or unsafe production setting, then exit 1."""
    from django.conf import settings

    problems = deployment_problems(
        os.environ,
        debug=settings.DEBUG,
        secure=settings.SECURE,
        allowed_hosts=settings.ALLOWED_HOSTS,
        csrf_trusted_origins=settings.CSRF_TRUSTED_ORIGINS,
    )
    for problem in problems[:-1]:
        print(f"parrhesia: error: {problem}", file=sys.stderr)
    if problems:
        raise CommandError(problems[-1])


def manage_command(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.management import execute_from_command_line

    if not args.arguments:
        raise CommandError(
            "name a Django management command, e.g. 'parrhesia manage showmigrations'"
        )
    execute_from_command_line(["parrhesia manage", *args.arguments])
    return 0
