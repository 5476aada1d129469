"""The view's half of "form → service", shared by every app's views."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms

from parrhesia.kernel.errors import DomainError

T = TypeVar("T")


@dataclass(frozen=True)
class Submitted(Generic[T]):
    """What :func:`form_submit` did: ``done`` when the service ran, with what it returned."""

    done: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.done


def form_submit(
    form: forms.Form,
    service: Callable[..., T],
    /,
    *,
    fields: Iterable[str] | None = None,
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    error_field: str | None = None,
    **arguments: Any,
) -> Submitted[T]:
    """Call ``service(**arguments, **cleaned)`` if ``form`` is bound and valid.

    ``cleaned`` is the form's ``cleaned_data``: only the named ``fields`` of it if given, or
    what ``data(cleaned_data)`` makes of it (for a form whose fields are not the service's
    arguments). A :class:`DomainError` (raised by the service before it wrote anything)
    becomes an error of the whole form (or of ``error_field``, where every error the service
    can raise is about that one field), so the view shows its page again with the form and
    its errors. Anything else propagates. An unbound form (a GET) is simply not done.
    """
    if not form.is_valid():
        return Submitted(False)
    cleaned = dict(form.cleaned_data)
    if fields is not None:
        cleaned = {name: cleaned[name] for name in fields}
    if data is not None:
        cleaned = data(cleaned)
    try:
        return Submitted(True, service(**arguments, **cleaned))
    except DomainError as error:
        form.add_error(error_field, str(error))
        return Submitted(False)
