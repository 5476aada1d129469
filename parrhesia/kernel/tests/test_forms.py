"""form_submit: the view's half of "form → service"."""

from __future__ import annotations

import pytest
from django import forms

from parrhesia.kernel.errors import DomainError
from parrhesia.kernel.forms import form_submit


class NoteForm(forms.Form):
    text = forms.CharField(max_length=20)
    pinned = forms.BooleanField(required=False)


class Refused(DomainError):
    pass


def test_a_valid_form_calls_the_service_with_its_data_and_hands_back_the_result():
    calls = []

    def note_add(*, user: str, text: str, pinned: bool) -> str:
        calls.append((user, text, pinned))
        return f"note by {user}"

    submitted = form_submit(NoteForm({"text": "hello"}), note_add, user="carol")
    assert submitted and submitted.value == "note by carol"
    assert calls == [("carol", "hello", False)]


def test_a_domain_error_becomes_the_forms_error_and_nothing_is_done():
    def note_add(**_: object) -> None:
        raise Refused("This conversation is closed.")

    form = NoteForm({"text": "hello"})
    submitted = form_submit(form, note_add)
    assert not submitted and submitted.value is None
    assert form.non_field_errors() == ["This conversation is closed."]


@pytest.mark.parametrize("data", [None, {"text": ""}, {"text": "x" * 21}])
def test_an_unbound_or_invalid_form_never_reaches_the_service(data):
    def note_add(**_: object) -> None:
        raise AssertionError("the service must not run")

    assert not form_submit(NoteForm(data), note_add)


def test_errors_users_cannot_cause_are_not_hidden_in_the_form():
    def note_add(**_: object) -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        form_submit(NoteForm({"text": "hello"}), note_add)


def test_fields_pass_only_the_named_fields_to_the_service():
    def note_add(*, text: str) -> str:
        return text

    form = NoteForm({"text": "hi", "pinned": "on"})
    assert form_submit(form, note_add, fields=["text"]).value == "hi"


def test_data_makes_the_services_arguments_from_the_form():
    def note_add(*, words: list[str]) -> list[str]:
        return words

    def words(cleaned: dict[str, object]) -> dict[str, object]:
        return {"words": str(cleaned["text"]).split()}

    submitted = form_submit(NoteForm({"text": "a b c"}), note_add, data=words)
    assert submitted.value == ["a", "b", "c"]


def test_an_error_about_one_field_is_shown_beside_it():
    def note_add(**_: object) -> None:
        raise Refused("This text is already there.")

    form = NoteForm({"text": "hello"})
    assert not form_submit(form, note_add, error_field="text")
    assert form.errors == {"text": ["This text is already there."]}
