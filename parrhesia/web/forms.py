"""The view's half of "form → service", shared by every app's views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms

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
    errors: type[Exception] | tuple[type[Exception], ...],
    service: Callable[..., T],
    /,
    **arguments: Any,
) -> Submitted[T]:
    """Call ``service(**arguments, **form.cleaned_data)`` if ``form`` is bound and valid.

    A domain error the user can cause (one of ``errors``, raised by the service before it wrote
    anything) becomes an error of the whole form, so the view shows its page again with the form
    and its errors. Anything else propagates. An unbound form (a GET) is simply not done.
    """
    if not form.is_valid():
        return Submitted(False)
    try:
        return Submitted(True, service(**arguments, **form.cleaned_data))
    except errors as error:
        form.add_error(None, str(error))
        return Submitted(False)
