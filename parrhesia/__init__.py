"""Parrhesia: a self-hosted platform on which member-run organisations deliberate and decide in
the open."""

__version__ = "0.1.0"
