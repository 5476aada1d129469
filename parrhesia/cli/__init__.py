"""The `parrhesia` console command.

Every module in this package that defines ``register(subparsers)`` contributes one top-level
sub-command (or a group of them). A command's handler takes the parsed arguments and returns the
exit status. Expected failures raise :class:`CommandError`, which becomes one line on standard
error and exit status 1 — never a traceback.

Commands that work on the database import Django lazily (``django_setup``) so that the pure
commands (``tally``, ``opinion analyze``, ``record verify``…) start fast and run without a
configured site.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn


class CommandError(Exception):
    """A failure the user can fix; its message is printed as one line."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, naming the help that explains the fix."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="parrhesia",
        description="Parrhesia: deliberate and decide in the open.",
    )
    from parrhesia import __version__

    parser.add_argument("--version", action="version", version=f"parrhesia {__version__}")
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=Parser, required=True
    )
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def django_setup(settings_module: str = "parrhesia.config.settings") -> None:
    """Configure Django for commands that use the database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    from parrhesia.config.environment import ConfigurationError

    try:
        return handler(args)
    except (CommandError, ConfigurationError) as error:
        print(f"parrhesia: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("parrhesia: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run(argv: Sequence[str] | None = None) -> NoReturn:
    sys.exit(main(argv))


def add_command(
    subparsers: Any, name: str, handler: Handler, **kwargs: Any
) -> argparse.ArgumentParser:
    """Add one sub-command whose handler is ``handler``; returns its parser for arguments."""
    command: argparse.ArgumentParser = subparsers.add_parser(name, **kwargs)
    command.set_defaults(handler=handler)
    return command
