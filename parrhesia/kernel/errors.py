"""The one base of the errors a user can cause.

A service raises a ``DomainError`` (through its app's subclass: ``AgendaError``,
``TribunalError``…) *before it writes anything*; the view turns it into a form error or a clear
4xx page (``kernel.forms.form_submit`` does so for every form). Anything else is a bug and
propagates.
"""

from __future__ import annotations


class DomainError(Exception):
    """An action that cannot happen as asked; the message says why, in the user's language."""
